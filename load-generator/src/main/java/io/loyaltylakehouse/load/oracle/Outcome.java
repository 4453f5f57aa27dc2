package io.loyaltylakehouse.load.oracle;

import io.loyaltylakehouse.common.model.FraudAlert;

/** How the oracle decided one input record. {@code alert} is set on the purchase that crossed the fraud limit. */
public record Outcome(Kind kind, long points, long withheldPoints, boolean late, FraudAlert alert, String reason) {

    public enum Kind {
        DEAD_LETTER,
        DUPLICATE,
        AWARDED,
        PAUSED,
        REDEEMED,
        REJECTED,
        PROMOTION,
        WITHDRAWN
    }

    static Outcome of(final Kind kind) {
        return new Outcome(kind, 0, 0, false, null, null);
    }

    static Outcome deadLetter(final String reason) {
        return new Outcome(Kind.DEAD_LETTER, 0, 0, false, null, reason);
    }
}
