package io.loyaltylakehouse.dbt.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges configs the way dbt layers them (dbt_project.yml folders, then properties YAML, then {@code config()}):
 * later values win, except tags and hooks which accumulate and meta which merges.
 */
public final class ConfigMerge {
    /** Config keys whose value is a mapping, so a key without {@code +} holding a map is a config, not a folder. */
    private static final Set<String> MAP_CONFIGS = Set.of("persist_docs", "properties", "column_types", "meta",
            "grants", "contract", "snapshot_meta_column_names", "docs", "session_properties");

    private ConfigMerge() {
    }

    /** {@code pre-hook} and {@code +pre-hook} are {@code pre_hook}. */
    public static String normalize(final String key) {
        final String bare = key.startsWith("+") ? key.substring(1) : key;
        return switch (bare) {
            case "pre-hook" -> "pre_hook";
            case "post-hook" -> "post_hook";
            default -> bare;
        };
    }

    @SuppressWarnings("unchecked")
    public static void merge(final Map<String, Object> into, final Map<String, Object> values) {
        values.forEach((rawKey, value) -> {
            final String key = normalize(rawKey);
            switch (key) {
                case "tags", "pre_hook", "post_hook" -> {
                    final List<Object> merged = new ArrayList<>(Yamls.list(into.get(key)));
                    merged.addAll(Yamls.list(value));
                    into.put(key, merged);
                }
                case "meta" -> {
                    final Map<String, Object> merged = new LinkedHashMap<>(Yamls.map(into.get(key)));
                    merged.putAll(Yamls.map(value));
                    into.put(key, merged);
                }
                default -> into.put(key, value instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : value);
            }
        });
    }

    /**
     * Applies the folder configs of dbt_project.yml for a node with this fqn: level 0 is the project name, then
     * each folder, then the node's own name; deeper levels win.
     */
    public static Map<String, Object> folderConfig(final Map<String, Object> tree, final List<String> fqn) {
        final Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> level = tree;
        for (final String part : fqn) {
            final Object next = level.get(part);
            if (!(next instanceof Map<?, ?>)) {
                break;
            }
            level = Yamls.map(next);
            merge(config, configsAt(level));
        }
        return config;
    }

    private static Map<String, Object> configsAt(final Map<String, Object> level) {
        final Map<String, Object> configs = new LinkedHashMap<>();
        level.forEach((key, value) -> {
            if (key.startsWith("+") || !(value instanceof Map<?, ?>) || MAP_CONFIGS.contains(key)) {
                configs.put(key, value);
            }
        });
        return configs;
    }
}
