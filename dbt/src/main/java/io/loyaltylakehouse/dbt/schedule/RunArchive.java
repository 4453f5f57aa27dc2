package io.loyaltylakehouse.dbt.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps each scheduled run's run_results.json under {@code <runs dir>/<UTC timestamp>/}, prunes old runs, and
 * writes the one-line status file {@code make status} prints.
 */
public final class RunArchive {
    private static final DateTimeFormatter RUN_DIR = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path runsDir;
    private final Path statusFile;
    private final int keep;

    /** What the last run did, as the status file reports it. */
    public record LastRun(Instant startedAt, Instant finishedAt, String command, int exitCode, String runDir) {
        public String result() {
            return switch (exitCode) {
                case 0 -> "success";
                case 1 -> "failed";
                default -> "error";
            };
        }
    }

    public RunArchive(final Path runsDir, final Path statusFile, final int keep) {
        this.runsDir = runsDir;
        this.statusFile = statusFile;
        this.keep = keep;
    }

    /** Copies a run's run_results.json into its own directory and returns that directory. */
    public Path archive(final Instant startedAt, final Path runResults) {
        final Path dir = runsDir.resolve(RUN_DIR.format(startedAt));
        try {
            Files.createDirectories(dir);
            if (Files.exists(runResults)) {
                Files.copy(runResults, dir.resolve("run_results.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            prune();
            return dir;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot archive run results into " + dir, e);
        }
    }

    private void prune() throws IOException {
        final List<Path> runs;
        try (Stream<Path> list = Files.list(runsDir)) {
            runs = list.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
        for (final Path old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
            try (Stream<Path> walk = Files.walk(old)) {
                for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Writes the status file atomically (the launcher may read it at any moment). */
    public void writeStatus(final String cron, final LastRun last, final Instant nextRun, final long runs) {
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("schedule", cron);
        status.put("last_run_at", last == null ? null : last.startedAt().toString());
        status.put("last_result", last == null ? null : last.result());
        status.put("last_command", last == null ? null : last.command());
        status.put("last_exit_code", last == null ? null : last.exitCode());
        status.put("last_duration_s", last == null ? null
                : (last.finishedAt().toEpochMilli() - last.startedAt().toEpochMilli()) / 1000.0);
        status.put("last_run_results", last == null ? null : last.runDir());
        status.put("next_run_at", nextRun == null ? null : nextRun.toString());
        status.put("runs", runs);
        try {
            Files.createDirectories(statusFile.getParent());
            final Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            MAPPER.writeValue(tmp.toFile(), status);
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + statusFile, e);
        }
    }
}
