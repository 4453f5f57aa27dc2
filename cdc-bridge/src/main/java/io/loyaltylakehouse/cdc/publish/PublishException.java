package io.loyaltylakehouse.cdc.publish;

/** Kafka did not acknowledge a record: nothing of the batch may be marked processed. */
public final class PublishException extends RuntimeException {
    public PublishException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
