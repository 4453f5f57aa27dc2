package io.loyaltylakehouse.reconciler.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local MiniCluster's web UI and REST API as CONTRACT 2 promises them: read-only. Flink's own switches
 * ({@code web.submit.enable}, {@code web.cancel.enable}) hide buttons and refuse jar uploads, but its REST API still
 * cancels a job on {@code PATCH /jobs/:id}; so Flink listens on a private loopback port and this gateway, on the
 * public port, passes only GET and HEAD through. Everything else gets 405.
 */
public final class ReadOnlyRestGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyRestGateway.class);
    private static final Set<String> READS = Set.of("GET", "HEAD");
    /** Hop-by-hop and framing headers: the JDK server and client set their own. */
    private static final Set<String> NOT_COPIED =
            Set.of("connection", "content-length", "transfer-encoding", "host", "keep-alive", "upgrade");

    private final HttpServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI flink;

    private ReadOnlyRestGateway(final HttpServer server, final URI flink) {
        this.server = server;
        this.flink = flink;
    }

    /** Serves {@code host:port} in front of Flink's REST endpoint at {@code flink}. */
    public static ReadOnlyRestGateway start(final String host, final int port, final URI flink) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        final ReadOnlyRestGateway gateway = new ReadOnlyRestGateway(server, flink);
        server.createContext("/", gateway::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "flink-rest-gateway");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return gateway;
    }

    /** A free port on loopback for Flink's own REST endpoint, which only this gateway talks to. */
    public static int privatePort(final String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!READS.contains(exchange.getRequestMethod())) {
                LOG.warn(
                        "refused {} {} from {}: the REST API is read-only",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRemoteAddress());
                reply(exchange, 405, "{\"errors\":[\"the reconciler's Flink REST API is read-only\"]}");
                return;
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(
                            flink.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_COPIED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            final HttpResponse<InputStream> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_COPIED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            final boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.statusCode(), head ? -1 : 0);
            try (InputStream body = response.body();
                    OutputStream out = exchange.getResponseBody()) {
                if (!head) {
                    body.transferTo(out);
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final IOException e) {
            LOG.debug("Flink REST not reachable through the gateway: {}", e.toString());
        }
    }

    private static void reply(final HttpExchange exchange, final int status, final String json) throws IOException {
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
