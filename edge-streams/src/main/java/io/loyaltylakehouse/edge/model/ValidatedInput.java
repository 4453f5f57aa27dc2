package io.loyaltylakehouse.edge.model;

import io.loyaltylakehouse.common.model.DeadLetter;

/** A purchase or redemption record after validation: the event for the account, or its dead letter. */
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
