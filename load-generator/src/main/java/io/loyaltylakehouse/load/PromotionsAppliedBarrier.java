package io.loyaltylakehouse.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the run back after a promotion (or its withdrawal) until edge-streams' global promotions store has applied
 * it ({@code GET /promotions/applied}: per partition, the next offset to apply). A purchase reads the store as it is
 * when the purchase is processed, so without this wait the purchases sent right after a promotion would get it or
 * not depending on timing, while the truth says they get it.
 */
final class PromotionsAppliedBarrier implements OrderingBarrier {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionsAppliedBarrier.class);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI applied;
    private final Duration timeout;
    private boolean held = true;

    private PromotionsAppliedBarrier(final URI applied, final Duration timeout) {
        this.applied = applied;
        this.timeout = timeout;
    }

    /** A barrier on the edge-streams at {@code baseUrl}, or none if it does not answer (not running). */
    static OrderingBarrier ifRunning(final String baseUrl, final Duration timeout) {
        final PromotionsAppliedBarrier barrier =
                new PromotionsAppliedBarrier(URI.create(baseUrl + "/promotions/applied"), timeout);
        try {
            barrier.next(0);
        } catch (final IOException e) {
            LOG.warn(
                    "edge-streams does not answer at {} ({}): not waiting for promotions to be applied (purchases"
                            + " right after a promotion may then differ from the truth)",
                    barrier.applied,
                    e.getMessage());
            return OrderingBarrier.NONE;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return OrderingBarrier.NONE;
        }
        LOG.info("a promotion is followed by more events only after edge-streams applied it ({})", barrier.applied);
        return barrier;
    }

    @Override
    public void awaitConsumed(final String topic, final int partition, final long offset) throws InterruptedException {
        if (!held) {
            return;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!consumed(topic, partition, offset)) {
            if (System.nanoTime() > deadline) {
                held = false;
                LOG.warn(
                        "edge-streams did not apply {}-{} offset {} within {}: no longer waiting for promotions,"
                                + " purchases may differ from the truth",
                        topic,
                        partition,
                        offset,
                        timeout);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    @Override
    public boolean consumed(final String topic, final int partition, final long offset) {
        if (!held) {
            return true;
        }
        try {
            return next(partition) > offset;
        } catch (final IOException e) {
            LOG.debug("edge-streams not answering (restarting?): {}", e.getMessage());
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The next offset edge-streams will apply on {@code partition}, 0 before it applied any. */
    private long next(final int partition) throws IOException, InterruptedException {
        final HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(applied).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + applied);
        }
        final JsonNode position =
                Json.MAPPER.readTree(response.body()).path("promotions").path(Integer.toString(partition));
        return position.isNumber() ? position.asLong() : 0;
    }

    @Override
    public boolean held() {
        return held;
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close: its threads end with the client
    }
}
