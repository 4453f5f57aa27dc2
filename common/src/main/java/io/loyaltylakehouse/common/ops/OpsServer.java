package io.loyaltylakehouse.common.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP server every long-running component exposes: {@code GET /health} (200 when healthy,
 * 503 otherwise, body = a one-line JSON status) and {@code GET /metrics} (the Prometheus Java client's handler:
 * Prometheus or OpenMetrics text as the scraper asks). Components add their own routes (the balance API) with
 * {@link #route}, and {@link #receive} for a POST endpoint (the alert webhook).
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;

    /** What {@code /health} answers. */
    public record Health(boolean healthy, String json) {}

    /** A response of a custom route. */
    public record Response(int status, String contentType, String body) {
        public static Response json(final int status, final String body) {
            return new Response(status, "application/json", body);
        }
    }

    /** A route's handler; the exchange gives the path and query. */
    @FunctionalInterface
    public interface Route {
        Response handle(HttpExchange exchange) throws Exception;
    }

    public OpsServer(final String host, final int port, final Supplier<Health> health, final Metrics metrics)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "ops-http");
            thread.setDaemon(true);
            return thread;
        }));
        route("/health", exchange -> {
            final Health current = health.get();
            return Response.json(current.healthy() ? 200 : 503, current.json());
        });
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
    }

    /** A POST endpoint's handler: gets the request body, answers with a response. */
    @FunctionalInterface
    public interface Receiver {
        Response receive(byte[] body) throws Exception;
    }

    /** Adds a route for every path starting with {@code prefix}. */
    public OpsServer route(final String prefix, final Route route) {
        server.createContext(prefix, adapt("GET", route));
        return this;
    }

    /** Adds a POST endpoint for every path starting with {@code prefix}. */
    public OpsServer receive(final String prefix, final Receiver receiver) {
        server.createContext(prefix, adapt("POST", exchange -> {
            try (java.io.InputStream in = exchange.getRequestBody()) {
                return receiver.receive(in.readNBytes(MAX_BODY_BYTES));
            }
        }));
        return this;
    }

    public OpsServer start() {
        server.start();
        LOG.info("HTTP endpoints listening on http://{}:{}", server.getAddress().getHostString(), port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static HttpHandler adapt(final String method, final Route route) {
        return exchange -> {
            Response response;
            try {
                if (!method.equals(exchange.getRequestMethod())) {
                    response = Response.json(405, "{\"error\":\"only " + method + " is supported\"}");
                } else {
                    response = route.handle(exchange);
                }
            } catch (final Exception e) {
                LOG.warn("HTTP {} failed: {}", exchange.getRequestURI(), e.toString());
                response = Response.json(500, "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
            }
            final byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    static String quote(final String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
    }
}
