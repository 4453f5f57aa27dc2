package io.loyaltylakehouse.cdc.ops;

import io.loyaltylakehouse.cdc.legacy.LegacyDatabase;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the replication slot's lag in bytes from PostgreSQL on a schedule, on its own connection. */
public final class SlotLagMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotLagMonitor.class);

    private final LegacyDatabase database;
    private final String slotName;
    private final BridgeMetrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "cdc-slot-lag");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean lastReadFailed;

    public SlotLagMonitor(final LegacyDatabase database, final String slotName, final BridgeMetrics metrics) {
        this.database = database;
        this.slotName = slotName;
        this.metrics = metrics;
    }

    public SlotLagMonitor start(final Duration interval) {
        scheduler.scheduleWithFixedDelay(this::read, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void read() {
        try {
            metrics.slotLagBytes(database.slotLagBytes(slotName).stream()
                    .asDoubleStream()
                    .findFirst()
                    .orElse(Double.NaN));
            if (lastReadFailed) {
                LOG.info("Reading the lag of slot {} works again", slotName);
            }
            lastReadFailed = false;
        } catch (final RuntimeException e) {
            metrics.slotLagBytes(Double.NaN);
            if (!lastReadFailed) {
                LOG.warn("Cannot read the lag of slot {}: {}", slotName, e.getMessage());
            }
            lastReadFailed = true;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        database.close();
    }
}
