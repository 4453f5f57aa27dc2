package io.loyaltylakehouse.dbt.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** YAML reading with errors that name the file and line, plus loose typed accessors. */
public final class Yamls {
    private Yamls() {
    }

    public static Map<String, Object> parse(final String file, final String text) {
        try {
            final Object loaded = new Yaml(new LoaderOptions()).load(text);
            if (loaded == null) {
                return new LinkedHashMap<>();
            }
            if (!(loaded instanceof Map<?, ?>)) {
                throw DbtException.at(file, 1, "expected a YAML mapping at the top level");
            }
            return map(loaded);
        } catch (final MarkedYAMLException e) {
            throw DbtException.at(file, e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1,
                    "invalid YAML: " + e.getProblem());
        }
    }

    public static Map<String, Object> read(final Path root, final Path file) {
        try {
            return parse(root.relativize(file).toString(), Files.readString(file));
        } catch (final IOException e) {
            throw new DbtException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(final Object value) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (value instanceof Map<?, ?> map) {
            final Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>) map).forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        throw new DbtException("expected a mapping, got: " + value);
    }

    public static List<Object> list(final Object value) {
        if (value == null) {
            return new ArrayList<>();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return new ArrayList<>(List.of(value));
    }

    public static List<String> strings(final Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    public static String string(final Object value, final String fallback) {
        return value == null ? fallback : String.valueOf(value);
    }

    /** 1-based line of the first occurrence of {@code token} in {@code text}, 0 if absent. */
    public static int lineOf(final String text, final String token) {
        final int index = text.indexOf(token);
        if (index < 0) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
