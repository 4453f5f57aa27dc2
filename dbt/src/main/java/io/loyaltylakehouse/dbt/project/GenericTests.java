package io.loyaltylakehouse.dbt.project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a {@code data_tests:} entry of a properties YAML into a test node, named the way dbt names generic tests
 * ({@code not_null_orders_id}, {@code accepted_values_orders_status__placed__shipped}, long names shortened to
 * 30 chars + md5).
 */
public final class GenericTests {
    public static final Set<String> BUILT_IN = Set.of("unique", "not_null", "accepted_values", "relationships");
    /** Keys of a test entry that configure the test rather than being its arguments. */
    private static final Set<String> CONFIG_KEYS = Set.of("severity", "where", "limit", "warn_if", "error_if",
            "fail_calc", "store_failures", "store_failures_as", "tags", "enabled", "meta", "database", "schema", "alias");

    private GenericTests() {
    }

    /** One parsed test entry: the test macro, its arguments and its config. */
    public record Entry(String testName, String explicitName, Map<String, Object> arguments, Map<String, Object> config) {
    }

    /** Reads {@code - unique}, {@code - accepted_values: {values: [...]}} or the 1.10 {@code arguments:} form. */
    public static Entry entry(final Object raw, final String file, final int line) {
        if (raw instanceof String name) {
            return new Entry(name, null, new LinkedHashMap<>(), new LinkedHashMap<>());
        }
        final Map<String, Object> wrapper = Yamls.map(raw);
        if (wrapper.size() != 1) {
            throw DbtException.at(file, line, "a data test entry must have exactly one key (the test name), got "
                    + wrapper.keySet());
        }
        final String testName = wrapper.keySet().iterator().next();
        final Map<String, Object> body = Yamls.map(wrapper.get(testName));
        final Map<String, Object> arguments = new LinkedHashMap<>();
        final Map<String, Object> config = new LinkedHashMap<>();
        String explicitName = null;
        for (final Map.Entry<String, Object> e : body.entrySet()) {
            switch (e.getKey()) {
                case "name" -> explicitName = String.valueOf(e.getValue());
                case "config" -> config.putAll(Yamls.map(e.getValue()));
                case "arguments" -> arguments.putAll(Yamls.map(e.getValue()));
                case "description", "test_name", "column_name" -> {
                    if ("column_name".equals(e.getKey())) {
                        arguments.put("column_name", e.getValue());
                    }
                }
                default -> {
                    if (CONFIG_KEYS.contains(e.getKey())) {
                        config.put(e.getKey(), e.getValue());
                    } else {
                        arguments.put(e.getKey(), e.getValue());
                    }
                }
            }
        }
        return new Entry(testName, explicitName, arguments, config);
    }

    /** dbt's synthesized name: {@code <test>_<model>_<args sorted by name, flattened, cleaned, '__'-joined>}. */
    public static String fullName(final String testName, final String modelName, final Map<String, Object> args) {
        final List<String> flat = new ArrayList<>();
        new TreeMap<>(args).forEach((key, value) -> {
            if ("model".equals(key)) {
                return;
            }
            if (value instanceof Map<?, ?> map) {
                map.values().forEach(v -> flat.add(String.valueOf(v)));
            } else if (value instanceof List<?> list) {
                list.forEach(v -> flat.add(String.valueOf(v)));
            } else {
                flat.add(String.valueOf(value));
            }
        });
        final String unique = String.join("__", flat.stream().map(a -> a.replaceAll("[^0-9a-zA-Z_]+", "_")).toList());
        return testName + "_" + modelName + "_" + unique;
    }

    /** The alias: the full name, or for names of 64+ chars the first 30 chars of test_model + '_' + md5(full name). */
    public static String alias(final String testName, final String modelName, final String fullName) {
        if (fullName.length() < 64) {
            return fullName;
        }
        final String identifier = testName + "_" + modelName;
        return identifier.substring(0, Math.min(30, identifier.length())) + "_" + md5(fullName);
    }

    public static String md5(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
