package io.loyaltylakehouse.reconciler.serde;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.reconciler.functions.Reconciliation;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;

/**
 * The parsers of the five input topics: JSON through the project's one mapping, then the checks the
 * reconciler relies on (keys present, enums known). Each throws with the field that is wrong.
 */
public final class Parsers {

    private Parsers() {}

    public static LedgerEntry ledgerEntry(final KafkaRecord record) {
        final LedgerEntry entry = Json.fromBytes(valueOf(record), LedgerEntry.class);
        require(entry.businessKey(), "business_key");
        require(entry.userId(), "user_id");
        require(entry.status(), "status");
        require(entry.entryType(), "entry_type");
        return entry;
    }

    public static LegacyLedgerChange legacyLedgerChange(final KafkaRecord record) {
        final LegacyLedgerChange change = Json.fromBytes(valueOf(record), LegacyLedgerChange.class);
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
            final String key = require(record.keyText(), "key (member_id) of a tombstone");
            return new LegacyMember(
                    LegacyLedgerChange.ChangeOp.d, Long.parseLong(key.trim()), null, null, null, null, null, 0L);
        }
        final LegacyMember member = Json.fromBytes(record.value(), LegacyMember.class);
        require(member.op(), "op");
        return member;
    }

    public static FraudAlert fraudAlert(final KafkaRecord record) {
        final FraudAlert alert = Json.fromBytes(valueOf(record), FraudAlert.class);
        require(alert.transactionId(), "transaction_id");
        return alert;
    }

    public static LateEvent lateEvent(final KafkaRecord record) {
        final LateEvent late = Json.fromBytes(valueOf(record), LateEvent.class);
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
