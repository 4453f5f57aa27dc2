package io.loyaltylakehouse.edge.validation;

import static java.util.Objects.requireNonNull;

/** The outcome of checking one input record: the typed message, or why it was refused. */
public sealed interface Validated<T> {

    record Valid<T>(T value) implements Validated<T> {
        public Valid {
            requireNonNull(value, "value is null");
        }
    }

    record Invalid<T>(String reason) implements Validated<T> {
        public Invalid {
            requireNonNull(reason, "reason is null");
        }
    }

    static <T> Validated<T> valid(final T value) {
        return new Valid<>(value);
    }

    static <T> Validated<T> invalid(final String reason) {
        return new Invalid<>(reason);
    }
}
