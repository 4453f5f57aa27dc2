package io.loyaltylakehouse.reconciler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds where a restarted job resumes: Flink retains the last completed checkpoint of every run under
 * {@code <checkpoint dir>/<job id>/chk-<n>/_metadata}; the newest complete one across runs wins.
 */
public final class CheckpointRestore {

    private CheckpointRestore() {}

    /** The newest completed checkpoint directory under {@code checkpointDir}, if any. */
    public static Optional<Path> latestCheckpoint(final Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(CheckpointRestore::completedCheckpoints)
                    .max(Comparator.comparing(CheckpointRestore::completedAt));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
        }
    }

    private static Stream<Path> completedCheckpoints(final Path jobDir) {
        try (Stream<Path> children = Files.list(jobDir)) {
            return children
                    .filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .filter(path -> Files.isRegularFile(path.resolve("_metadata")))
                    .toList()
                    .stream();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + jobDir, e);
        }
    }

    private static FileTime completedAt(final Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
