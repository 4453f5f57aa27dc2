package io.loyaltylakehouse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code --add-opens} flags the stack's Java 17 components need (Flink, Hadoop reflection). They are
 * defined once, as {@code jvm.opens} in the parent pom, and copied into {@code jvm-opens.txt} at build time.
 */
final class JavaOptions {
    static final List<String> OPENS = load();

    private JavaOptions() {}

    private static List<String> load() {
        try (InputStream in = JavaOptions.class.getResourceAsStream("/jvm-opens.txt")) {
            return List.of(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
        } catch (final IOException e) {
            throw new UncheckedIOException("jvm-opens.txt missing from the local-stack build", e);
        }
    }
}
