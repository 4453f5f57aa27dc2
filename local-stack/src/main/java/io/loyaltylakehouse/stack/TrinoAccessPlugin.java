package io.loyaltylakehouse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the project's Trino access-control plugin ({@code trino/access-control}) into the server's plugin
 * directory. Trino 476's SPI is Java 24 bytecode, which the project's Java 17 build cannot read, so it is
 * compiled here with the Java 22+ runtime that runs Trino, and only when the jar is missing or older than a source.
 */
final class TrinoAccessPlugin {
    static final String DIRECTORY = "loyalty-access";

    private TrinoAccessPlugin() {}

    static void build(final Path sources, final Path trinoHome, final Path javaHome) {
        final Path jar = trinoHome.resolve("plugin").resolve(DIRECTORY).resolve("loyalty-access.jar");
        try {
            if (Files.exists(jar) && newest(sources).compareTo(Files.getLastModifiedTime(jar)) <= 0) {
                return;
            }
            final Path classes = Files.createTempDirectory("loyalty-access");
            final List<String> javac = new ArrayList<>(List.of(
                    javaHome.resolve("bin/javac").toString(),
                    "-nowarn",
                    "-cp",
                    spiJar(trinoHome).toString(),
                    "-d",
                    classes.toString()));
            try (Stream<Path> files = Files.walk(sources.resolve("src"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> javac.add(file.toString()));
            }
            run(javac);
            Files.createDirectories(jar.getParent());
            run(List.of(
                    javaHome.resolve("bin/jar").toString(),
                    "--create",
                    "--file",
                    jar.toString(),
                    "-C",
                    classes.toString(),
                    ".",
                    "-C",
                    sources.toString(),
                    "META-INF"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot build the Trino access-control plugin from " + sources, e);
        }
    }

    private static Path spiJar(final Path trinoHome) throws IOException {
        try (Stream<Path> jars = Files.list(trinoHome.resolve("lib"))) {
            return jars.filter(jar -> jar.getFileName().toString().matches("io\\.trino_trino-spi-\\d+\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no trino-spi jar in " + trinoHome.resolve("lib")));
        }
    }

    private static FileTime newest(final Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            FileTime newest = FileTime.fromMillis(0);
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                final FileTime modified = Files.getLastModifiedTime(file);
                newest = modified.compareTo(newest) > 0 ? modified : newest;
            }
            return newest;
        }
    }

    private static void run(final List<String> command) throws IOException {
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "building the Trino access-control plugin failed: " + command.get(0) + "\n" + output);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the Trino access-control plugin", e);
        }
    }
}
