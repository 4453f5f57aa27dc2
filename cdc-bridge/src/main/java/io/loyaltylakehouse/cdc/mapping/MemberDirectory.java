package io.loyaltylakehouse.cdc.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A legacy member's current {@code user_id}, as the ledger mapping needs it. Fed by the members change stream
 * (which arrives in commit order with the transactions), and on a miss looked up with {@code loader} (PostgreSQL),
 * which gives the member's user_id as of now rather than as of the change: the members stream then catches up.
 * Bounded: the least recently used members are forgotten and looked up again when needed.
 * Used by the engine's single processing thread only.
 */
public final class MemberDirectory {
    private final LongFunction<Optional<String>> loader;
    private final Map<Long, String> userIds;

    public MemberDirectory(final int capacity, final LongFunction<Optional<String>> loader) {
        if (capacity < 1) {
            throw new IllegalArgumentException("member cache capacity must be >= 1, got " + capacity);
        }
        this.loader = loader;
        this.userIds = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Long, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The member's user_id, or empty when no such member exists. */
    public Optional<String> userIdOf(final long memberId) {
        final String known = userIds.get(memberId);
        if (known != null) {
            return Optional.of(known);
        }
        final Optional<String> loaded = loader.apply(memberId);
        loaded.ifPresent(userId -> userIds.put(memberId, userId));
        return loaded;
    }

    public void remember(final long memberId, final String userId) {
        userIds.put(memberId, userId);
    }

    public void forget(final long memberId) {
        userIds.remove(memberId);
    }
}
