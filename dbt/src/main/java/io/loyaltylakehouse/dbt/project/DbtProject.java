package io.loyaltylakehouse.dbt.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code dbt_project.yml}: name, profile, resource paths, vars, folder-level configs and run hooks. */
public record DbtProject(
        Path root,
        String name,
        String profile,
        List<String> modelPaths,
        List<String> seedPaths,
        List<String> snapshotPaths,
        List<String> testPaths,
        List<String> macroPaths,
        String targetPath,
        Map<String, Object> vars,
        Map<String, Map<String, Object>> folderConfigs,
        List<String> onRunStart,
        List<String> onRunEnd) {

    public static final String FILE = "dbt_project.yml";

    public static DbtProject load(final Path root) {
        final Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new DbtException("No dbt_project.yml found at expected path " + file.toAbsolutePath()
                    + " (use --project-dir)");
        }
        final Map<String, Object> yaml = Yamls.read(root, file);
        final String name = Yamls.string(yaml.get("name"), null);
        if (name == null) {
            throw DbtException.at(FILE, 1, "'name' is required");
        }
        final Object version = yaml.get("config-version");
        if (version != null && !"2".equals(String.valueOf(version))) {
            throw DbtException.at(FILE, Yamls.lineOf(String.valueOf(yaml), "config-version"),
                    "only config-version: 2 is supported");
        }
        return new DbtProject(
                root,
                name,
                Yamls.string(yaml.get("profile"), name),
                paths(yaml, "model-paths", "models"),
                paths(yaml, "seed-paths", "seeds"),
                paths(yaml, "snapshot-paths", "snapshots"),
                paths(yaml, "test-paths", "tests"),
                paths(yaml, "macro-paths", "macros"),
                Yamls.string(yaml.get("target-path"), "target"),
                Yamls.map(yaml.get("vars")),
                Map.of(
                        "models", Yamls.map(yaml.get("models")),
                        "seeds", Yamls.map(yaml.get("seeds")),
                        "snapshots", Yamls.map(yaml.get("snapshots")),
                        "data_tests", Yamls.map(yaml.containsKey("data_tests") ? yaml.get("data_tests") : yaml.get("tests"))),
                Yamls.strings(yaml.get("on-run-start")),
                Yamls.strings(yaml.get("on-run-end")));
    }

    private static List<String> paths(final Map<String, Object> yaml, final String key, final String fallback) {
        final Object value = yaml.get(key);
        return value == null ? List.of(fallback) : Yamls.strings(value);
    }
}
