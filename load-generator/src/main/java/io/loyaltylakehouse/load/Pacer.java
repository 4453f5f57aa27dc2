package io.loyaltylakehouse.load;

import java.util.concurrent.locks.LockSupport;

/** Holds the run to RATE events per second of wall clock; a rate of 0 never waits. */
final class Pacer {
    private final double rate;
    private final long startedAt = System.nanoTime();

    Pacer(final double rate) {
        this.rate = rate;
    }

    /** Waits until event number {@code done} (0-based) is due. */
    void await(final long done) {
        if (rate <= 0) {
            return;
        }
        final long due = startedAt + (long) (done * 1_000_000_000d / rate);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
