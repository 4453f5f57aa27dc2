package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code make memory}'s measure on real processes: a shell with a child of its own, this JVM. */
class StackMemoryTest {
    @Test
    void aProcessCountsWithItsChildren() throws Exception {
        final Process shell = new ProcessBuilder("sh", "-c", "sleep 60; true").start();
        try {
            final ProcessHandle sleep = await().atMost(Duration.ofSeconds(10))
                    .until(() -> shell.toHandle().children().findFirst().orElse(null), child -> child != null);
            final long shellOnly = StackMemory.pssBytes(shell.toHandle());
            final long sleepOnly = StackMemory.pssBytes(sleep);
            assertThat(shellOnly).isPositive();
            assertThat(sleepOnly).isPositive();
            assertThat(StackMemory.pss(shell.toHandle())).isEqualTo(shellOnly + sleepOnly);
            // a JVM has tens of MiB resident
            assertThat(StackMemory.pssBytes(ProcessHandle.current())).isGreaterThan(20L << 20);
        } finally {
            shell.toHandle().descendants().forEach(ProcessHandle::destroy);
            shell.destroy();
        }
    }

    @Test
    void aProcessThatHasExitedCountsNothing() throws Exception {
        final Process child = new ProcessBuilder("true").start();
        child.waitFor();
        assertThat(StackMemory.pssBytes(child.toHandle())).isZero();
    }
}
