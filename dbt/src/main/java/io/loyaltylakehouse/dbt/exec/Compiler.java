package io.loyaltylakehouse.dbt.exec;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import io.loyaltylakehouse.dbt.materialization.BuiltInTests;
import io.loyaltylakehouse.dbt.materialization.UnitTestExecution;
import io.loyaltylakehouse.dbt.project.DbtException;
import io.loyaltylakehouse.dbt.project.Flags;
import io.loyaltylakehouse.dbt.project.GenericTests;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.NodeContext;
import io.loyaltylakehouse.dbt.project.SourceTable;
import io.loyaltylakehouse.dbt.project.Yamls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles nodes at execution time: renders their Jinja with {@code execute=true}, inlines ephemeral models as
 * {@code __dbt__cte__<name>} CTEs, builds generic tests' SQL and renders hooks.
 */
public final class Compiler {
    private static final Pattern LEADING_WITH = Pattern.compile("(?is)^(\\s*(?:--[^\\n]*\\n|/\\*.*?\\*/|\\s)*)with\\b");

    private final Manifest manifest;
    private final DbtJinja jinja;
    private final Flags flags;
    private final Adapter adapter;

    public Compiler(final Manifest manifest, final DbtJinja jinja, final Flags flags, final Adapter adapter) {
        this.manifest = manifest;
        this.jinja = jinja;
        this.flags = flags;
        this.adapter = adapter;
    }

    public NodeContext context(final Node node) {
        return NodeContext.executing(manifest, node, flags, adapter);
    }

    /** The node's compiled SQL (also stored on the node for the manifest). */
    public String compile(final Node node) {
        final String sql = node.unitTest() != null ? unitTest(node)
                : node.testMetadata() != null ? genericTest(node) : renderWithCtes(node);
        node.compiledCode(sql);
        return sql;
    }

    private String renderWithCtes(final Node node) {
        final NodeContext context = context(node);
        final String sql = jinja.render(node.originalFilePath(), node.line() - 1, node.rawCode(), context, context.variables());
        final Map<String, String> ctes = new LinkedHashMap<>();
        collectCtes(context.ephemerals(), ctes, new ArrayList<>());
        return injectCtes(sql, ctes);
    }

    /** The tested model's SQL with each given input replaced by a CTE of its fixture rows. */
    private String unitTest(final Node test) {
        final Node.UnitTestSpec spec = test.unitTest();
        final Node model = manifest.node(spec.model());
        final NodeContext context = NodeContext.withFixtures(manifest, model, flags, adapter, spec.given().keySet());
        final String sql = jinja.render(test.originalFilePath(), 0, model.rawCode(), context, context.variables());
        final Map<String, String> ctes = new LinkedHashMap<>();
        for (final Map.Entry<String, String> used : context.usedFixtures().entrySet()) {
            final Relation input = inputRelation(used.getKey());
            final var columns = adapter.columns(input);
            if (columns.isEmpty()) {
                throw new DbtException(test.originalFilePath() + ": unit test " + test.name() + ": input " + used.getKey()
                        + " (" + input + ") must exist in the warehouse to know its column types; build it first");
            }
            ctes.put(used.getValue().substring("__dbt__cte__".length()),
                    UnitTestExecution.fixture(columns, spec.given().get(used.getKey())));
        }
        final Map<String, String> missing = new LinkedHashMap<>();
        spec.given().keySet().stream().filter(key -> !context.usedFixtures().containsKey(key))
                .forEach(key -> missing.put(key, key));
        if (!missing.isEmpty()) {
            throw new DbtException(test.originalFilePath() + ": unit test " + test.name() + ": model " + model.name()
                    + " does not read " + missing.keySet());
        }
        collectCtes(context.ephemerals(), ctes, new ArrayList<>());
        return injectCtes(sql, ctes);
    }

    private Relation inputRelation(final String input) {
        final java.util.regex.Matcher ref = java.util.regex.Pattern.compile("^ref\\('(\\w+)'\\)$").matcher(input);
        if (ref.matches()) {
            return manifest.relation(manifest.refTarget(ref.group(1)).orElseThrow(() ->
                    new DbtException("unit test input " + input + " is not a model, seed or snapshot")));
        }
        final java.util.regex.Matcher source = java.util.regex.Pattern.compile("^source\\('(\\w+)','(\\w+)'\\)$")
                .matcher(input);
        if (source.matches()) {
            return manifest.source(source.group(1), source.group(2)).orElseThrow(() ->
                    new DbtException("unit test input " + input + " is not a declared source")).relation();
        }
        throw new DbtException("unit test input " + input + " must be ref('model') or source('source', 'table')");
    }

    private void collectCtes(final List<Node> ephemerals, final Map<String, String> into, final List<String> stack) {
        for (final Node ephemeral : ephemerals) {
            if (into.containsKey(ephemeral.name())) {
                continue;
            }
            if (stack.contains(ephemeral.name())) {
                throw new DbtException("ephemeral models reference each other in a cycle: " + stack);
            }
            stack.add(ephemeral.name());
            final NodeContext context = context(ephemeral);
            final String sql = jinja.render(ephemeral.originalFilePath(), 0, ephemeral.rawCode(), context, context.variables());
            collectCtes(context.ephemerals(), into, stack);
            stack.remove(ephemeral.name());
            into.put(ephemeral.name(), sql);
        }
    }

    /** dbt's CTE injection: after the model's own leading {@code with}, or as a new {@code with} clause. */
    static String injectCtes(final String sql, final Map<String, String> ctes) {
        if (ctes.isEmpty()) {
            return sql;
        }
        final List<String> parts = new ArrayList<>();
        ctes.forEach((name, body) -> parts.add("__dbt__cte__" + name + " as (\n" + body.strip() + "\n)"));
        final String joined = String.join(", ", parts);
        final var matcher = LEADING_WITH.matcher(sql);
        if (matcher.find()) {
            return matcher.group(1) + "with " + joined + "," + sql.substring(matcher.end());
        }
        return "with " + joined + "\n" + sql;
    }

    private String genericTest(final Node test) {
        final Node.TestMetadata meta = test.testMetadata();
        final String relation = attachedRelation(meta.attachedNode());
        final Object where = test.config().get("where");
        final String model = where == null ? relation : "(select * from " + relation + " where " + where + ") dbt_subquery";
        final NodeContext context = context(test);
        final Map<String, Object> rendered = new LinkedHashMap<>();
        meta.kwargs().forEach((key, value) -> rendered.put(key,
                jinja.renderNative(test.originalFilePath(), value, context, context.variables())));
        if (GenericTests.BUILT_IN.contains(meta.testName())) {
            final String to = rendered.containsKey("to") ? renderArgument(test, context, rendered.get("to")) : null;
            return BuiltInTests.sql(meta.testName(), model, rendered, to,
                    Boolean.parseBoolean(String.valueOf(test.config().get("store_failures"))));
        }
        final Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("model", model);
        rendered.forEach((key, value) -> kwargs.put(key, value instanceof String text && looksLikeCall(text)
                ? renderArgument(test, context, text) : value));
        return jinja.callMacroNamed(test.originalFilePath(), "test_" + meta.testName(), kwargs, context, context.variables());
    }

    private static boolean looksLikeCall(final String text) {
        return text.trim().startsWith("ref(") || text.trim().startsWith("source(");
    }

    /** Test arguments like {@code to: ref('customers')} are Jinja expressions. */
    private String renderArgument(final Node test, final NodeContext context, final Object value) {
        final String text = String.valueOf(value).trim();
        final String template = text.contains("{{") ? text : "{{ " + text + " }}";
        return jinja.render(test.originalFilePath(), test.line() - 1, template, context, context.variables()).trim();
    }

    private String attachedRelation(final String attached) {
        final SourceTable source = manifest.sources().get(attached);
        if (source != null) {
            return source.relation().render();
        }
        return manifest.relation(manifest.node(attached)).render();
    }

    /** Rendered {@code pre_hook}/{@code post_hook} statements of a node. */
    public List<String> hooks(final Node node, final String key) {
        final List<String> hooks = new ArrayList<>();
        final NodeContext context = context(node);
        for (final Object hook : Yamls.list(node.config().get(key))) {
            final Object sql = hook instanceof Map<?, ?> map ? map.get("sql") : hook;
            hooks.add(jinja.render(node.originalFilePath(), 0, String.valueOf(sql), context, context.variables()));
        }
        return hooks;
    }

    /** Renders a project-level hook (on-run-start/end) with the target in scope. */
    public String renderProjectHook(final Node anyNode, final String hook) {
        final NodeContext context = context(anyNode);
        return jinja.render("dbt_project.yml", 0, hook, context, context.variables());
    }

    /** dbt-trino's {@code snapshot_get_time}: {@code current_timestamp}, or the project's override of it. */
    public String snapshotTime(final Node node) {
        for (final String macro : List.of("trino__current_timestamp", "trino__snapshot_get_time")) {
            if (jinja.hasMacro(macro)) {
                final NodeContext context = context(node);
                return jinja.callMacro(macro, List.of(), context, context.variables());
            }
        }
        return "current_timestamp";
    }

    public Relation relation(final Node node) {
        return manifest.relation(node);
    }
}
