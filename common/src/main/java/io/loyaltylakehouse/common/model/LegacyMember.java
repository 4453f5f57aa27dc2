package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** One change of {@code legacy.members}, normalized by the cdc-bridge. Key = {@code member_id}. */
public record LegacyMember(
        LegacyLedgerChange.ChangeOp op,
        long memberId,
        String userId,
        String email,
        String fullName,
        String tier,
        Instant updatedAt,
        long lsn) {

    /** A legacy member's user id (CONTRACT section 5): {@code new_user_id} when set, else {@code legacy-<member_id>}. */
    public static String userIdOf(final long memberId, final String newUserId) {
        return newUserId != null && !newUserId.isBlank() ? newUserId : "legacy-" + memberId;
    }
}
