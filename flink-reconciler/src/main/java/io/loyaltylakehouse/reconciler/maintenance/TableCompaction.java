package io.loyaltylakehouse.reconciler.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.actions.Actions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the streaming tables readable beside the job: every {@code interval} it compacts each table (Flink's
 * rewrite-data-files action, which also applies the upserts' delete files) and expires snapshots older than
 * {@code snapshotRetention} while keeping the last {@code retainLast}. Each checkpoint adds a data file and
 * delete files per writer, so without this small files pile up and reads slow down. One log line per table
 * and run; a failed run is logged and retried at the next interval (a concurrent commit of the job can make
 * a rewrite lose the race, which is harmless).
 */
public final class TableCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableCompaction.class);

    private final List<TableLoader> tables;
    private final Supplier<StreamExecutionEnvironment> environments;
    private final Duration snapshotRetention;
    private final int retainLast;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "iceberg-table-maintenance");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param environments gives a fresh environment for each rewrite (a rewrite is a small batch job of its own)
     */
    public TableCompaction(
            final List<TableLoader> tables,
            final Supplier<StreamExecutionEnvironment> environments,
            final Duration snapshotRetention,
            final int retainLast) {
        this.tables = List.copyOf(tables);
        this.environments = environments;
        this.snapshotRetention = snapshotRetention;
        this.retainLast = retainLast;
    }

    public TableCompaction start(final Duration interval) {
        scheduler.scheduleWithFixedDelay(
                this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("table maintenance every {} for {} tables", interval, tables.size());
        return this;
    }

    /** Compacts and expires every table once. */
    public void runOnce() {
        for (final TableLoader loader : tables) {
            try (TableLoader opened = loader.clone()) {
                opened.open();
                maintain(opened.loadTable());
            } catch (final Exception e) {
                LOG.warn("maintenance of {} failed, retrying next run: {}", loader, e.toString());
            }
        }
    }

    /** Returns the number of data files before and after, for the log and for tests. */
    public FileCounts maintain(final Table table) {
        final long started = System.nanoTime();
        final int before = dataFiles(table);
        if (table.currentSnapshot() == null) {
            return new FileCounts(0, 0);
        }
        final RewriteDataFilesActionResult result =
                Actions.forTable(environments.get(), table).rewriteDataFiles().execute();
        table.refresh();
        table.expireSnapshots()
                .expireOlderThan(Instant.now().minus(snapshotRetention).toEpochMilli())
                .retainLast(retainLast)
                .commit();
        table.refresh();
        final int after = dataFiles(table);
        LOG.info(
                "maintained {}: rewrote {} data files into {}, data files {} -> {}, {} snapshots kept, {} ms",
                table.name(),
                result.deletedDataFiles().size(),
                result.addedDataFiles().size(),
                before,
                after,
                countSnapshots(table),
                (System.nanoTime() - started) / 1_000_000);
        return new FileCounts(before, after);
    }

    static int dataFiles(final Table table) {
        if (table.currentSnapshot() == null) {
            return 0;
        }
        int count = 0;
        try (var tasks = table.newScan().planFiles()) {
            for (final var ignored : tasks) {
                count++;
            }
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return count;
    }

    private static int countSnapshots(final Table table) {
        int count = 0;
        for (final var ignored : table.snapshots()) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Live data files of a table before and after one maintenance run. */
    public record FileCounts(int before, int after) {}
}
