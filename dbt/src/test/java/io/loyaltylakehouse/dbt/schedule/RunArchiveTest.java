package io.loyaltylakehouse.dbt.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunArchiveTest {
    @TempDir
    Path dir;

    @Test
    void keepsEachRunAndPrunesTheOldest() throws Exception {
        final Path results = dir.resolve("run_results.json");
        Files.writeString(results, "{\"results\": []}");
        final RunArchive archive = new RunArchive(dir.resolve("runs"), dir.resolve("status.json"), 2);

        archive.archive(Instant.parse("2026-11-25T14:00:00Z"), results);
        archive.archive(Instant.parse("2026-11-25T14:15:00Z"), results);
        final Path last = archive.archive(Instant.parse("2026-11-25T14:30:00Z"), results);

        assertThat(last).endsWith(Path.of("20261125T143000Z"));
        assertThat(last.resolve("run_results.json")).hasContent("{\"results\": []}");
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            assertThat(runs.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("20261125T141500Z", "20261125T143000Z");
        }
    }

    @Test
    void statusFileSaysWhatHappenedAndWhatIsNext() throws Exception {
        final RunArchive archive = new RunArchive(dir.resolve("runs"), dir.resolve("dbt/status.json"), 5);
        archive.writeStatus("*/15 * * * *", new RunArchive.LastRun(Instant.parse("2026-11-25T14:00:00Z"),
                Instant.parse("2026-11-25T14:00:03Z"), "snapshot", 1, "/runs/x"), Instant.parse("2026-11-25T14:15:00Z"), 3);
        assertThat(Files.readString(dir.resolve("dbt/status.json")))
                .contains("\"last_result\":\"failed\"", "\"last_exit_code\":1", "\"last_duration_s\":3.0",
                        "\"next_run_at\":\"2026-11-25T14:15:00Z\"", "\"runs\":3");
    }
}
