package io.loyaltylakehouse.reconciler.serde;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.reconciler.functions.Reconciliation;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;

/**
 * The parsers of the five input topics: the value through its topic's own deserializer ({@link Topics}: contract
 * JSON), then the checks the reconciler relies on (keys present, enums known). Each throws with the field that is
 * wrong. The sources hand on raw bytes and parsing happens here, in an operator that dead-letters what fails, so a
 * bad record never fails a source.
 */
public final class Parsers {

    private Parsers() {}

    public static LedgerEntry ledgerEntry(final KafkaRecord record) {
        final LedgerEntry entry = Topics.POINTS_LEDGER.value(valueOf(record));
        require(entry.businessKey(), "business_key");
        require(entry.userId(), "user_id");
        require(entry.status(), "status");
        require(entry.entryType(), "entry_type");
        return entry;
    }

    public static LegacyLedgerChange legacyLedgerChange(final KafkaRecord record) {
        final LegacyLedgerChange change = Topics.LEGACY_LEDGER_CHANGES.value(valueOf(record));
        require(change.op(), "op");
        require(change.businessKey(), "business_key");
        if (change.op() != LegacyLedgerChange.ChangeOp.d) {
            // a delete may come without: its member was deleted in the same legacy transaction
            require(change.userId(), "user_id");
        }
        Reconciliation.entryTypeOf(change.txnType());
        return change;
    }

    /**
     * A member change; a tombstone (null value, which compaction of {@code legacy_members} leaves behind a
     * delete) deletes the member named by the key.
     */
    public static LegacyMember member(final KafkaRecord record) {
        if (record.value() == null) {
            final String key = require(Topics.LEGACY_MEMBERS.key(record.key()), "key (member_id) of a tombstone");
            return new LegacyMember(
                    LegacyLedgerChange.ChangeOp.d, Long.parseLong(key.trim()), null, null, null, null, null, 0L);
        }
        final LegacyMember member = Topics.LEGACY_MEMBERS.value(record.value());
        require(member.op(), "op");
        return member;
    }

    public static FraudAlert fraudAlert(final KafkaRecord record) {
        final FraudAlert alert = Topics.FRAUD_ALERTS.value(valueOf(record));
        require(alert.transactionId(), "transaction_id");
        return alert;
    }

    public static LateEvent lateEvent(final KafkaRecord record) {
        final LateEvent late = Topics.LATE_EVENTS.value(valueOf(record));
        require(late.transactionId(), "transaction_id");
        return late;
    }

    private static byte[] valueOf(final KafkaRecord record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("unexpected tombstone (null value) with key " + record.keyText());
        }
        return record.value();
    }

    private static <T> T require(final T value, final String field) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }
}
