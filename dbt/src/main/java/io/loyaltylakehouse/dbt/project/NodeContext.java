package io.loyaltylakehouse.dbt.project;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import io.loyaltylakehouse.dbt.jinja.ConfigAccessor;
import io.loyaltylakehouse.dbt.jinja.RenderScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dbt's context for rendering one node. While parsing it records {@code ref}/{@code source}/{@code config}
 * calls; while executing it resolves relations, collects ephemeral models to inline as CTEs and asks the
 * warehouse whether the model is incremental right now.
 */
public final class NodeContext implements RenderScope {
    private final Manifest manifest;
    private final Node node;
    private final Flags flags;
    private final Adapter adapter;
    private final List<Node> ephemerals = new ArrayList<>();
    /** Unit tests: inputs ({@code ref('x')}, {@code source('s','t')}) replaced by fixture CTEs, by CTE name. */
    private final Map<String, String> fixtures;
    private final Map<String, String> usedFixtures = new LinkedHashMap<>();

    private NodeContext(final Manifest manifest, final Node node, final Flags flags, final Adapter adapter,
                        final Map<String, String> fixtures) {
        this.manifest = manifest;
        this.node = node;
        this.flags = flags;
        this.adapter = adapter;
        this.fixtures = fixtures;
    }

    public static NodeContext parsing(final Manifest manifest, final Node node, final Flags flags) {
        return new NodeContext(manifest, node, flags, null, Map.of());
    }

    public static NodeContext executing(final Manifest manifest, final Node node, final Flags flags, final Adapter adapter) {
        return new NodeContext(manifest, node, flags, adapter, Map.of());
    }

    /** Renders a model for its unit test: the given inputs (keys like {@code ref('x')}) become CTEs. */
    public static NodeContext withFixtures(final Manifest manifest, final Node model, final Flags flags,
                                           final Adapter adapter, final java.util.Set<String> inputs) {
        final Map<String, String> fixtures = new LinkedHashMap<>();
        inputs.forEach(input -> fixtures.put(input, "__dbt__cte__" + input.replaceAll("^\\w+\\('|'\\)$", "")
                .replace("','", "_")));
        return new NodeContext(manifest, model, flags, adapter, fixtures);
    }

    /** Fixture inputs this render used: input key -> CTE name. */
    public Map<String, String> usedFixtures() {
        return usedFixtures;
    }

    private java.util.Optional<String> fixture(final String key) {
        final String cte = fixtures.get(key);
        if (cte != null) {
            usedFixtures.put(key, cte);
        }
        return java.util.Optional.ofNullable(cte);
    }

    @Override
    public boolean executing() {
        return adapter != null;
    }

    /** Ephemeral models this render referenced, in first-use order. */
    public List<Node> ephemerals() {
        return ephemerals;
    }

    @Override
    public Object ref(final List<String> args) {
        final String name = args.get(args.size() - 1);
        if (args.size() == 2 && !args.get(0).equals(manifest.project().name())) {
            throw new DbtException("ref('" + args.get(0) + "', '" + name + "'): packages are not supported");
        }
        if (!executing()) {
            node.refs().add(List.copyOf(args));
            return manifest.refTarget(name).filter(target -> target.schema() != null)
                    .map(manifest::relation)
                    .orElse(Relation.of(manifest.target().database(), manifest.target().schema(), name));
        }
        final java.util.Optional<String> fixture = fixture("ref('" + name + "')");
        if (fixture.isPresent()) {
            return fixture.get();
        }
        final Node target = manifest.refTarget(name).orElseThrow(() -> new DbtException(node.uniqueId()
                + " depends on a node named '" + name + "' which was not found"));
        if ("ephemeral".equals(target.materialized())) {
            if (!ephemerals.contains(target)) {
                ephemerals.add(target);
            }
            return "__dbt__cte__" + target.name();
        }
        return manifest.relation(target);
    }

    @Override
    public Object source(final String sourceName, final String tableName) {
        final Optional<SourceTable> source = manifest.source(sourceName, tableName);
        if (!executing()) {
            node.sources().add(List.of(sourceName, tableName));
            return source.map(SourceTable::relation)
                    .orElse(Relation.of(manifest.target().database(), sourceName, tableName));
        }
        final java.util.Optional<String> fixture = fixture("source('" + sourceName + "','" + tableName + "')");
        if (fixture.isPresent()) {
            return fixture.get();
        }
        return source.map(SourceTable::relation).orElseThrow(() -> new DbtException(node.uniqueId()
                + " depends on a source named '" + sourceName + "." + tableName + "' which was not found"));
    }

    @Override
    public void config(final Map<String, Object> values) {
        if (!executing()) {
            ConfigMerge.merge(node.config(), values);
        }
    }

    @Override
    public Object var(final String name, final Object fallback, final boolean hasFallback) {
        if (flags.cliVars().containsKey(name)) {
            return flags.cliVars().get(name);
        }
        final Map<String, Object> projectVars = manifest.project().vars();
        final Object scoped = projectVars.get(manifest.project().name());
        if (scoped instanceof Map<?, ?> map && map.containsKey(name)) {
            return map.get(name);
        }
        if (projectVars.containsKey(name)) {
            return projectVars.get(name);
        }
        if (hasFallback) {
            return fallback;
        }
        throw new DbtException("Required var '" + name + "' not found in config:\nVars supplied to "
                + node.name() + " = " + projectVars);
    }

    @Override
    public String envVar(final String name, final String fallback, final boolean hasFallback) {
        return EnvVars.lookup(flags.env(), name, fallback, hasFallback);
    }

    /** dbt: executing, {@code this} exists as a table, materialized incremental, and not a full refresh. */
    @Override
    public boolean isIncremental() {
        if (!executing() || !"incremental".equals(node.materialized()) || fullRefresh()) {
            return false;
        }
        return adapter.lookup(manifest.relation(node)).map(Relation::isTable).orElse(false);
    }

    /** The {@code full_refresh} config wins over the {@code --full-refresh} flag. */
    public boolean fullRefresh() {
        final Object configured = node.config().get("full_refresh");
        return configured == null ? flags.fullRefresh() : Boolean.parseBoolean(String.valueOf(configured));
    }

    /** The variables a template sees besides the functions. */
    public Map<String, Object> variables() {
        final Map<String, Object> vars = new LinkedHashMap<>();
        final Relation self = node.schema() == null
                ? Relation.of(manifest.target().database(), manifest.target().schema(), node.name())
                : manifest.relation(node);
        vars.put("this", self);
        vars.put("target", manifest.target().asJinja());
        vars.put("config", new ConfigAccessor(node.uniqueId(), node.config()));
        vars.put("model", modelMap());
        vars.put("database", self.getDatabase());
        vars.put("schema", self.getSchema());
        vars.put("project_name", manifest.project().name());
        vars.put("invocation_id", flags.invocationId());
        vars.put("run_started_at", flags.startedAt().toString());
        vars.put("flags", Map.of("FULL_REFRESH", flags.fullRefresh(), "WHICH", flags.command()));
        return vars;
    }

    private Map<String, Object> modelMap() {
        final Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", node.name());
        model.put("unique_id", node.uniqueId());
        model.put("resource_type", node.type().label());
        model.put("package_name", node.packageName());
        model.put("path", node.path());
        model.put("original_file_path", node.originalFilePath());
        model.put("fqn", node.fqn());
        model.put("config", node.config());
        model.put("tags", node.tags());
        model.put("alias", node.alias() == null ? node.name() : node.alias());
        model.put("schema", node.schema());
        model.put("database", node.database());
        model.put("raw_code", node.rawCode());
        return model;
    }
}
