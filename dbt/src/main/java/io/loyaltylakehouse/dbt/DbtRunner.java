package io.loyaltylakehouse.dbt;

import io.loyaltylakehouse.dbt.adapter.TrinoAdapter;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.Invocation;
import io.loyaltylakehouse.dbt.project.DbtException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dbt} on the JVM: runs a dbt-trino project through Trino JDBC with dbt's command line
 * ({@code build|run|test|seed|snapshot|compile|parse|debug}) and exit codes (0 ok, 1 node failures, 2 usage,
 * project or connection errors).
 */
public final class DbtRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DbtRunner.class);

    private DbtRunner() {
    }

    public static void main(final String[] args) {
        System.exit(run(args));
    }

    /**
     * The environment profiles.yml sees: the process environment plus {@code TRINO_HOST}/{@code TRINO_PORT} taken
     * from the stack's Trino URL when they are not set, so one {@code TRINO_URL} points both the stack and dbt.
     */
    public static Map<String, String> environment(final Map<String, String> env, final String trinoUrl) {
        final Map<String, String> merged = new HashMap<>(env);
        final URI uri = URI.create(trinoUrl);
        merged.putIfAbsent("TRINO_HOST", uri.getHost());
        if (uri.getPort() > 0) {
            merged.putIfAbsent("TRINO_PORT", String.valueOf(uri.getPort()));
        }
        return merged;
    }

    /** Runs one command and returns dbt's exit code. */
    public static int run(final String... args) {
        try {
            final Invocation invocation = Invocation.parse(args);
            final String trinoUrl = System.getenv().getOrDefault("TRINO_URL", "http://127.0.0.1:8080");
            return new CommandRunner(TrinoAdapter::connect, environment(System.getenv(), trinoUrl)).run(invocation)
                    .exitCode();
        } catch (final DbtException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (final RuntimeException e) {
            LOG.error("Encountered an error: {}", e.toString(), e);
            return 2;
        }
    }
}
