package io.loyaltylakehouse.dbt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies the fixture projects of src/test/resources/projects into a temp dir, so artifacts land there. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path project(final String name, final Path into) {
        try {
            final Path source = Path.of(Fixtures.class.getResource("/projects/" + name).toURI());
            final Path target = into.resolve(name);
            try (Stream<Path> files = Files.walk(source)) {
                for (final Path file : files.toList()) {
                    final Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            return target;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file of an ad-hoc project. */
    public static void write(final Path project, final String file, final String text) {
        try {
            final Path path = project.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
