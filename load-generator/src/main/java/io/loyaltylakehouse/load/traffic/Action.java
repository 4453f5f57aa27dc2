package io.loyaltylakehouse.load.traffic;

import io.loyaltylakehouse.load.legacy.LegacyOp;

/** One thing the run does next, in the order the oracle decided it. */
public sealed interface Action {

    /** What a sent record is meant to be; the oracle decides what it actually is from its bytes. */
    enum Kind { PURCHASE, REDEMPTION, PROMOTION, WITHDRAWAL, BAD_RECORD }

    /** A Kafka record; {@code value} null is a tombstone. */
    record Send(String topic, String key, byte[] value, Kind kind) implements Action {
    }

    /** A statement on the legacy database. */
    record LegacyWrite(LegacyOp op) implements Action {
    }

    /** Flush everything and wait, so edge-streams knows the promotions before the purchases they affect. */
    record Settle() implements Action {
    }
}
