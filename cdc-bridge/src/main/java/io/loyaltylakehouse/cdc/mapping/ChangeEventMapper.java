package io.loyaltylakehouse.cdc.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.cdc.legacy.LegacyTables;
import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns Debezium's change events (JSON envelope: before, after, source, op) into the bridge's normalized records:
 * {@link LegacyLedgerChange} keyed by business key, {@link LegacyMember} keyed by member_id, and a
 * {@link DeadLetter} for every row that breaks the legacy rules. No I/O except the member directory's lookup.
 *
 * <p>Rules that are not one-to-one:
 * <ul>
 *   <li>An update that changes a transaction's business key (its {@code source_txn_ref}) becomes a delete of the
 *       old key followed by a create of the new one, so a consumer keeping the latest change per key ends right.</li>
 *   <li>An update that makes a valid row invalid dead-letters the new row and deletes the old key; the reverse
 *       (invalid to valid) is published as an update.</li>
 *   <li>A member whose user_id changes is reported in {@link MappedEvent#userIdChange()}; see {@link #reissue}.</li>
 *   <li>The delete of a transaction whose member is already gone (the legacy application deletes a member's
 *       transactions and then the member, in one transaction) is published with a null {@code user_id}: the
 *       row is gone either way, and the reconciler keeps the user it knew for the key and VOIDs the row.</li>
 *   <li>A TRUNCATE names no rows, so nothing downstream can be voided from it: it becomes a dead letter whose
 *       reason says what to do, counted in {@code cdc_bridge_legacy_truncates_total} and logged as an error.</li>
 * </ul>
 */
public final class ChangeEventMapper {
    static final Set<String> TXN_TYPES = Set.of("EARN", "REDEEM", "ADJUST");
    /** Row changes; anything else (truncate "t" aside, logical message "m") carries no row to publish. */
    private static final Set<String> ROW_OPS = Set.of("c", "u", "d", "r");

    private static final String TRUNCATE = "t";

    /** Where each kind of output goes: the contract's topics ({@link Topics}) under their configured names. */
    public record OutputTopics(
            Topic<String, LegacyLedgerChange> ledgerChanges,
            Topic<String, LegacyMember> members,
            Topic<String, DeadLetter> deadLetters) {
        public OutputTopics {
            Objects.requireNonNull(ledgerChanges, "ledgerChanges is null");
            Objects.requireNonNull(members, "members is null");
            Objects.requireNonNull(deadLetters, "deadLetters is null");
        }

        /** The contract's topics under these names. */
        public static OutputTopics named(final String ledgerChanges, final String members, final String deadLetters) {
            return new OutputTopics(
                    Topics.LEGACY_LEDGER_CHANGES.named(ledgerChanges),
                    Topics.LEGACY_MEMBERS.named(members),
                    Topics.LEGACY_DLQ.named(deadLetters));
        }
    }

    private final OutputTopics topics;
    private final MemberDirectory members;
    private final long pointsMaxAbs;
    private final String heartbeatTopicPrefix;
    private final String heartbeatTable;
    private final Clock clock;

    /**
     * @param heartbeatTopicPrefix Debezium's heartbeat record destination prefix
     * @param heartbeatTable       {@code schema.table} written on each heartbeat, or empty
     */
    public ChangeEventMapper(
            final OutputTopics topics,
            final MemberDirectory members,
            final long pointsMaxAbs,
            final String heartbeatTopicPrefix,
            final String heartbeatTable,
            final Clock clock) {
        this.topics = Objects.requireNonNull(topics, "topics is null");
        this.members = Objects.requireNonNull(members, "members is null");
        this.pointsMaxAbs = pointsMaxAbs;
        this.heartbeatTopicPrefix = Objects.requireNonNull(heartbeatTopicPrefix, "heartbeatTopicPrefix is null");
        this.heartbeatTable = Objects.requireNonNull(heartbeatTable, "heartbeatTable is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** Maps one Debezium event (destination = Debezium's record topic, value = the JSON envelope or null). */
    public MappedEvent map(final String destination, final String value) {
        if (value == null || value.equals("null")) {
            return MappedEvent.skipped("", "false", 0); // a tombstone: deletes are carried by op=d events
        }
        final JsonNode event;
        try {
            event = Json.MAPPER.readTree(value);
        } catch (final JsonProcessingException e) {
            final OutboundRecord letter =
                    deadLetter(destination, "?", value, "unparseable change event: " + e.getOriginalMessage(), -1);
            return new MappedEvent(
                    MappedEvent.Kind.CHANGE, destination, "", "false", 0, List.of(letter), 1, false, null);
        }
        if (destination.startsWith(heartbeatTopicPrefix)) {
            return MappedEvent.heartbeat("false", event.path("ts_ms").asLong());
        }
        final Change change = Change.of(event, value);
        if (change.table.equals(heartbeatTable)) {
            return MappedEvent.heartbeat(change.snapshotMarker, change.sourceTsMs);
        }
        if (change.op.equals(TRUNCATE) && LegacyTables.CAPTURED.contains(change.table)) {
            return change.result(
                    List.of(deadLetter(
                            change,
                            "truncate",
                            "TRUNCATE of " + change.table
                                    + ": no rows were published for it, so its keys stay as they are downstream; re-insert the rows "
                                    + "or delete them one by one to make the lakehouse follow")),
                    1,
                    false,
                    null);
        }
        if (!ROW_OPS.contains(change.op)) {
            return MappedEvent.skipped(change.table, change.snapshotMarker, change.sourceTsMs);
        }
        try {
            if (change.table.equals(LegacyTables.MEMBERS)) {
                return mapMember(change);
            }
            if (change.table.equals(LegacyTables.TRANSACTIONS)) {
                return mapTransaction(change);
            }
        } catch (final DateTimeParseException | NumberFormatException e) {
            return change.result(
                    List.of(deadLetter(change, "?", "cannot read a column: " + e.getMessage())), 1, false, null);
        }
        return MappedEvent.skipped(change.table, change.snapshotMarker, change.sourceTsMs);
    }

    /**
     * After a member's user_id changed: the member's current transactions, re-issued as updates under their
     * unchanged business keys with the new user_id, so a consumer keeping the latest change per key moves the
     * member's whole legacy history to the new user. Rows that are invalid were dead-lettered when they changed and
     * are not repeated here.
     *
     * @param currentRows the member's rows of legacy.points_transactions as they are now, in Debezium's row shape
     */
    public List<OutboundRecord> reissue(final MappedEvent.UserIdChange userIdChange, final List<JsonNode> currentRows) {
        final List<OutboundRecord> out = new ArrayList<>(currentRows.size());
        for (final JsonNode row : currentRows) {
            final RowResult result = toLedgerChange(ChangeOp.u, row, userIdChange.lsn());
            if (result.change != null) {
                out.add(ledgerRecord(result.change));
            }
        }
        return out;
    }

    private MappedEvent mapMember(final Change change) {
        final JsonNode row = change.op.equals("d") ? change.before : change.after;
        final Long memberId = longOrNull(row, "member_id");
        if (memberId == null) {
            return change.result(List.of(deadLetter(change, "?", "member_id is NULL")), 1, false, null);
        }
        final ChangeOp op = ChangeOp.valueOf(change.op);
        final LegacyMember member = toMember(op, row, change.lsn);
        final List<OutboundRecord> out = new ArrayList<>(2);
        MappedEvent.UserIdChange userIdChange = null;
        if (op == ChangeOp.d) {
            members.forget(memberId);
        } else {
            final Long previousId = longOrNull(change.before, "member_id");
            if (op == ChangeOp.u && previousId != null && !previousId.equals(memberId)) {
                // the primary key itself changed: the old member_id disappears
                out.add(memberRecord(toMember(ChangeOp.d, change.before, change.lsn)));
                members.forget(previousId);
            } else if (op == ChangeOp.u && previousId != null) {
                final String previousUserId =
                        LegacyMember.userIdOf(previousId, textOrNull(change.before, "new_user_id"));
                if (!previousUserId.equals(member.userId())) {
                    userIdChange = new MappedEvent.UserIdChange(memberId, previousUserId, member.userId(), change.lsn);
                }
            }
            members.remember(memberId, member.userId());
        }
        out.add(memberRecord(member));
        return change.result(out, 0, false, userIdChange);
    }

    private MappedEvent mapTransaction(final Change change) {
        final ChangeOp op = ChangeOp.valueOf(change.op);
        final List<OutboundRecord> out = new ArrayList<>(2);
        if (op == ChangeOp.d) {
            final RowResult old = toLedgerChange(ChangeOp.d, change.before, change.lsn);
            return old.change != null
                    ? change.result(List.of(ledgerRecord(old.change)), 0, false, null)
                    : change.result(List.of(deadLetter(change, old.txnId, old.problem)), 1, false, null);
        }
        final RowResult now = toLedgerChange(op, change.after, change.lsn);
        final RowResult old = op == ChangeOp.u && hasRow(change.before)
                ? toLedgerChange(ChangeOp.d, change.before, change.lsn)
                : RowResult.bad("?", "no old row");
        if (now.change == null) {
            if (old.change != null) {
                out.add(ledgerRecord(old.change)); // the valid version it replaced must not live on downstream
            }
            out.add(deadLetter(change, now.txnId, now.problem));
            return change.result(out, 1, false, null);
        }
        final boolean keyChanged =
                old.change != null && !old.change.businessKey().equals(now.change.businessKey());
        if (keyChanged) {
            out.add(ledgerRecord(old.change));
            out.add(ledgerRecord(withOp(now.change, ChangeOp.c)));
        } else {
            out.add(ledgerRecord(now.change));
        }
        return change.result(out, 0, keyChanged, null);
    }

    /** A transaction row as a ledger change, or the reason it breaks the legacy rules. */
    private RowResult toLedgerChange(final ChangeOp op, final JsonNode row, final long lsn) {
        if (!hasRow(row)) {
            return RowResult.bad("?", "the change carries no row image (is REPLICA IDENTITY FULL set?)");
        }
        final Long txnId = longOrNull(row, "txn_id");
        if (txnId == null) {
            return RowResult.bad("?", "txn_id is NULL");
        }
        final String id = txnId.toString();
        final Long memberId = longOrNull(row, "member_id");
        if (memberId == null) {
            return RowResult.bad(id, "member_id is NULL");
        }
        final JsonNode pointsNode = row.get("points");
        if (pointsNode == null || pointsNode.isNull()) {
            return RowResult.bad(id, "points is NULL");
        }
        if (!pointsNode.canConvertToLong()) {
            return RowResult.bad(id, "points " + pointsNode.asText() + " does not fit a 64-bit integer");
        }
        final long points = pointsNode.asLong();
        if (points > pointsMaxAbs || points < -pointsMaxAbs) {
            return RowResult.bad(
                    id, "points " + points + " outside +-" + pointsMaxAbs + " (would overflow balance sums)");
        }
        final String txnType = textOrNull(row, "txn_type");
        if (txnType == null || !TXN_TYPES.contains(txnType)) {
            return RowResult.bad(
                    id,
                    "txn_type " + (txnType == null ? "NULL" : "'" + txnType + "'") + " is not EARN, REDEEM or ADJUST");
        }
        final Instant createdAt = instantOrNull(row, "created_at");
        if (createdAt == null) {
            return RowResult.bad(id, "created_at is NULL");
        }
        final Optional<String> userId = members.userIdOf(memberId);
        if (userId.isEmpty() && op != ChangeOp.d) {
            return RowResult.bad(id, "unknown member " + memberId);
        }
        final String sourceTxnRef = textOrNull(row, "source_txn_ref");
        return RowResult.ok(new LegacyLedgerChange(
                op,
                LegacyLedgerChange.businessKeyOf(txnId, sourceTxnRef),
                txnId,
                memberId,
                userId.orElse(null),
                points,
                txnType,
                decimalOrNull(row, "amount"),
                sourceTxnRef,
                createdAt,
                instantOrNull(row, "updated_at"),
                lsn));
    }

    private static LegacyMember toMember(final ChangeOp op, final JsonNode row, final long lsn) {
        final long memberId = row.path("member_id").asLong();
        return new LegacyMember(
                op,
                memberId,
                LegacyMember.userIdOf(memberId, textOrNull(row, "new_user_id")),
                textOrNull(row, "email"),
                textOrNull(row, "full_name"),
                textOrNull(row, "tier"),
                instantOrNull(row, "updated_at"),
                lsn);
    }

    private static LegacyLedgerChange withOp(final LegacyLedgerChange change, final ChangeOp op) {
        return new LegacyLedgerChange(
                op,
                change.businessKey(),
                change.legacyTxnId(),
                change.memberId(),
                change.userId(),
                change.points(),
                change.txnType(),
                change.amount(),
                change.sourceTxnRef(),
                change.eventTime(),
                change.updatedAt(),
                change.lsn());
    }

    private OutboundRecord ledgerRecord(final LegacyLedgerChange change) {
        return OutboundRecord.of(topics.ledgerChanges(), change.businessKey(), change);
    }

    private OutboundRecord memberRecord(final LegacyMember member) {
        return OutboundRecord.of(topics.members(), Long.toString(member.memberId()), member);
    }

    private OutboundRecord deadLetter(final Change change, final String rowId, final String reason) {
        return deadLetter(change.table, rowId, change.raw, reason, change.lsn);
    }

    /** Dead letters name the table as their source, no partition (-1) and the change's LSN as the offset. */
    private OutboundRecord deadLetter(
            final String table, final String rowId, final String raw, final String reason, final long lsn) {
        final DeadLetter letter = DeadLetter.of(raw, reason, table, -1, lsn, clock.instant());
        return OutboundRecord.of(topics.deadLetters(), table + ":" + rowId, letter);
    }

    private static boolean hasRow(final JsonNode row) {
        return row != null && row.isObject();
    }

    private static Long longOrNull(final JsonNode row, final String field) {
        final JsonNode node = row == null ? null : row.get(field);
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static String textOrNull(final JsonNode row, final String field) {
        final JsonNode node = row == null ? null : row.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instantOrNull(final JsonNode row, final String field) {
        final String text = textOrNull(row, field);
        return text == null ? null : Instant.parse(text);
    }

    private static BigDecimal decimalOrNull(final JsonNode row, final String field) {
        final String text = textOrNull(row, field);
        return text == null ? null : new BigDecimal(text);
    }

    /** Either a change or the problem with the row ({@code txnId} names the row in the dead letter's key). */
    private record RowResult(LegacyLedgerChange change, String txnId, String problem) {
        static RowResult ok(final LegacyLedgerChange change) {
            return new RowResult(change, Long.toString(change.legacyTxnId()), null);
        }

        static RowResult bad(final String txnId, final String problem) {
            return new RowResult(null, txnId, problem);
        }

        /** The contract's topics under these names. */
        public static OutputTopics named(final String ledgerChanges, final String members, final String deadLetters) {
            return new OutputTopics(
                    Topics.LEGACY_LEDGER_CHANGES.named(ledgerChanges),
                    Topics.LEGACY_MEMBERS.named(members),
                    Topics.LEGACY_DLQ.named(deadLetters));
        }
    }

    /** The parts of Debezium's envelope the mapping reads. */
    private record Change(
            String table,
            String op,
            JsonNode before,
            JsonNode after,
            long lsn,
            String snapshotMarker,
            long sourceTsMs,
            String raw) {

        static Change of(final JsonNode event, final String raw) {
            final JsonNode source = event.path("source");
            final String snapshot = textOrNull(source, "snapshot");
            return new Change(
                    source.path("schema").asText() + "." + source.path("table").asText(),
                    event.path("op").asText(),
                    event.get("before"),
                    event.get("after"),
                    source.path("lsn").asLong(-1),
                    snapshot == null ? "false" : snapshot,
                    source.path("ts_ms").asLong(),
                    raw);
        }

        MappedEvent result(
                final List<OutboundRecord> records,
                final int deadLettered,
                final boolean keyChanged,
                final MappedEvent.UserIdChange userIdChange) {
            return new MappedEvent(
                    MappedEvent.Kind.CHANGE,
                    table,
                    op,
                    snapshotMarker,
                    sourceTsMs,
                    records,
                    deadLettered,
                    keyChanged,
                    userIdChange);
        }

        /** The contract's topics under these names. */
        public static OutputTopics named(final String ledgerChanges, final String members, final String deadLetters) {
            return new OutputTopics(
                    Topics.LEGACY_LEDGER_CHANGES.named(ledgerChanges),
                    Topics.LEGACY_MEMBERS.named(members),
                    Topics.LEGACY_DLQ.named(deadLetters));
        }
    }
}
