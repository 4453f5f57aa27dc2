package io.loyaltylakehouse.reconciler;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Fixed instants and message factories shared by the reconciler's tests. */
public final class ReconcilerFixtures {
    public static final Instant PURCHASED_AT = Instant.parse("2026-11-25T12:00:00Z");
    public static final Instant RECORDED_AT = PURCHASED_AT.plusMillis(40);
    public static final Instant LEGACY_CREATED_AT = PURCHASED_AT.plusSeconds(1);
    public static final Instant LEGACY_UPDATED_AT = PURCHASED_AT.plusSeconds(5);

    private ReconcilerFixtures() {}

    /** An awarded purchase from the real-time pipeline (business key = transaction id). */
    public static LedgerEntry purchase(final String transactionId, final String userId, final long points) {
        return new LedgerEntry(
                transactionId,
                userId,
                points,
                0,
                LedgerStatus.AWARDED,
                EntryType.EARN,
                transactionId,
                null,
                "s-1",
                BigDecimal.valueOf(points),
                1,
                PURCHASED_AT,
                RECORDED_AT);
    }

    /** A purchase made while the user was paused for fraud: 0 points, the rest withheld. */
    public static LedgerEntry pausedPurchase(final String transactionId, final String userId, final long withheld) {
        return new LedgerEntry(
                transactionId,
                userId,
                0,
                withheld,
                LedgerStatus.PAUSED,
                EntryType.EARN,
                transactionId,
                null,
                "s-1",
                BigDecimal.valueOf(withheld),
                1,
                PURCHASED_AT,
                RECORDED_AT);
    }

    /** A legacy transaction change; {@code sourceTxnRef} null makes the key {@code legacy-<txnId>}. */
    public static LegacyLedgerChange legacy(
            final ChangeOp op,
            final long txnId,
            final String sourceTxnRef,
            final String userId,
            final long points,
            final long lsn) {
        return new LegacyLedgerChange(
                op,
                LegacyLedgerChange.businessKeyOf(txnId, sourceTxnRef),
                txnId,
                7L,
                userId,
                points,
                "EARN",
                BigDecimal.valueOf(points),
                sourceTxnRef,
                LEGACY_CREATED_AT,
                op == ChangeOp.c || op == ChangeOp.r ? LEGACY_CREATED_AT : LEGACY_UPDATED_AT.plusMillis(lsn),
                lsn);
    }

    public static LegacyMember member(final ChangeOp op, final long memberId, final String tier, final long lsn) {
        return new LegacyMember(
                op,
                memberId,
                LegacyMember.userIdOf(memberId, null),
                "m" + memberId + "@example.com",
                "Member " + memberId,
                tier,
                LEGACY_UPDATED_AT.plusMillis(lsn),
                lsn);
    }

    /** A raw record as a Kafka source would hand it on. */
    public static KafkaRecord raw(final String topic, final String key, final Object value) {
        final byte[] bytes = value == null
                ? null
                : value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Json.toBytes(value);
        return new KafkaRecord(
                topic,
                0,
                42L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                bytes,
                PURCHASED_AT.toEpochMilli());
    }
}
