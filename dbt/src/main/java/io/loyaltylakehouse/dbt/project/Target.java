package io.loyaltylakehouse.dbt.project;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One output of profiles.yml: where and as whom the runner connects (dbt-trino connection keys). */
public record Target(
        String profileName,
        String name,
        String type,
        String method,
        String host,
        int port,
        String user,
        String password,
        String database,
        String schema,
        int threads,
        String timezone,
        String httpScheme,
        Map<String, String> sessionProperties,
        List<String> clientTags) {

    public Target {
        Objects.requireNonNull(database, "database is null");
        Objects.requireNonNull(schema, "schema is null");
        sessionProperties = Map.copyOf(sessionProperties);
        clientTags = List.copyOf(clientTags);
    }

    /** The {@code target} variable templates see. */
    public Map<String, Object> asJinja() {
        final Map<String, Object> target = new LinkedHashMap<>();
        target.put("name", name);
        target.put("target_name", name);
        target.put("profile_name", profileName);
        target.put("type", type);
        target.put("method", method);
        target.put("host", host);
        target.put("port", port);
        target.put("user", user);
        target.put("database", database);
        target.put("catalog", database);
        target.put("schema", schema);
        target.put("threads", threads);
        target.put("timezone", timezone);
        return target;
    }

    /** A copy pointing at another schema (tests isolate themselves this way). */
    public Target withSchema(final String newSchema) {
        return new Target(profileName, name, type, method, host, port, user, password, database, newSchema, threads,
                timezone, httpScheme, sessionProperties, clientTags);
    }
}
