package io.loyaltylakehouse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.ops.OpsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's receiver in the local stack: its webhook posts here ({@code POST /alerts} on the supervisor's HTTP
 * port) and each alert becomes one line of {@code <data>/logs/alerts.log}:
 * {@code <received at> <FIRING|RESOLVED> <alertname> <labels as JSON> <summary>}.
 */
final class AlertLog {
    private static final Logger LOG = LoggerFactory.getLogger(AlertLog.class);

    private final Path file;

    AlertLog(final Path file) {
        this.file = file;
    }

    synchronized OpsServer.Response receive(final byte[] body) throws IOException {
        final JsonNode message = Json.MAPPER.readTree(body);
        final StringBuilder lines = new StringBuilder();
        for (final JsonNode alert : message.path("alerts")) {
            final String line = Instant.now() + " "
                    + alert.path("status").asText("firing").toUpperCase(java.util.Locale.ROOT)
                    + " " + alert.path("labels").path("alertname").asText("?") + " " + Json.toJson(alert.path("labels"))
                    + " " + alert.path("annotations").path("summary").asText("");
            LOG.warn("alert: {}", line);
            lines.append(line).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, lines.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return OpsServer.Response.json(200, "{\"status\":\"logged\"}");
    }
}
