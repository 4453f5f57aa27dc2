package io.loyaltylakehouse.dbt;

import io.loyaltylakehouse.dbt.adapter.TrinoAdapter;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.Invocation;
import io.loyaltylakehouse.dbt.project.DbtException;
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

    /** Runs one command and returns dbt's exit code. */
    public static int run(final String... args) {
        try {
            final Invocation invocation = Invocation.parse(args);
            return new CommandRunner(TrinoAdapter::connect, System.getenv()).run(invocation).exitCode();
        } catch (final DbtException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (final RuntimeException e) {
            LOG.error("Encountered an error: {}", e.toString(), e);
            return 2;
        }
    }
}
