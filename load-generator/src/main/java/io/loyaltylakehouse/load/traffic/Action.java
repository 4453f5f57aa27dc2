package io.loyaltylakehouse.load.traffic;

import io.loyaltylakehouse.load.legacy.LegacyOp;
import java.time.Instant;

/** One thing the run does next, in the order the oracle decided it. */
public sealed interface Action {

    /** What a sent record is meant to be; the oracle decides what it actually is from its bytes. */
    enum Kind {
        PURCHASE,
        REDEMPTION,
        PROMOTION,
        WITHDRAWAL,
        BAD_RECORD
    }

    /**
     * A Kafka record; {@code value} null is a tombstone.
     *
     * @param partition  an explicit partition, or null for the producer's default partitioner
     * @param receivedAt the simulated clock when it is sent: its record timestamp and the oracle's receiving clock;
     *                   null for promotions, whose outcome does not depend on it
     * @param id         the transaction_id / redemption_id it carries, so a later record can wait for it
     * @param after      the id of an earlier record that the pipeline must have consumed before this one is sent
     */
    record Send(
            String topic,
            String key,
            Integer partition,
            byte[] value,
            Kind kind,
            Instant receivedAt,
            String id,
            String after)
            implements Action {

        Send(final String topic, final String key, final byte[] value, final Kind kind) {
            this(topic, key, null, value, kind, null, null, null);
        }
    }

    /** A statement on the legacy database. */
    record LegacyWrite(LegacyOp op) implements Action {}
}
