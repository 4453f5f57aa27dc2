package io.loyaltylakehouse.stack;

import java.util.List;
import java.util.Optional;

/**
 * One process of the local stack: its name, the endpoint people use, the command that starts it
 * (empty when its module is not built), and how to tell it is healthy.
 */
public record Component(
        String name, String endpoint, Optional<List<String>> command, HealthCheck health, boolean infrastructure) {

    /** Answers whether the component serves requests now; never throws. */
    @FunctionalInterface
    public interface HealthCheck {
        boolean healthy();
    }

    /** The environment variable every started process carries, the marker of those that take no JVM flag. */
    public static final String MARKER_VARIABLE = "LOYALTY_COMPONENT";

    /** The JVM flag every process the stack starts carries, so PIDs are only ever matched to our own processes. */
    public static String marker(final String name) {
        return "-Dloyalty.component=" + name;
    }
}
