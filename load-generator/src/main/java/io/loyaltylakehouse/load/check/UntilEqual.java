package io.loyaltylakehouse.load.check;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one poll loop of the checks: compares again, every {@code every}, until there is no difference from the truth
 * or the wait is over. A comparison that fails (a component restarting) counts as one difference and is retried.
 */
public final class UntilEqual {
    private static final Logger LOG = LoggerFactory.getLogger(UntilEqual.class);

    /** One comparison with the truth: its differences, one line each. */
    @FunctionalInterface
    public interface Comparison {
        List<String> differences() throws Exception;
    }

    private UntilEqual() {}

    /** The differences left when they are gone (empty) or {@code wait} has passed. */
    public static List<String> await(final Comparison comparison, final Duration wait, final Duration every)
            throws InterruptedException {
        final long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<String> differences;
            try {
                differences = comparison.differences();
            } catch (final InterruptedException e) {
                throw e;
            } catch (final Exception e) {
                differences = List.of("cannot compare yet: " + e.getMessage());
            }
            if (differences.isEmpty() || System.nanoTime() >= deadline) {
                return differences;
            }
            LOG.info(
                    "{} differences from the truth so far (first: {}), comparing again",
                    differences.size(),
                    differences.get(0));
            Thread.sleep(every.toMillis());
        }
    }
}
