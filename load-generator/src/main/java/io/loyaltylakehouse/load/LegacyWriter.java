package io.loyaltylakehouse.load;

import io.loyaltylakehouse.load.legacy.LegacyOp;

/** Where the run's legacy statements go: PostgreSQL, or nowhere in a dry run. */
public interface LegacyWriter extends AutoCloseable {

    /** Runs a statement, possibly in a transaction that commits later. */
    void execute(LegacyOp op);

    /** Commits what is pending. */
    void flush();

    @Override
    void close();
}
