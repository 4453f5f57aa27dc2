package io.loyaltylakehouse.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A component's configuration, resolved in this order (later wins):
 * <ol>
 *   <li>{@code loyalty-defaults.properties} (endpoints every component shares, from the contract),</li>
 *   <li>{@code loyalty-rules.properties} (the numbers of the business rules, CONTRACT section 4: {@link #RULES}),</li>
 *   <li>the component's own {@code <component>.properties} on the classpath (its documented defaults),</li>
 *   <li>environment variables: key {@code kafka.bootstrap.servers} is overridden by {@code KAFKA_BOOTSTRAP_SERVERS},</li>
 *   <li>JVM system properties with the exact key.</li>
 * </ol>
 * Only keys present in a defaults file can be overridden, so a typo in an override is never silently ignored
 * by a component that reads the key: {@link #require} fails with the key and its variable name.
 */
public final class Settings {
    /** The one file holding the business rules' numbers (fraud limit, window, pause, lateness, ...). */
    public static final String RULES = "loyalty-rules.properties";

    private final String component;
    private final Map<String, String> values;

    private Settings(final String component, final Map<String, String> values) {
        this.component = component;
        this.values = Map.copyOf(values);
    }

    /** Loads the shared defaults, then {@code <component>.properties}, then environment and system properties. */
    public static Settings load(final String component) {
        return load(component, System.getenv(), System.getProperties());
    }

    /** Only the documented defaults, ignoring environment and system properties: for tests of defaults. */
    public static Settings defaults(final String component) {
        return load(component, Map.of(), new Properties());
    }

    static Settings load(final String component, final Map<String, String> env, final Properties system) {
        final Map<String, String> merged = new TreeMap<>();
        readClasspath("loyalty-defaults.properties", merged);
        readClasspath(RULES, merged);
        readClasspath(component + ".properties", merged);
        for (final String key : Map.copyOf(merged).keySet()) {
            final String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv);
            }
            final String fromSystem = system.getProperty(key);
            if (fromSystem != null) {
                merged.put(key, fromSystem);
            }
        }
        return new Settings(component, merged);
    }

    /** Settings from an explicit map, for tests and for programs that embed a component. */
    public static Settings of(final String component, final Map<String, String> values) {
        return new Settings(component, values);
    }

    /** A copy with some keys replaced. */
    public Settings with(final Map<String, String> overrides) {
        final Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new Settings(component, merged);
    }

    /** {@code kafka.bootstrap.servers} -> {@code KAFKA_BOOTSTRAP_SERVERS}. */
    public static String envName(final String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String require(final String key) {
        final String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(component + ": setting '" + key + "' is missing (set it in " + component
                    + ".properties or the environment variable " + envName(key) + ")");
        }
        return value.trim();
    }

    public String get(final String key, final String fallback) {
        final String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public int requireInt(final String key) {
        return parse(key, Integer::parseInt);
    }

    public long requireLong(final String key) {
        return parse(key, Long::parseLong);
    }

    public boolean requireBoolean(final String key) {
        return parse(key, value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
            return Boolean.parseBoolean(value);
        });
    }

    /** A duration in ISO-8601 ({@code PT10M}) or as a number with a unit suffix ({@code 10m}, {@code 500ms}, {@code 7d}). */
    public Duration requireDuration(final String key) {
        return parse(key, Settings::parseDuration);
    }

    /** Every key under {@code prefix.}, with the prefix removed: passes client settings straight through. */
    public Properties withPrefix(final String prefix) {
        final Properties out = new Properties();
        final String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        values.forEach((key, value) -> {
            if (key.startsWith(dotted) && !value.isBlank()) {
                out.setProperty(key.substring(dotted.length()), value.trim());
            }
        });
        return out;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String component() {
        return component;
    }

    static Duration parseDuration(final String text) {
        final String value = text.trim();
        if (value.startsWith("P") || value.startsWith("p")) {
            return Duration.parse(value);
        }
        final int split = firstNonDigit(value);
        final long amount = Long.parseLong(value.substring(0, split));
        final String unit = value.substring(split).trim();
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s", "" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown duration unit '" + unit + "' in '" + text + "'");
        };
    }

    private static int firstNonDigit(final String value) {
        int index = 0;
        while (index < value.length() && Character.isDigit(value.charAt(index))) {
            index++;
        }
        return index;
    }

    private <T> T parse(final String key, final java.util.function.Function<String, T> parser) {
        final String raw = require(key);
        try {
            return parser.apply(raw);
        } catch (final RuntimeException e) {
            throw new IllegalStateException(
                    component + ": setting '" + key + "' = '" + raw + "' is invalid: " + e.getMessage()
                            + " (environment variable " + envName(key) + ")",
                    e);
        }
    }

    private static void readClasspath(final String resource, final Map<String, String> into) {
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            final Properties properties = new Properties();
            properties.load(in);
            properties.stringPropertyNames().forEach(name -> into.put(name, properties.getProperty(name)));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    public String toString() {
        return component + Objects.toString(values);
    }
}
