package io.loyaltylakehouse.load.oracle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.FraudAlert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of one load run: what the pipeline must show once it has processed everything the run sent.
 * Written as JSON (snake_case) next to the run; {@code users} is sorted by user id.
 *
 * @param totals       counts over the whole run (what was sent and how each record must be decided)
 * @param deadLetters  records each {@code <topic>.dlq} must receive from this run (their raw text contains the run id)
 * @param audit        {@code reconciliation_audit} rows of this run's business keys by resolution
 * @param fraudAlerts  every {@code fraud_alerts} message the run must cause
 */
public record Truth(
        Run run,
        Map<String, Long> totals,
        Map<String, Long> deadLetters,
        Map<String, Long> audit,
        List<FraudAlert> fraudAlerts,
        Map<String, UserTruth> users) {

    /**
     * What was run: identity, simulated time span, where it went. {@code complete} is false after a failed send;
     * {@code orderHeld} is false if the run stopped waiting for the pipeline between a user's purchases and
     * redemptions (then redemption outcomes may depend on timing). {@code firstLegacyTxnId..lastLegacyTxnId} are the
     * legacy txn_ids the run may have used: their keys ({@code legacy-<txn_id>}) are this run's.
     */
    public record Run(
            String runId,
            long seed,
            long events,
            Instant start,
            Instant end,
            boolean complete,
            boolean orderHeld,
            String purchasesTopic,
            String redemptionsTopic,
            String promotionsTopic,
            int partitions,
            String legacyDatabase,
            long firstLegacyTxnId,
            long lastLegacyTxnId) {}

    /**
     * One user's expected outcome.
     *
     * @param realtimeBalance  the {@code balance} {@code loyalty_points_realtime} must show
     * @param pausedUntil      the latest fraud pause ({@code paused_until}), null if never paused
     * @param ledgerBalance    {@code sum(points)} over the user's rows of {@code iceberg.loyalty.points_ledger}
     * @param ledgerEntries    rows of {@code iceberg.loyalty.points_ledger} (real-time, legacy-only and VOID rows)
     * @param realtimeEntries  entries on the {@code points_ledger} topic (AWARDED, PAUSED, REDEEM)
     * @param legacyEntries    legacy-only rows in the unified ledger (VOID ones included)
     * @param voidEntries      legacy-only rows deleted in the legacy DB (status VOID, points 0)
     * @param pausedEntries    PAUSED ledger entries
     * @param withheldPoints   sum of their {@code withheld_points}
     */
    public record UserTruth(
            long realtimeBalance,
            Instant pausedUntil,
            long ledgerBalance,
            long ledgerEntries,
            long realtimeEntries,
            long legacyEntries,
            long voidEntries,
            long pausedEntries,
            long withheldPoints,
            long fraudAlerts,
            long lateEvents,
            long duplicatesIgnored,
            long redemptionsAccepted,
            long redemptionsRejected) {}

    /**
     * The contract's mapping without its size limit on a whole document: a truth file is this tool's own output, not
     * input from outside, and a 100,000-event run's is about 5 MB.
     */
    private static final ObjectMapper FILES = Json.MAPPER.copyWith(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Json.READ_LIMITS.getMaxStringLength())
                    .maxNestingDepth(Json.READ_LIMITS.getMaxNestingDepth())
                    .maxNumberLength(Json.READ_LIMITS.getMaxNumberLength())
                    .build())
            .build());

    /** Reads a truth file that {@code make load --truth} wrote. */
    public static Truth read(final Path file) throws IOException {
        try {
            return FILES.readValue(Files.readAllBytes(file), Truth.class);
        } catch (final IOException e) {
            throw new IOException("not a truth file of make load: " + file + ": " + e.getMessage(), e);
        }
    }
}
