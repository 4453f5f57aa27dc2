package io.loyaltylakehouse.dbt.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One executable resource of the project: a model, seed, snapshot or data test. Parsing fills it in
 * (config, refs, sources, tests' metadata); relation names are resolved once the config is final.
 */
public final class Node {
    private final ResourceType type;
    private final String name;
    private final String uniqueId;
    private final String packageName;
    /** Path relative to its resource folder (models/, seeds/…), as dbt's {@code path}. */
    private final String path;
    /** Path relative to the project root. */
    private final String originalFilePath;
    private final List<String> fqn;
    private final String rawCode;
    /** Line in the file where the raw code starts (snapshot blocks), for error messages. */
    private final int line;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final List<List<String>> refs = new ArrayList<>();
    private final List<List<String>> sources = new ArrayList<>();
    private final Set<String> dependsOn = new LinkedHashSet<>();
    private final Map<String, Map<String, Object>> columns = new LinkedHashMap<>();
    private String description = "";
    private String database;
    private String schema;
    private String alias;
    private TestMetadata testMetadata;
    private UnitTestSpec unitTest;
    private String compiledCode;

    /** A generic test's origin: the test macro, its arguments, the model it is attached to and the column. */
    public record TestMetadata(String testName, Map<String, Object> kwargs, String attachedNode, String columnName) {
    }

    /**
     * A dbt unit test: the model under test, its fixture rows per input ({@code ref('x')} or
     * {@code source('s', 't')}) and the rows the model must return for them.
     */
    public record UnitTestSpec(String model, Map<String, List<Map<String, Object>>> given,
                               List<Map<String, Object>> expect) {
    }

    public Node(final ResourceType type, final String name, final String uniqueId, final String packageName,
                final String path, final String originalFilePath, final List<String> fqn, final String rawCode,
                final int line) {
        this.type = Objects.requireNonNull(type, "type is null");
        this.name = Objects.requireNonNull(name, "name is null");
        this.uniqueId = Objects.requireNonNull(uniqueId, "uniqueId is null");
        this.packageName = packageName;
        this.path = path;
        this.originalFilePath = originalFilePath;
        this.fqn = List.copyOf(fqn);
        this.rawCode = rawCode;
        this.line = line;
    }

    public ResourceType type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String uniqueId() {
        return uniqueId;
    }

    public String packageName() {
        return packageName;
    }

    public String path() {
        return path;
    }

    public String originalFilePath() {
        return originalFilePath;
    }

    public List<String> fqn() {
        return fqn;
    }

    public String rawCode() {
        return rawCode;
    }

    public int line() {
        return line;
    }

    /** The live config map (the parser merges into it; templates read it through {@code config.get}). */
    public Map<String, Object> config() {
        return config;
    }

    public String materialized() {
        return String.valueOf(config.getOrDefault("materialized", defaultMaterialization()));
    }

    private String defaultMaterialization() {
        return switch (type) {
            case SEED -> "seed";
            case SNAPSHOT -> "snapshot";
            case TEST -> "test";
            case UNIT_TEST -> "unit";
            default -> "view";
        };
    }

    @SuppressWarnings("unchecked")
    public List<String> tags() {
        final Object tags = config.get("tags");
        if (tags instanceof List<?> list) {
            return ((List<Object>) list).stream().map(String::valueOf).distinct().toList();
        }
        return tags == null ? List.of() : List.of(String.valueOf(tags));
    }

    public boolean enabled() {
        final Object enabled = config.get("enabled");
        return enabled == null || Boolean.parseBoolean(String.valueOf(enabled));
    }

    public List<List<String>> refs() {
        return refs;
    }

    public List<List<String>> sources() {
        return sources;
    }

    public Set<String> dependsOn() {
        return dependsOn;
    }

    public Map<String, Map<String, Object>> columns() {
        return columns;
    }

    public String description() {
        return description;
    }

    public void description(final String text) {
        this.description = text == null ? "" : text;
    }

    public String database() {
        return database;
    }

    public String schema() {
        return schema;
    }

    public String alias() {
        return alias;
    }

    public void relation(final String newDatabase, final String newSchema, final String newAlias) {
        this.database = newDatabase;
        this.schema = newSchema;
        this.alias = newAlias;
    }

    public TestMetadata testMetadata() {
        return testMetadata;
    }

    public void testMetadata(final TestMetadata metadata) {
        this.testMetadata = metadata;
    }

    public UnitTestSpec unitTest() {
        return unitTest;
    }

    public void unitTest(final UnitTestSpec spec) {
        this.unitTest = spec;
    }

    public String compiledCode() {
        return compiledCode;
    }

    public void compiledCode(final String code) {
        this.compiledCode = code;
    }

    @Override
    public String toString() {
        return uniqueId;
    }
}
