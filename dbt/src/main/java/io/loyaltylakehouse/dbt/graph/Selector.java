package io.loyaltylakehouse.dbt.graph;

import io.loyaltylakehouse.dbt.project.DbtException;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.ResourceType;
import io.loyaltylakehouse.dbt.project.SourceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection syntax: space-separated union, comma-separated intersection; methods {@code tag:},
 * {@code path:}, {@code source:}, {@code resource_type:}, {@code config.<key>:}, {@code fqn:}, {@code test_name:},
 * {@code test_type:} and plain names/fqn; graph operators {@code +x}, {@code x+}, {@code 2+x}, {@code x+1},
 * {@code @x}. Tests are selected indirectly (eagerly) when any parent is selected.
 */
public final class Selector {
    private static final Pattern CRITERION = Pattern.compile("^(@)?(\\d*\\+)?(.+?)(\\+\\d*)?$");

    private final Manifest manifest;
    private final Graph graph;

    public Selector(final Manifest manifest, final Graph graph) {
        this.manifest = manifest;
        this.graph = graph;
    }

    /** Selected node ids of the given resource types, after {@code --exclude}. No {@code --select} = everything. */
    public Set<String> select(final List<String> select, final List<String> exclude, final Set<ResourceType> types) {
        final Set<String> chosen = select.isEmpty() ? new LinkedHashSet<>(graph.vertices()) : withTests(union(select));
        chosen.removeAll(withTests(union(exclude)));
        final Set<String> result = new TreeSet<>();
        for (final String id : chosen) {
            final Node node = manifest.nodes().get(id);
            if (node != null && types.contains(node.type()) && !"ephemeral".equals(node.materialized())) {
                result.add(id);
            }
        }
        return result;
    }

    private Set<String> union(final List<String> specs) {
        final Set<String> all = new LinkedHashSet<>();
        for (final String spec : specs) {
            for (final String token : spec.trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    all.addAll(intersection(token));
                }
            }
        }
        return all;
    }

    private Set<String> intersection(final String token) {
        Set<String> result = null;
        for (final String criterion : token.split(",")) {
            final Set<String> matched = criterion(criterion);
            if (result == null) {
                result = matched;
            } else {
                result.retainAll(matched);
            }
        }
        return result == null ? new LinkedHashSet<>() : result;
    }

    Set<String> criterion(final String text) {
        final Matcher m = CRITERION.matcher(text);
        if (!m.matches()) {
            throw new DbtException("invalid selector '" + text + "'");
        }
        final boolean at = m.group(1) != null;
        final int up = depth(m.group(2), true);
        final int down = depth(m.group(4), false);
        final Set<String> base = method(m.group(3));
        final Set<String> result = new LinkedHashSet<>(base);
        for (final String id : base) {
            if (up != 0) {
                result.addAll(graph.ancestors(id, up));
            }
            if (down != 0 || at) {
                final Set<String> descendants = graph.descendants(id, at ? -1 : down);
                result.addAll(descendants);
                if (at) {
                    descendants.forEach(d -> result.addAll(graph.ancestors(d, -1)));
                }
            }
        }
        return result;
    }

    /** {@code null} = no operator (0), {@code +} = unlimited (-1), {@code 2+}/{@code +2} = that many generations. */
    private static int depth(final String operator, final boolean prefix) {
        if (operator == null) {
            return 0;
        }
        final String digits = prefix ? operator.substring(0, operator.length() - 1) : operator.substring(1);
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }

    private Set<String> method(final String spec) {
        final int colon = spec.indexOf(':');
        final String method = colon < 0 ? (spec.contains("/") || spec.endsWith(".sql") ? "path" : "fqn")
                : spec.substring(0, colon);
        final String value = colon < 0 ? spec : spec.substring(colon + 1);
        final Set<String> matched = new LinkedHashSet<>();
        switch (method) {
            case "fqn" -> manifest.all().stream().filter(n -> fqnMatches(n, value)).forEach(n -> matched.add(n.uniqueId()));
            case "tag" -> manifest.all().stream().filter(n -> n.tags().contains(value)).forEach(n -> matched.add(n.uniqueId()));
            case "path", "file" -> manifest.all().stream().filter(n -> pathMatches(n.originalFilePath(), value))
                    .forEach(n -> matched.add(n.uniqueId()));
            case "resource_type" -> manifest.all().stream().filter(n -> n.type().label().equals(value))
                    .forEach(n -> matched.add(n.uniqueId()));
            case "test_name" -> manifest.all().stream().filter(n -> n.testMetadata() != null
                    && glob(value, n.testMetadata().testName())).forEach(n -> matched.add(n.uniqueId()));
            case "test_type" -> manifest.all().stream().filter(n -> n.type() == ResourceType.TEST
                    && ("generic".equals(value) == (n.testMetadata() != null))).forEach(n -> matched.add(n.uniqueId()));
            case "source" -> manifest.sources().values().stream().filter(s -> sourceMatches(s, value))
                    .forEach(s -> matched.add(s.uniqueId()));
            default -> {
                if (!method.startsWith("config.")) {
                    throw new DbtException("selector method '" + method + "' is not supported by the JVM runner");
                }
                final String key = method.substring("config.".length());
                manifest.all().stream().filter(n -> configMatches(n.config().get(key), value))
                        .forEach(n -> matched.add(n.uniqueId()));
            }
        }
        return matched;
    }

    private boolean fqnMatches(final Node node, final String value) {
        if (glob(value, node.name())) {
            return true;
        }
        final List<String> parts = Arrays.asList(value.split("\\."));
        final List<String> fqn = node.fqn();
        return prefix(parts, fqn) || prefix(parts, fqn.subList(1, fqn.size()));
    }

    private static boolean prefix(final List<String> parts, final List<String> fqn) {
        if (parts.size() > fqn.size()) {
            return false;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (!glob(parts.get(i), fqn.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean pathMatches(final String file, final String value) {
        final String wanted = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        return file.equals(wanted) || file.startsWith(wanted + "/") || glob(wanted, file);
    }

    private boolean sourceMatches(final SourceTable source, final String value) {
        final String[] parts = value.split("\\.");
        if (parts.length == 3) {
            return parts[0].equals(manifest.project().name()) && glob(parts[1], source.sourceName()) && glob(parts[2], source.name());
        }
        return glob(parts[0], source.sourceName()) && (parts.length == 1 || glob(parts[1], source.name()));
    }

    private static boolean configMatches(final Object configured, final String value) {
        if (configured instanceof List<?> list) {
            return list.stream().anyMatch(v -> String.valueOf(v).equals(value));
        }
        return configured != null && String.valueOf(configured).toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT));
    }

    static boolean glob(final String pattern, final String text) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return pattern.equals(text);
        }
        final String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return text.matches(regex);
    }

    /** Eager indirect selection: every test with at least one selected parent. */
    private Set<String> withTests(final Set<String> selected) {
        final Set<String> result = new LinkedHashSet<>(selected);
        final List<Node> tests = new ArrayList<>(manifest.all().stream().filter(n -> n.type() == ResourceType.TEST).toList());
        for (final Node test : tests) {
            if (test.dependsOn().stream().anyMatch(selected::contains)) {
                result.add(test.uniqueId());
            }
        }
        // a unit test goes with the model it tests
        manifest.all().stream().filter(n -> n.unitTest() != null && selected.contains(n.unitTest().model()))
                .forEach(n -> result.add(n.uniqueId()));
        return result;
    }
}
