package io.loyaltylakehouse.dbt.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loyaltylakehouse.dbt.exec.NodeResult;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.ResourceType;
import io.loyaltylakehouse.dbt.project.SourceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes target/manifest.json (schema v12 fields) and target/run_results.json (schema v6 fields). */
public final class Artifacts {
    public static final String DBT_VERSION = "1.10.0";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Artifacts() {
    }

    static Map<String, Object> metadata(final String schema, final Manifest manifest, final String invocationId,
                                        final Instant generatedAt) {
        final Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/" + schema + ".json");
        metadata.put("dbt_version", DBT_VERSION);
        metadata.put("generated_at", generatedAt.toString());
        metadata.put("invocation_id", invocationId);
        metadata.put("project_name", manifest.project().name());
        metadata.put("adapter_type", "trino");
        metadata.put("env", Map.of());
        return metadata;
    }

    public static Map<String, Object> manifest(final Manifest manifest, final String invocationId) {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", metadata("manifest/v12", manifest, invocationId, Instant.now()));
        final Map<String, Object> nodes = new LinkedHashMap<>();
        final Map<String, Object> unitTests = new LinkedHashMap<>();
        manifest.all().forEach(node -> (node.unitTest() == null ? nodes : unitTests).put(node.uniqueId(), node(manifest, node)));
        root.put("nodes", nodes);
        root.put("unit_tests", unitTests);
        final Map<String, Object> sources = new LinkedHashMap<>();
        manifest.sources().values().forEach(source -> sources.put(source.uniqueId(), source(manifest, source)));
        root.put("sources", sources);
        final Map<String, Object> macros = new LinkedHashMap<>();
        manifest.macros().forEach(name -> macros.put("macro." + manifest.project().name() + "." + name,
                Map.of("name", name, "package_name", manifest.project().name())));
        root.put("macros", macros);
        root.put("parent_map", manifest.parentMap());
        root.put("child_map", manifest.childMap());
        return root;
    }

    private static Map<String, Object> node(final Manifest manifest, final Node node) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("unique_id", node.uniqueId());
        out.put("resource_type", node.type().label());
        out.put("name", node.name());
        out.put("package_name", node.packageName());
        out.put("path", node.path());
        out.put("original_file_path", node.originalFilePath());
        out.put("fqn", node.fqn());
        out.put("database", node.database());
        out.put("schema", node.schema());
        out.put("alias", node.alias());
        out.put("relation_name", relationName(manifest, node));
        final Map<String, Object> config = new LinkedHashMap<>(node.config());
        config.putIfAbsent("materialized", node.materialized());
        config.put("tags", node.tags());
        out.put("config", config);
        out.put("tags", node.tags());
        out.put("description", node.description());
        out.put("depends_on", Map.of("nodes", node.dependsOn().stream().sorted().toList(),
                "macros", List.of()));
        final List<Map<String, Object>> refs = new ArrayList<>();
        node.refs().forEach(ref -> {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", ref.get(ref.size() - 1));
            entry.put("package", ref.size() == 2 ? ref.get(0) : null);
            entry.put("version", null);
            refs.add(entry);
        });
        out.put("refs", refs);
        out.put("sources", node.sources());
        out.put("raw_code", node.rawCode());
        out.put("compiled_code", node.compiledCode());
        out.put("language", "sql");
        out.put("columns", node.columns());
        if (node.unitTest() != null) {
            out.put("model", node.unitTest().model().substring(node.unitTest().model().lastIndexOf('.') + 1));
            out.put("given", node.unitTest().given());
            out.put("expect", Map.of("rows", node.unitTest().expect()));
        }
        if (node.testMetadata() != null) {
            out.put("test_metadata", Map.of("name", node.testMetadata().testName(), "kwargs", node.testMetadata().kwargs()));
            out.put("column_name", node.testMetadata().columnName());
            out.put("attached_node", node.testMetadata().attachedNode());
        }
        return out;
    }

    /** dbt's relation_name: the quoted relation, none for ephemeral models and tests not storing failures. */
    public static String relationName(final Manifest manifest, final Node node) {
        if ("ephemeral".equals(node.materialized()) || node.type() == ResourceType.UNIT_TEST || node.type() == ResourceType.TEST
                && !Boolean.parseBoolean(String.valueOf(node.config().get("store_failures")))) {
            return null;
        }
        return manifest.relation(node).render();
    }

    private static Map<String, Object> source(final Manifest manifest, final SourceTable source) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("unique_id", source.uniqueId());
        out.put("resource_type", "source");
        out.put("source_name", source.sourceName());
        out.put("name", source.name());
        out.put("package_name", manifest.project().name());
        out.put("original_file_path", source.originalFilePath());
        out.put("fqn", List.of(manifest.project().name(), source.sourceName(), source.name()));
        out.put("database", source.database());
        out.put("schema", source.schema());
        out.put("identifier", source.identifier());
        out.put("relation_name", source.relation().render());
        out.put("description", source.description());
        out.put("columns", source.columns());
        out.put("tags", source.tags());
        return out;
    }

    public static Map<String, Object> runResults(final Manifest manifest, final String invocationId, final List<NodeResult> results,
                                                 final double elapsed, final Map<String, Object> args) {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", metadata("run-results/v6", manifest, invocationId, Instant.now()));
        final List<Map<String, Object>> entries = new ArrayList<>();
        for (final NodeResult result : results) {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", result.status());
            final List<Map<String, Object>> timing = new ArrayList<>();
            if (result.compileStarted() != null) {
                timing.add(timing("compile", result.compileStarted(), result.compileCompleted()));
            }
            if (result.executeStarted() != null && !"skipped".equals(result.status())) {
                timing.add(timing("execute", result.executeStarted(), result.executeCompleted()));
            }
            entry.put("timing", timing);
            entry.put("thread_id", "Thread-1 (worker)");
            entry.put("execution_time", result.executionTime());
            final Map<String, Object> response = new LinkedHashMap<>();
            if (result.adapterResponse() != null) {
                response.put("_message", result.adapterResponse().message());
                response.put("code", result.adapterResponse().updateType());
                response.put("rows_affected", result.adapterResponse().rowsAffected());
                response.put("query_id", result.adapterResponse().queryId());
            }
            entry.put("adapter_response", response);
            entry.put("message", result.message());
            entry.put("failures", result.failures());
            entry.put("unique_id", result.uniqueId());
            entry.put("compiled", result.compiledCode() != null);
            entry.put("compiled_code", result.compiledCode());
            entry.put("relation_name", result.relationName());
            entry.put("batch_results", null);
            entries.add(entry);
        }
        root.put("results", entries);
        root.put("elapsed_time", elapsed);
        root.put("args", args);
        return root;
    }

    private static Map<String, Object> timing(final String name, final Instant start, final Instant end) {
        final Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("name", name);
        timing.put("started_at", start.toString());
        timing.put("completed_at", end == null ? null : end.toString());
        return timing;
    }

    public static void write(final Path file, final Object json) {
        try {
            Files.createDirectories(file.getParent());
            MAPPER.writeValue(file.toFile(), json);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes compiled or executed SQL under target/compiled or target/run, mirroring the node's path. */
    public static void writeSql(final Path file, final String sql) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
