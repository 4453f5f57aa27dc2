package io.loyaltylakehouse.dbt.exec;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.StatementSplitter;
import io.loyaltylakehouse.dbt.artifacts.Artifacts;
import io.loyaltylakehouse.dbt.graph.ExecutionPlan;
import io.loyaltylakehouse.dbt.graph.Graph;
import io.loyaltylakehouse.dbt.graph.Selector;
import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import io.loyaltylakehouse.dbt.materialization.Ddl;
import io.loyaltylakehouse.dbt.project.DbtProject;
import io.loyaltylakehouse.dbt.project.Flags;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.ProfileLoader;
import io.loyaltylakehouse.dbt.project.ProjectParser;
import io.loyaltylakehouse.dbt.project.ResourceType;
import io.loyaltylakehouse.dbt.project.Target;
import io.loyaltylakehouse.dbt.project.Yamls;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one dbt command: parse the project, select and order nodes, create missing schemas, materialize each
 * node (skipping the descendants of failures), and write target/manifest.json and target/run_results.json.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final Function<Target, Adapter> connector;
    private final Map<String, String> env;

    /** The outcome of an invocation: dbt's exit code, the node results and where the artifacts went. */
    public record Outcome(int exitCode, List<NodeResult> results, Path targetDir) {
    }

    public CommandRunner(final Function<Target, Adapter> connector, final Map<String, String> env) {
        this.connector = connector;
        this.env = Map.copyOf(env);
    }

    static Set<ResourceType> typesOf(final String command) {
        return switch (command) {
            case "run" -> EnumSet.of(ResourceType.MODEL);
            case "test" -> EnumSet.of(ResourceType.TEST, ResourceType.UNIT_TEST);
            case "seed" -> EnumSet.of(ResourceType.SEED);
            case "snapshot" -> EnumSet.of(ResourceType.SNAPSHOT);
            case "compile" -> EnumSet.of(ResourceType.MODEL, ResourceType.TEST, ResourceType.SNAPSHOT);
            default -> EnumSet.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT, ResourceType.TEST,
                    ResourceType.UNIT_TEST);
        };
    }

    public Outcome run(final Invocation invocation) {
        final Instant started = Instant.now();
        final String invocationId = UUID.randomUUID().toString();
        final DbtJinja jinja = new DbtJinja();
        final DbtProject project = DbtProject.load(invocation.projectDir());
        final Path profiles = ProfileLoader.locate(invocation.profilesDir(), invocation.projectDir(), env);
        final Target target = ProfileLoader.load(profiles, project.profile(), invocation.target(), env, jinja);
        final Flags flags = new Flags(vars(invocation.varsYaml()), env, invocation.fullRefresh(), invocation.command(),
                invocationId, started);
        final Manifest manifest = ProjectParser.parse(project, target, flags, jinja);
        final Path targetDir = project.root().resolve(project.targetPath());
        LOG.info("Found {} models, {} seeds, {} snapshots, {} data tests, {} sources in project {}",
                count(manifest, ResourceType.MODEL), count(manifest, ResourceType.SEED),
                count(manifest, ResourceType.SNAPSHOT), count(manifest, ResourceType.TEST), manifest.sources().size(),
                project.name());
        Artifacts.write(targetDir.resolve("manifest.json"), Artifacts.manifest(manifest, invocationId));
        if ("parse".equals(invocation.command())) {
            return new Outcome(0, List.of(), targetDir);
        }
        final Graph graph = new Graph(manifest);
        final Set<String> selected = new Selector(manifest, graph).select(invocation.select(), invocation.exclude(),
                typesOf(invocation.command()));
        final ExecutionPlan plan = ExecutionPlan.of(manifest, graph, selected, "build".equals(invocation.command()));
        final List<NodeResult> results = new ArrayList<>();
        try (Adapter adapter = connector.apply(target)) {
            if ("debug".equals(invocation.command())) {
                adapter.query("select 1");
                LOG.info("Connection test: OK ({}:{} as {}, {}.{})", target.host(), target.port(), target.user(),
                        target.database(), target.schema());
                return new Outcome(0, List.of(), targetDir);
            }
            final Compiler compiler = new Compiler(manifest, jinja, flags, adapter);
            if ("compile".equals(invocation.command())) {
                for (final String id : plan.order()) {
                    NodeExecutor.writeCompiled(targetDir, manifest, manifest.node(id), compiler.compile(manifest.node(id)));
                }
                Artifacts.write(targetDir.resolve("manifest.json"), Artifacts.manifest(manifest, invocationId));
                return new Outcome(0, List.of(), targetDir);
            }
            runProjectHooks(adapter, compiler, manifest, project.onRunStart());
            createSchemas(adapter, manifest, plan.order());
            results.addAll(execute(adapter, compiler, manifest, plan, invocation, targetDir));
            runProjectHooks(adapter, compiler, manifest, project.onRunEnd());
        }
        final double elapsed = (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0;
        Artifacts.write(targetDir.resolve("run_results.json"), Artifacts.runResults(manifest, invocationId, results,
                elapsed, args(invocation)));
        Artifacts.write(targetDir.resolve("manifest.json"), Artifacts.manifest(manifest, invocationId));
        final int exit = results.stream().anyMatch(NodeResult::failed) ? 1 : 0;
        LOG.info("Finished running {} nodes in {}s. Done. PASS={} WARN={} ERROR={} SKIP={} TOTAL={}", results.size(),
                elapsed, countStatus(results, "success", "pass"), countStatus(results, "warn"),
                countStatus(results, "error", "fail"), countStatus(results, "skipped"), results.size());
        return new Outcome(exit, results, targetDir);
    }

    private static long count(final Manifest manifest, final ResourceType type) {
        return manifest.all().stream().filter(n -> n.type() == type).count();
    }

    private static long countStatus(final List<NodeResult> results, final String... statuses) {
        return results.stream().filter(r -> List.of(statuses).contains(r.status())).count();
    }

    static Map<String, Object> vars(final String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return Map.of();
        }
        final Map<String, Object> vars = Yamls.parse("--vars", yaml);
        final Map<String, Object> clean = new LinkedHashMap<>();
        vars.forEach((k, v) -> clean.put(k, v == null ? "" : v));
        return clean;
    }

    private static Map<String, Object> args(final Invocation invocation) {
        final Map<String, Object> args = new LinkedHashMap<>();
        args.put("which", invocation.command());
        args.put("select", invocation.select());
        args.put("exclude", invocation.exclude());
        args.put("full_refresh", invocation.fullRefresh());
        args.put("vars", vars(invocation.varsYaml()));
        args.put("target", invocation.target().orElse(null));
        args.put("project_dir", invocation.projectDir().toString());
        args.put("profiles_dir", invocation.profilesDir().map(Path::toString).orElse(null));
        args.put("warn_error", invocation.warnError());
        args.put("invocation_command", "dbt " + String.join(" ", invocation.args()));
        return args;
    }

    private static void runProjectHooks(final Adapter adapter, final Compiler compiler, final Manifest manifest,
                                        final List<String> hooks) {
        if (hooks.isEmpty() || manifest.nodes().isEmpty()) {
            return;
        }
        final Node anyNode = manifest.all().iterator().next();
        for (final String hook : hooks) {
            StatementSplitter.split(compiler.renderProjectHook(anyNode, hook)).forEach(adapter::execute);
        }
    }

    /** dbt creates every schema a selected node writes to before running anything. */
    private static void createSchemas(final Adapter adapter, final Manifest manifest, final List<String> order) {
        final Set<List<String>> schemas = new LinkedHashSet<>();
        for (final String id : order) {
            final Node node = manifest.node(id);
            final boolean writes = node.type() != ResourceType.TEST && node.type() != ResourceType.UNIT_TEST
                    || Boolean.parseBoolean(String.valueOf(node.config().get("store_failures")));
            if (writes) {
                schemas.add(List.of(node.database(), node.schema()));
            }
        }
        for (final List<String> schema : schemas) {
            if (!adapter.schemaExists(schema.get(0), schema.get(1))) {
                LOG.info("Creating schema {}.{}", schema.get(0), schema.get(1));
                adapter.execute(Ddl.createSchema(schema.get(0), schema.get(1)));
            }
        }
    }

    private List<NodeResult> execute(final Adapter adapter, final Compiler compiler, final Manifest manifest,
                                     final ExecutionPlan plan, final Invocation invocation, final Path targetDir) {
        final NodeExecutor executor = new NodeExecutor(adapter, compiler, manifest, targetDir, invocation.warnError());
        final List<NodeResult> results = new ArrayList<>();
        final Set<String> skip = new HashSet<>();
        final List<String> order = plan.order();
        boolean stop = false;
        for (int i = 0; i < order.size(); i++) {
            final Node node = manifest.node(order.get(i));
            final String label = (i + 1) + " of " + order.size();
            if (stop || skip.contains(node.uniqueId())) {
                LOG.info("{} SKIP {} {}", label, describe(node), displayName(node));
                results.add(NodeResult.skipped(node.uniqueId(), Artifacts.relationName(manifest, node)));
                continue;
            }
            LOG.info("{} START {} {}", label, describe(node), displayName(node));
            final NodeResult result = executor.execute(node);
            results.add(result);
            final String status = result.status().toUpperCase(java.util.Locale.ROOT);
            LOG.info("{} {} {} {} [{} in {}s]", label, "SUCCESS".equals(status) ? "OK" : status, describe(node),
                    displayName(node), result.message() == null ? status : result.message(),
                    String.format("%.2f", result.executionTime()));
            if (result.failed()) {
                skip.addAll(plan.descendants(node.uniqueId()));
                stop = invocation.failFast();
            }
        }
        return results;
    }

    private static String describe(final Node node) {
        return switch (node.type()) {
            case MODEL -> "sql " + node.materialized() + " model";
            case SEED -> "seed file";
            case SNAPSHOT -> "snapshot";
            case UNIT_TEST -> "unit test";
            default -> "test";
        };
    }

    private static String displayName(final Node node) {
        return node.type() == ResourceType.TEST || node.type() == ResourceType.UNIT_TEST ? node.name()
                : node.schema() + "." + node.alias();
    }

}
