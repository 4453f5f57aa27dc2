package io.loyaltylakehouse.dbt.exec;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import java.time.Instant;

/** One entry of run_results.json. */
public record NodeResult(
        String uniqueId,
        String status,
        String message,
        Long failures,
        Adapter.Response adapterResponse,
        String compiledCode,
        String relationName,
        Instant compileStarted,
        Instant compileCompleted,
        Instant executeStarted,
        Instant executeCompleted) {

    public static NodeResult skipped(final String uniqueId, final String relationName) {
        final Instant now = Instant.now();
        return new NodeResult(uniqueId, "skipped", "SKIPPED", null, null, null, relationName, null, null, now, now);
    }

    /** Seconds from compile start to execute end, as dbt's execution_time. */
    public double executionTime() {
        final Instant start = compileStarted != null ? compileStarted : executeStarted;
        return start == null || executeCompleted == null ? 0.0
                : (executeCompleted.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }

    /** Whether this result makes the invocation fail (dbt exit code 1). */
    public boolean failed() {
        return "error".equals(status) || "fail".equals(status);
    }
}
