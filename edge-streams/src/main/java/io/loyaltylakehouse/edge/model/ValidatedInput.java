package io.loyaltylakehouse.edge.model;

import io.loyaltylakehouse.common.model.DeadLetter;

/**
 * A purchase or redemption after a check (validation, then the global id check): the event going on, or its dead
 * letter with the key to write it under.
 */
public record ValidatedInput(AccountEvent event, DeadLetter deadLetter) {

    public static ValidatedInput accepted(final AccountEvent event) {
        return new ValidatedInput(event, null);
    }

    public static ValidatedInput refused(final DeadLetter deadLetter) {
        return new ValidatedInput(null, deadLetter);
    }

    public boolean isRefused() {
        return deadLetter != null;
    }
}
