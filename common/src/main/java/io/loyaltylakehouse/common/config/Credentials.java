package io.loyaltylakehouse.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local secrets of CONTRACT section 2: {@code $DATA_DIR/credentials.env} (lines {@code NAME=value}, written by
 * the first {@code make up}, mode 0600). An environment variable of the same name wins over the file, so a real
 * deployment passes its secrets without the file.
 */
public final class Credentials {
    public static final String FILE_NAME = "credentials.env";

    private final Path file;
    private final Map<String, String> values;

    private Credentials(final Path file, final Map<String, String> values) {
        this.file = file;
        this.values = Map.copyOf(values);
    }

    /** The secrets of the data directory that {@code settings} names, with the process environment on top. */
    public static Credentials load(final Settings settings) {
        return load(Path.of(settings.require("data.dir")), System.getenv());
    }

    public static Credentials load(final Path dataDir, final Map<String, String> env) {
        final Path file = dataDir.resolve(FILE_NAME);
        final Map<String, String> merged = new TreeMap<>(read(file));
        merged.keySet().forEach(name -> {
            final String fromEnv = env.get(name);
            if (fromEnv != null && !fromEnv.isBlank()) {
                merged.put(name, fromEnv);
            }
        });
        env.forEach((name, value) -> {
            if ((name.startsWith("TRINO_PASSWORD_")
                            || name.startsWith("PG_PASSWORD_")
                            || name.equals("EDGE_FORWARDING_SECRET"))
                    && !value.isBlank()) {
                merged.put(name, value);
            }
        });
        return new Credentials(file, merged);
    }

    /** {@code loyalty_admin} -> {@code TRINO_PASSWORD_LOYALTY_ADMIN}. */
    public static String trinoPasswordName(final String user) {
        return "TRINO_PASSWORD_" + user.toUpperCase(Locale.ROOT);
    }

    /** {@code loyalty_catalog} -> {@code PG_PASSWORD_LOYALTY_CATALOG}. */
    public static String pgPasswordName(final String role) {
        return "PG_PASSWORD_" + role.toUpperCase(Locale.ROOT);
    }

    /** The Trino password of {@code user}; fails with where it should have come from. */
    public String trinoPassword(final String user) {
        return secret(trinoPasswordName(user));
    }

    /** The secret named {@code name}; fails with where it should have come from, never with its value. */
    public String secret(final String name) {
        return find(name).orElseThrow(() -> missing(name));
    }

    public java.util.Optional<String> find(final String name) {
        return java.util.Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    /** The error for a secret that is neither in the file nor in the environment. */
    public IllegalStateException missing(final String name) {
        return new IllegalStateException("no secret " + name + ": run `make up` once (it writes " + file
                + ") or set the environment variable " + name);
    }

    static Map<String, String> read(final Path file) {
        final Map<String, String> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (final String line : Files.readAllLines(file)) {
                final String trimmed = line.trim();
                final int equals = trimmed.indexOf('=');
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && equals > 0) {
                    out.put(
                            trimmed.substring(0, equals).trim(),
                            trimmed.substring(equals + 1).trim());
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the local secrets in " + file, e);
        }
        return out;
    }
}
