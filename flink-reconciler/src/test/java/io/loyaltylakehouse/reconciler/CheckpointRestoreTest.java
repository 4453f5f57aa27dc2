package io.loyaltylakehouse.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRestoreTest {

    @Test
    void noDirectoryOrNoCompletedCheckpointMeansAFreshStart(@TempDir final Path dir) throws Exception {
        assertThat(CheckpointRestore.latestCheckpoint(dir.resolve("missing"))).isEmpty();
        Files.createDirectories(dir.resolve("job-a/chk-3"));

        assertThat(CheckpointRestore.latestCheckpoint(dir)).isEmpty();
    }

    @Test
    void theNewestCompletedCheckpointAcrossRunsWins(@TempDir final Path dir) throws Exception {
        final Path older = completed(dir, "job-a/chk-12", Instant.parse("2026-11-25T12:00:00Z"));
        final Path newer = completed(dir, "job-b/chk-2", Instant.parse("2026-11-25T12:05:00Z"));
        Files.createDirectories(dir.resolve("job-b/chk-3"));

        assertThat(CheckpointRestore.latestCheckpoint(dir)).contains(newer);
        assertThat(older).exists();
    }

    private static Path completed(final Path root, final String checkpoint, final Instant at) throws Exception {
        final Path dir = Files.createDirectories(root.resolve(checkpoint));
        final Path metadata = Files.writeString(dir.resolve("_metadata"), "checkpoint");
        Files.setLastModifiedTime(metadata, FileTime.from(at));
        return dir;
    }
}
