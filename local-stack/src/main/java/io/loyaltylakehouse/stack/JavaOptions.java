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

    /**
     * The stack's resident memory (issue 12 and 13: within 3.5 GB): a G1 JVM collects when idle for a minute and then
     * gives unused heap back to the system, so a burst (a load, a dbt build) does not stay resident for good. G1
     * shrinks only to keep MaxHeapFreeRatio free (70% by default: the reconciler kept 362 MB committed for 107 MB
     * live); at 30% it came down to 150 MB.
     */
    static final List<String> RETURN_IDLE_HEAP =
            List.of("-XX:G1PeriodicGCInterval=60000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

    /**
     * For the JVMs that do little work (the supervisor, PostgreSQL's wrapper): one-thread collector, only the quick
     * compiler, small code cache and thread stacks, and a heap that shrinks back to what is live after a full
     * collection, at once rather than over four collections (Serial keeps 70% free by default, shrinks in steps, and
     * never goes below the initial heap, which defaults to 1/64 of the machine's memory); about half their resident
     * memory.
     */
    static final List<String> SMALL_SERVICE = List.of(
            "-XX:+UseSerialGC",
            "-Xms16m",
            "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=32m",
            "-Xss512k",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:-ShrinkHeapInSteps");

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
