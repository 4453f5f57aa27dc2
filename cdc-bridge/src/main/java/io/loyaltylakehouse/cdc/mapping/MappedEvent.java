package io.loyaltylakehouse.cdc.mapping;

import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import java.util.List;

/**
 * What one Debezium change event became: the records to publish (normalized changes and dead letters, in order)
 * plus what the metrics and the handler need to know about it.
 *
 * @param table          {@code schema.table} of a table change, empty for heartbeats and skipped events
 * @param op             Debezium's op code (c, u, d, r), empty when not a table change
 * @param snapshotMarker Debezium's {@code source.snapshot} ("true", "first", "last", ... or "false" when streaming)
 * @param sourceTsMs     when the change was committed (or the heartbeat emitted), epoch millis; 0 if unknown
 * @param userIdChange   set when a member's user_id changed, so the handler re-issues the member's ledger
 */
public record MappedEvent(
        Kind kind,
        String table,
        String op,
        String snapshotMarker,
        long sourceTsMs,
        List<OutboundRecord> records,
        int deadLettered,
        boolean businessKeyChanged,
        UserIdChange userIdChange) {

    public enum Kind {
        CHANGE,
        HEARTBEAT,
        SKIPPED
    }

    /** A member's user_id went from {@code from} to {@code to} in the change at {@code lsn}. */
    public record UserIdChange(long memberId, String from, String to, long lsn) {}

    public MappedEvent {
        records = List.copyOf(records);
    }

    static MappedEvent heartbeat(final String snapshotMarker, final long sourceTsMs) {
        return new MappedEvent(Kind.HEARTBEAT, "", "", snapshotMarker, sourceTsMs, List.of(), 0, false, null);
    }

    static MappedEvent skipped(final String table, final String snapshotMarker, final long sourceTsMs) {
        return new MappedEvent(Kind.SKIPPED, table, "", snapshotMarker, sourceTsMs, List.of(), 0, false, null);
    }

    /** True while the initial snapshot is being read (any marker but "false"). */
    public boolean inSnapshot() {
        return !"false".equals(snapshotMarker);
    }

    /** True for the snapshot's last record, and for every streamed event (which can only come after it). */
    public boolean snapshotComplete() {
        return "false".equals(snapshotMarker) || "last".equals(snapshotMarker);
    }
}
