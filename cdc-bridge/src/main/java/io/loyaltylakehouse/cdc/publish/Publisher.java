package io.loyaltylakehouse.cdc.publish;

import java.util.List;

/** Where normalized changes go. */
public interface Publisher extends AutoCloseable {

    /**
     * Sends the records in order and returns only once every one of them is acknowledged.
     *
     * @throws PublishException if any record was not acknowledged; the caller must then not commit any of them
     */
    void publishAll(List<OutboundRecord> records) throws InterruptedException;

    @Override
    void close();
}
