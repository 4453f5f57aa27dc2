package io.loyaltylakehouse.dbt.project;

import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a dbt project into a {@link Manifest}: macros first, then properties YAML (sources, models, seeds,
 * snapshots, tests), then models, seeds, snapshots and singular tests (each rendered once with
 * {@code execute=false} to capture {@code config()}, {@code ref()} and {@code source()}), then relation names
 * through {@code generate_schema_name}, then generic tests and the DAG edges.
 */
public final class ProjectParser {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectParser.class);
    private static final Pattern SNAPSHOT_BLOCK = Pattern.compile(
            "\\{%-?\\s*snapshot\\s+(\\w+)\\s*-?%}(.*?)\\{%-?\\s*endsnapshot\\s*-?%}", Pattern.DOTALL);
    private static final Pattern REF_CALL = Pattern.compile("ref\\(\\s*['\"]([\\w.]+)['\"]\\s*\\)");
    private static final Pattern SOURCE_CALL = Pattern.compile(
            "source\\(\\s*['\"](\\w+)['\"]\\s*,\\s*['\"](\\w+)['\"]\\s*\\)");
    private static final Set<String> MATERIALIZATIONS = Set.of("view", "table", "incremental", "ephemeral");
    private static final Set<String> STRATEGIES = Set.of("append", "merge", "delete+insert", "default");

    private final DbtProject project;
    private final Flags flags;
    private final DbtJinja jinja;
    private final Manifest manifest;
    /** Properties YAML entries by resource key ({@code model:name}), with the file they came from. */
    private final Map<String, Properties> properties = new LinkedHashMap<>();
    private final List<Properties> snapshotDefinitions = new ArrayList<>();
    private final List<Properties> unitTests = new ArrayList<>();

    private record Properties(String file, String text, Map<String, Object> entry) {
    }

    private ProjectParser(final DbtProject project, final Target target, final Flags flags, final DbtJinja jinja) {
        this.project = project;
        this.flags = flags;
        this.jinja = jinja;
        this.manifest = new Manifest(project, target);
    }

    public static Manifest parse(final DbtProject project, final Target target, final Flags flags, final DbtJinja jinja) {
        final ProjectParser parser = new ProjectParser(project, target, flags, jinja);
        parser.loadMacros();
        parser.readProperties();
        parser.readModels();
        parser.readSeeds();
        parser.readSnapshots();
        parser.readSingularTests();
        parser.dropDisabled();
        parser.manifest.all().forEach(parser::resolveRelation);
        parser.buildGenericTests();
        parser.linkDependencies();
        parser.buildUnitTests();
        return parser.manifest;
    }

    // ---- files

    private List<Path> files(final List<String> folders, final String... extensions) {
        final List<Path> found = new ArrayList<>();
        for (final String folder : folders) {
            final Path dir = project.root().resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> Stream.of(extensions).anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
                        .sorted()
                        .forEach(found::add);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new DbtException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private String relative(final Path file) {
        return project.root().relativize(file).toString().replace('\\', '/');
    }

    /** The resource folder a file lives in (models, seeds…) and its path below it. */
    private String[] split(final List<String> folders, final Path file) {
        for (final String folder : folders) {
            final Path dir = project.root().resolve(folder);
            if (file.startsWith(dir)) {
                return new String[] {folder, dir.relativize(file).toString().replace('\\', '/')};
            }
        }
        return new String[] {"", relative(file)};
    }

    private List<String> fqn(final String pathBelowFolder, final String name) {
        final List<String> fqn = new ArrayList<>();
        fqn.add(project.name());
        final String[] parts = pathBelowFolder.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            fqn.add(parts[i]);
        }
        fqn.add(name);
        return fqn;
    }

    private static String stem(final Path file) {
        final String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    // ---- macros

    private void loadMacros() {
        final List<String> folders = new ArrayList<>(project.macroPaths());
        project.testPaths().forEach(t -> folders.add(t + "/generic"));
        for (final Path file : files(folders, ".sql")) {
            jinja.loadMacros(relative(file), read(file));
            final Matcher names = Pattern.compile("\\{%-?\\s*(macro|test)\\s+(\\w+)").matcher(read(file));
            while (names.find()) {
                manifest.macros().add(("test".equals(names.group(1)) ? "test_" : "") + names.group(2));
            }
        }
    }

    // ---- properties YAML

    private void readProperties() {
        final List<String> folders = new ArrayList<>(project.modelPaths());
        folders.addAll(project.seedPaths());
        folders.addAll(project.snapshotPaths());
        folders.addAll(project.testPaths());
        for (final Path file : files(folders, ".yml", ".yaml")) {
            final String text = read(file);
            final String rel = relative(file);
            final Map<String, Object> yaml = Yamls.parse(rel, text);
            for (final Map.Entry<String, Object> section : yaml.entrySet()) {
                switch (section.getKey()) {
                    case "version", "macros", "exposures", "metrics", "groups", "semantic_models", "saved_queries" -> {
                        // documentation-only sections: nothing to execute
                    }
                    case "sources" -> Yamls.list(section.getValue()).forEach(s -> addSource(rel, text, Yamls.map(s)));
                    case "models", "seeds" -> Yamls.list(section.getValue()).forEach(entry ->
                            putProperties(section.getKey(), rel, text, Yamls.map(entry)));
                    case "snapshots" -> Yamls.list(section.getValue()).forEach(entry -> {
                        final Map<String, Object> map = Yamls.map(entry);
                        if (map.containsKey("relation")) {
                            snapshotDefinitions.add(new Properties(rel, text, map));
                        }
                        putProperties("snapshots", rel, text, map);
                    });
                    case "unit_tests" -> Yamls.list(section.getValue()).forEach(entry ->
                            unitTests.add(new Properties(rel, text, Yamls.map(entry))));
                    default -> throw DbtException.at(rel, Yamls.lineOf(text, section.getKey() + ":"),
                            "unknown top-level key '" + section.getKey() + "'");
                }
            }
        }
    }

    private void putProperties(final String section, final String file, final String text, final Map<String, Object> entry) {
        final String name = Yamls.string(entry.get("name"), null);
        if (name == null) {
            throw DbtException.at(file, Yamls.lineOf(text, section + ":"), "every entry under '" + section + "' needs a name");
        }
        properties.put(section + ":" + name, new Properties(file, text, entry));
    }

    private void addSource(final String file, final String text, final Map<String, Object> source) {
        final String sourceName = Yamls.string(source.get("name"), null);
        if (sourceName == null) {
            throw DbtException.at(file, Yamls.lineOf(text, "sources:"), "every source needs a name");
        }
        final String database = Yamls.string(rendered(file, source.containsKey("database") ? source.get("database")
                : source.get("catalog")), manifest.target().database());
        final String schema = Yamls.string(rendered(file, source.get("schema")), sourceName);
        for (final Object rawTable : Yamls.list(source.get("tables"))) {
            final Map<String, Object> table = Yamls.map(rawTable);
            final String name = String.valueOf(table.get("name"));
            final String uniqueId = "source." + project.name() + "." + sourceName + "." + name;
            manifest.sources().put(uniqueId, new SourceTable(sourceName, name, uniqueId, database, schema,
                    Yamls.string(rendered(file, table.get("identifier")), name), Yamls.string(table.get("description"), ""), file,
                    columns(table), Yamls.strings(table.get("tags"))));
            properties.put("source:" + sourceName + "." + name, new Properties(file, text, table));
        }
    }

    /** Properties YAML values may use {@code var()}/{@code env_var()}, e.g. a source schema per environment. */
    private Object rendered(final String file, final Object value) {
        if (!(value instanceof String text) || !text.contains("{{")) {
            return value;
        }
        final Node holder = new Node(ResourceType.SOURCE, "properties", "properties." + file, project.name(), file, file,
                List.of(project.name()), "", 1);
        final NodeContext context = NodeContext.parsing(manifest, holder, flags);
        return jinja.renderNative(file, text, context, context.variables());
    }

    private static Map<String, Map<String, Object>> columns(final Map<String, Object> entry) {
        final Map<String, Map<String, Object>> columns = new LinkedHashMap<>();
        for (final Object raw : Yamls.list(entry.get("columns"))) {
            final Map<String, Object> column = Yamls.map(raw);
            final Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("name", String.valueOf(column.get("name")));
            kept.put("description", Yamls.string(column.get("description"), ""));
            if (column.containsKey("data_type")) {
                kept.put("data_type", column.get("data_type"));
            }
            columns.put(String.valueOf(column.get("name")), kept);
        }
        return columns;
    }

    /** Applies a YAML entry's description, columns and config to a node. */
    private void applyProperties(final Node node, final String section) {
        final Properties props = properties.get(section + ":" + node.name());
        if (props == null) {
            return;
        }
        node.description(Yamls.string(props.entry().get("description"), ""));
        node.columns().putAll(columns(props.entry()));
        ConfigMerge.merge(node.config(), Yamls.map(props.entry().get("config")));
    }

    // ---- models, seeds, snapshots, singular tests

    private void readModels() {
        for (final Path file : files(project.modelPaths(), ".sql", ".py")) {
            final String[] where = split(project.modelPaths(), file);
            if (file.toString().endsWith(".py")) {
                throw DbtException.at(relative(file), 1, "Python models are not supported by the JVM runner");
            }
            final String name = stem(file);
            final Node node = new Node(ResourceType.MODEL, name, "model." + project.name() + "." + name,
                    project.name(), where[1], relative(file), fqn(where[1], name), read(file), 1);
            ConfigMerge.merge(node.config(), ConfigMerge.folderConfig(project.folderConfigs().get("models"), node.fqn()));
            applyProperties(node, "models");
            renderForParse(node);
            validateModel(node);
            manifest.add(node);
        }
    }

    private void validateModel(final Node node) {
        final String materialized = node.materialized();
        if (!MATERIALIZATIONS.contains(materialized)) {
            throw DbtException.at(node.originalFilePath(), lineIn(node, "materialized"),
                    "materialization '" + materialized + "' is not supported by the JVM runner (view, table, incremental, ephemeral)");
        }
        final Object strategy = node.config().get("incremental_strategy");
        if ("incremental".equals(materialized) && strategy != null && !STRATEGIES.contains(String.valueOf(strategy))) {
            throw DbtException.at(node.originalFilePath(), lineIn(node, "incremental_strategy"),
                    "incremental_strategy '" + strategy + "' is not supported (append, merge, delete+insert)");
        }
        if (node.config().containsKey("contract") && Yamls.map(node.config().get("contract")).get("enforced") != null
                && Boolean.parseBoolean(String.valueOf(Yamls.map(node.config().get("contract")).get("enforced")))) {
            throw DbtException.at(node.originalFilePath(), lineIn(node, "contract"), "enforced contracts are not supported");
        }
    }

    private static int lineIn(final Node node, final String token) {
        final int line = Yamls.lineOf(node.rawCode(), token);
        return line == 0 ? node.line() : node.line() + line - 1;
    }

    private void readSeeds() {
        for (final Path file : files(project.seedPaths(), ".csv")) {
            final String[] where = split(project.seedPaths(), file);
            final String name = stem(file);
            final Node node = new Node(ResourceType.SEED, name, "seed." + project.name() + "." + name,
                    project.name(), where[1], relative(file), fqn(where[1], name), "", 1);
            ConfigMerge.merge(node.config(), ConfigMerge.folderConfig(project.folderConfigs().get("seeds"), node.fqn()));
            applyProperties(node, "seeds");
            manifest.add(node);
        }
    }

    private void readSnapshots() {
        for (final Path file : files(project.snapshotPaths(), ".sql")) {
            final String text = read(file);
            final String[] where = split(project.snapshotPaths(), file);
            final Matcher block = SNAPSHOT_BLOCK.matcher(text);
            boolean any = false;
            while (block.find()) {
                any = true;
                final String name = block.group(1);
                final List<String> fqn = new ArrayList<>(fqn(where[1], stem(file)));
                fqn.add(name);
                final int line = DbtJinja.lineOf(text, block.start(2));
                addSnapshot(new Node(ResourceType.SNAPSHOT, name, "snapshot." + project.name() + "." + name,
                        project.name(), where[1], relative(file), fqn, block.group(2), line));
            }
            if (!any && !text.isBlank()) {
                throw DbtException.at(relative(file), 1, "no {% snapshot <name> %} ... {% endsnapshot %} block found");
            }
        }
        for (final Properties definition : snapshotDefinitions) {
            final String name = String.valueOf(definition.entry().get("name"));
            final String[] where = split(project.snapshotPaths(), project.root().resolve(definition.file()));
            final String code = "select * from {{ " + definition.entry().get("relation") + " }}";
            addSnapshot(new Node(ResourceType.SNAPSHOT, name, "snapshot." + project.name() + "." + name,
                    project.name(), where[1], definition.file(), fqn(where[1], name), code,
                    Yamls.lineOf(definition.text(), "name: " + name)));
        }
    }

    private void addSnapshot(final Node node) {
        ConfigMerge.merge(node.config(), ConfigMerge.folderConfig(project.folderConfigs().get("snapshots"), node.fqn()));
        applyProperties(node, "snapshots");
        renderForParse(node);
        node.config().put("materialized", "snapshot");
        validateSnapshot(node);
        manifest.add(node);
    }

    private static void validateSnapshot(final Node node) {
        final Map<String, Object> config = node.config();
        final String strategy = Yamls.string(config.get("strategy"), null);
        final String file = node.originalFilePath();
        if (!"timestamp".equals(strategy) && !"check".equals(strategy)) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name()
                    + ": strategy must be 'timestamp' or 'check', got " + strategy);
        }
        if (config.get("unique_key") == null) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name() + ": unique_key is required");
        }
        if ("timestamp".equals(strategy) && config.get("updated_at") == null) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name() + ": the timestamp strategy needs updated_at");
        }
        if ("check".equals(strategy) && config.get("check_cols") == null) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name() + ": the check strategy needs check_cols");
        }
        if (config.get("hard_deletes") != null && config.get("invalidate_hard_deletes") != null) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name()
                    + ": set hard_deletes or the legacy invalidate_hard_deletes, not both");
        }
        final String hardDeletes = Yamls.string(config.get("hard_deletes"), "ignore");
        if (!Set.of("ignore", "invalidate", "new_record").contains(hardDeletes)) {
            throw DbtException.at(file, node.line(), "snapshot " + node.name()
                    + ": hard_deletes must be ignore, invalidate or new_record, got " + hardDeletes);
        }
    }

    private void readSingularTests() {
        for (final Path file : files(project.testPaths(), ".sql")) {
            final String[] where = split(project.testPaths(), file);
            if (where[1].startsWith("generic/")) {
                continue;
            }
            final String name = stem(file);
            final Node node = new Node(ResourceType.TEST, name, "test." + project.name() + "." + name,
                    project.name(), where[1], relative(file), fqn(where[1], name), read(file), 1);
            ConfigMerge.merge(node.config(), ConfigMerge.folderConfig(project.folderConfigs().get("data_tests"), node.fqn()));
            renderForParse(node);
            manifest.add(node);
        }
    }

    private void renderForParse(final Node node) {
        final NodeContext context = NodeContext.parsing(manifest, node, flags);
        jinja.render(node.originalFilePath(), node.line() - 1, node.rawCode(), context, context.variables());
    }

    private void dropDisabled() {
        manifest.nodes().values().removeIf(node -> !node.enabled());
    }

    // ---- relation names

    private void resolveRelation(final Node node) {
        final Map<String, Object> config = node.config();
        final Target target = manifest.target();
        final String database;
        final String schema;
        if (node.type() == ResourceType.SNAPSHOT && config.get("target_schema") != null) {
            schema = String.valueOf(config.get("target_schema"));
            database = Yamls.string(config.getOrDefault("target_database", config.get("database")), target.database());
        } else {
            final Object custom = node.type() == ResourceType.TEST ? "dbt_test__audit" : config.get("schema");
            schema = schemaName(custom, node);
            database = Yamls.string(config.get("database"), target.database());
        }
        final String alias = Yamls.string(config.get("alias"), node.name());
        node.relation(database, schema, alias);
    }

    /** dbt's generate_schema_name: the project's macro if it defines one, else target.schema[_custom]. */
    private String schemaName(final Object custom, final Node node) {
        if (jinja.hasMacro("generate_schema_name")) {
            final NodeContext context = NodeContext.parsing(manifest, node, flags);
            final Map<String, Object> nodeMap = new LinkedHashMap<>(Yamls.map(context.variables().get("model")));
            return jinja.callMacro("generate_schema_name", java.util.Arrays.asList(custom, nodeMap), context,
                    context.variables());
        }
        final String base = manifest.target().schema();
        return custom == null ? base : base + "_" + String.valueOf(custom).trim();
    }

    // ---- generic tests

    private void buildGenericTests() {
        for (final Map.Entry<String, Properties> e : properties.entrySet()) {
            final String key = e.getKey();
            final Properties props = e.getValue();
            final String kind = key.substring(0, key.indexOf(':'));
            final String name = key.substring(key.indexOf(':') + 1);
            final String attached;
            final String modelName;
            if ("source".equals(kind)) {
                final String[] parts = name.split("\\.", 2);
                attached = "source." + project.name() + "." + name;
                modelName = "source_" + parts[0] + "_" + parts[1];
            } else {
                final String type = kind.substring(0, kind.length() - 1);
                attached = type + "." + project.name() + "." + name;
                modelName = name;
                if (!manifest.nodes().containsKey(attached)) {
                    if (hasTests(props.entry())) {
                        LOG.warn("{}: tests for {} '{}' which is not in the project (or disabled) are ignored",
                                props.file(), type, name);
                    }
                    continue;
                }
            }
            for (final Object raw : testsOf(props.entry())) {
                addGenericTest(props, attached, modelName, null, raw);
            }
            for (final Object rawColumn : Yamls.list(props.entry().get("columns"))) {
                final Map<String, Object> column = Yamls.map(rawColumn);
                for (final Object raw : testsOf(column)) {
                    addGenericTest(props, attached, modelName, String.valueOf(column.get("name")), raw);
                }
            }
        }
    }

    private static boolean hasTests(final Map<String, Object> entry) {
        return !testsOf(entry).isEmpty();
    }

    private static List<Object> testsOf(final Map<String, Object> entry) {
        final List<Object> tests = new ArrayList<>(Yamls.list(entry.get("data_tests")));
        tests.addAll(Yamls.list(entry.get("tests")));
        return tests;
    }

    private void addGenericTest(final Properties props, final String attached, final String modelName,
                                final String column, final Object raw) {
        final int line = Yamls.lineOf(props.text(), raw instanceof String s ? s : String.valueOf(Yamls.map(raw).keySet().iterator().next()));
        final GenericTests.Entry entry = GenericTests.entry(raw, props.file(), line);
        final String testName = entry.testName();
        if (testName.contains(".")) {
            throw DbtException.at(props.file(), line, "test '" + testName
                    + "' comes from a package; packages are not supported by the JVM runner");
        }
        if (!GenericTests.BUILT_IN.contains(testName) && !jinja.hasMacro("test_" + testName)) {
            throw DbtException.at(props.file(), line, "generic test '" + testName
                    + "' not found (define it with {% test " + testName + "(model, column_name) %} in macros/ or tests/generic/)");
        }
        final Map<String, Object> args = new LinkedHashMap<>();
        if (column != null) {
            args.put("column_name", column);
        }
        args.putAll(entry.arguments());
        final String fullName = entry.explicitName() != null ? entry.explicitName()
                : GenericTests.fullName(testName, modelName, args);
        final String alias = entry.explicitName() != null ? fullName : GenericTests.alias(testName, modelName, fullName);
        final String hash = GenericTests.md5(fullName + args).substring(22);
        final String[] where = split(pathsFor(props.file()), project.root().resolve(props.file()));
        final List<String> fqn = fqn(where[1], fullName);
        final Node node = new Node(ResourceType.TEST, fullName, "test." + project.name() + "." + fullName + "." + hash,
                project.name(), alias + ".sql", props.file(), fqn, "", line);
        ConfigMerge.merge(node.config(), ConfigMerge.folderConfig(project.folderConfigs().get("data_tests"), fqn));
        ConfigMerge.merge(node.config(), entry.config());
        if (!node.enabled()) {
            return;
        }
        node.config().put("alias", alias);
        node.testMetadata(new Node.TestMetadata(testName, args, attached, column));
        node.dependsOn().add(attached);
        for (final Object value : args.values()) {
            final String text = String.valueOf(value);
            final Matcher ref = REF_CALL.matcher(text);
            while (ref.find()) {
                node.refs().add(List.of(ref.group(1)));
            }
            final Matcher source = SOURCE_CALL.matcher(text);
            while (source.find()) {
                node.sources().add(List.of(source.group(1), source.group(2)));
            }
        }
        resolveRelation(node);
        if (manifest.nodes().containsKey(node.uniqueId())) {
            throw DbtException.at(props.file(), line, "the same test is defined twice: " + fullName
                    + " (give one a 'name:')");
        }
        manifest.add(node);
    }

    private List<String> pathsFor(final String file) {
        final List<String> all = new ArrayList<>(project.modelPaths());
        all.addAll(project.seedPaths());
        all.addAll(project.snapshotPaths());
        all.addAll(project.testPaths());
        return all.stream().filter(folder -> file.startsWith(folder + "/")).toList();
    }

    // ---- unit tests

    /** dbt 1.8 unit tests with dict rows: {@code model}, {@code given: [{input, rows}]}, {@code expect: {rows}}. */
    private void buildUnitTests() {
        for (final Properties props : unitTests) {
            final Map<String, Object> entry = props.entry();
            final String name = String.valueOf(entry.get("name"));
            final int line = Yamls.lineOf(props.text(), "name: " + name);
            final String modelName = Yamls.string(entry.get("model"), null);
            final Node model = modelName == null ? null : manifest.nodes().get("model." + project.name() + "." + modelName);
            if (model == null) {
                throw DbtException.at(props.file(), line, "unit test '" + name + "' tests model '" + modelName
                        + "' which is not in the project");
            }
            final Map<String, List<Map<String, Object>>> given = new LinkedHashMap<>();
            for (final Object raw : Yamls.list(entry.get("given"))) {
                final Map<String, Object> input = Yamls.map(raw);
                given.put(String.valueOf(input.get("input")).replace('"', '\'').replaceAll("\\s+", ""),
                        rows(props, line, name, input));
            }
            final Map<String, Object> expect = Yamls.map(entry.get("expect"));
            if (entry.containsKey("overrides")) {
                throw DbtException.at(props.file(), Yamls.lineOf(props.text(), "overrides"), "unit test '" + name
                        + "': overrides are not supported by the JVM runner");
            }
            final String[] where = split(project.modelPaths(), project.root().resolve(props.file()));
            final List<String> fqn = new ArrayList<>(fqn(where[1], modelName));
            fqn.add(name);
            final Node test = new Node(ResourceType.UNIT_TEST, name, "unit_test." + project.name() + "." + modelName + "."
                    + name, project.name(), where[1], props.file(), fqn, model.rawCode(), line);
            ConfigMerge.merge(test.config(), Yamls.map(entry.get("config")));
            test.unitTest(new Node.UnitTestSpec(model.uniqueId(), given, rows(props, line, name, expect)));
            test.dependsOn().addAll(model.dependsOn());
            test.relation(model.database(), model.schema(), model.alias());
            if (test.enabled()) {
                manifest.add(test);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(final Properties props, final int line, final String test,
                                                  final Map<String, Object> fixture) {
        final String format = Yamls.string(fixture.get("format"), "dict");
        if (!"dict".equals(format) || fixture.containsKey("fixture")) {
            throw DbtException.at(props.file(), line, "unit test '" + test + "': only inline dict rows are supported,"
                    + " not format '" + format + "' or fixture files");
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        Yamls.list(fixture.get("rows")).forEach(row -> rows.add(Yamls.map(row)));
        return rows;
    }

    // ---- edges

    private void linkDependencies() {
        for (final Node node : manifest.all()) {
            for (final List<String> ref : node.refs()) {
                final String name = ref.get(ref.size() - 1);
                final Node target = manifest.refTarget(name).orElseThrow(() -> DbtException.at(node.originalFilePath(),
                        lineIn(node, name), node.type().label() + " '" + node.name() + "' depends on a node named '"
                                + name + "' which was not found"));
                node.dependsOn().add(target.uniqueId());
            }
            for (final List<String> source : node.sources()) {
                final String id = "source." + project.name() + "." + source.get(0) + "." + source.get(1);
                if (!manifest.sources().containsKey(id)) {
                    throw DbtException.at(node.originalFilePath(), lineIn(node, source.get(1)), node.type().label()
                            + " '" + node.name() + "' depends on a source named '" + source.get(0) + "." + source.get(1)
                            + "' which was not found");
                }
                node.dependsOn().add(id);
            }
        }
    }
}
