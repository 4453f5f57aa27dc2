package io.loyaltylakehouse.stack;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.function.Predicate;

/** The probes behind {@code make status} and the supervisor's wait for health. */
final class HealthChecks {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HealthChecks() {}

    static Component.HealthCheck tcp(final String host, final int port) {
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (final Exception e) {
                return false;
            }
        };
    }

    static Component.HealthCheck jdbc(final String url, final String user, final String password) {
        return () -> {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                return connection.isValid(2);
            } catch (final Exception e) {
                return false;
            }
        };
    }

    static Component.HealthCheck http(final String url, final Predicate<String> bodyIsHealthy) {
        return () -> {
            try {
                final HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(3))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && bodyIsHealthy.test(response.body());
            } catch (final Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
        };
    }
}
