package io.loyaltylakehouse.dbt.exec;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.WarehouseException;
import io.loyaltylakehouse.dbt.artifacts.Artifacts;
import io.loyaltylakehouse.dbt.materialization.IncrementalMaterialization;
import io.loyaltylakehouse.dbt.materialization.ModelJob;
import io.loyaltylakehouse.dbt.materialization.SeedMaterialization;
import io.loyaltylakehouse.dbt.materialization.SnapshotMaterialization;
import io.loyaltylakehouse.dbt.materialization.TableMaterialization;
import io.loyaltylakehouse.dbt.materialization.TestExecution;
import io.loyaltylakehouse.dbt.materialization.UnitTestExecution;
import io.loyaltylakehouse.dbt.materialization.ViewMaterialization;
import io.loyaltylakehouse.dbt.materialization.Warehouse;
import io.loyaltylakehouse.dbt.project.DbtException;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node: compile it, pick its materialization, send its statements through a {@link Warehouse}, and
 * write target/compiled and target/run. Every failure is the node's {@code error} result.
 */
final class NodeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(NodeExecutor.class);

    private final Adapter adapter;
    private final Compiler compiler;
    private final Manifest manifest;
    private final Path targetDir;
    private final boolean warnError;

    NodeExecutor(final Adapter adapter, final Compiler compiler, final Manifest manifest, final Path targetDir,
                 final boolean warnError) {
        this.adapter = adapter;
        this.compiler = compiler;
        this.manifest = manifest;
        this.targetDir = targetDir;
        this.warnError = warnError;
    }

    /** dbt's default query comment (cosmetic: it names the node in Trino's query history). */
    static String queryComment(final Manifest manifest, final Node node) {
        return "/* {\"app\": \"dbt\", \"dbt_version\": \"" + Artifacts.DBT_VERSION + "\", \"profile_name\": \""
                + manifest.target().profileName() + "\", \"target_name\": \"" + manifest.target().name()
                + "\", \"node_id\": \"" + node.uniqueId() + "\"} */";
    }

    /** Compiles and materializes one node; failures become an {@code error} result, never an exception. */
    NodeResult execute(final Node node) {
        final Instant compileStarted = Instant.now();
        Instant compileCompleted = null;
        Instant executeStarted = null;
        final Warehouse warehouse = new Warehouse(adapter, queryComment(manifest, node));
        final String relationName = Artifacts.relationName(manifest, node);
        try {
            final String sql = node.type() == ResourceType.SEED ? "" : compiler.compile(node);
            if (node.type() != ResourceType.SEED) {
                writeCompiled(targetDir, manifest, node, sql);
            }
            compileCompleted = Instant.now();
            final var context = compiler.context(node);
            final ModelJob job = new ModelJob(node.uniqueId(), compiler.relation(node), sql, node.config(),
                    context.fullRefresh(), compiler.hooks(node, "pre_hook"), compiler.hooks(node, "post_hook"));
            executeStarted = Instant.now();
            final boolean test = node.type() == ResourceType.TEST || node.type() == ResourceType.UNIT_TEST;
            String status = test ? "pass" : "success";
            String message = null;
            Long failures = null;
            Adapter.Response response;
            switch (node.type()) {
                case SEED -> response = SeedMaterialization.run(warehouse, job, readSeed(manifest, node));
                case SNAPSHOT -> response = SnapshotMaterialization.run(warehouse, job, compiler.snapshotTime(node));
                case UNIT_TEST -> {
                    final TestExecution.Outcome outcome = UnitTestExecution.run(warehouse, job, node.unitTest().expect());
                    response = outcome.response();
                    status = outcome.status();
                    failures = outcome.failures();
                    message = outcome.message();
                }
                case TEST -> {
                    final TestExecution.Outcome outcome = TestExecution.run(warehouse, job, warnError);
                    response = outcome.response();
                    status = outcome.status();
                    failures = outcome.failures();
                    message = outcome.message();
                }
                default -> response = materializeModel(warehouse, job, node);
            }
            if (!test) {
                message = response.message();
            }
            writeRun(targetDir, manifest, node, warehouse.executed());
            return new NodeResult(node.uniqueId(), status, message, failures, response, sql, relationName,
                    compileStarted, compileCompleted, executeStarted, Instant.now());
        } catch (final WarehouseException e) {
            writeRun(targetDir, manifest, node, warehouse.executed());
            return error(node, "Database Error in " + node.type().label() + " " + node.name() + " ("
                    + node.originalFilePath() + ")\n  " + e.getMessage(), relationName, compileStarted, compileCompleted,
                    executeStarted);
        } catch (final RuntimeException e) {
            writeRun(targetDir, manifest, node, warehouse.executed());
            return error(node, (e instanceof DbtException ? "Compilation Error in " : "Runtime Error in ")
                    + node.type().label() + " " + node.name() + " (" + node.originalFilePath() + ")\n  " + e.getMessage(),
                    relationName, compileStarted, compileCompleted, executeStarted);
        }
    }

    private static NodeResult error(final Node node, final String message, final String relationName,
                                    final Instant compileStarted, final Instant compileCompleted, final Instant executeStarted) {
        LOG.error("{}", message);
        final Instant now = Instant.now();
        return new NodeResult(node.uniqueId(), "error", message, null, null, node.compiledCode(), relationName,
                compileStarted, compileCompleted == null ? now : compileCompleted, executeStarted == null ? now : executeStarted, now);
    }

    private static Adapter.Response materializeModel(final Warehouse warehouse, final ModelJob job, final Node node) {
        return switch (node.materialized()) {
            case "view" -> ViewMaterialization.run(warehouse, job);
            case "table" -> TableMaterialization.run(warehouse, job, node.description());
            case "incremental" -> IncrementalMaterialization.run(warehouse, job, node.description());
            default -> throw new DbtException(node.originalFilePath() + ": materialization '" + node.materialized()
                    + "' is not supported");
        };
    }

    private static SeedMaterialization.Csv readSeed(final Manifest manifest, final Node node) {
        try {
            return SeedMaterialization.parse(Files.readString(manifest.project().root().resolve(node.originalFilePath())));
        } catch (final IOException e) {
            throw new DbtException("cannot read seed " + node.originalFilePath() + ": " + e.getMessage(), e);
        }
    }

    private static Path sqlPath(final Path targetDir, final String kind, final Manifest manifest, final Node node) {
        final String original = node.originalFilePath();
        final String file = node.type() == ResourceType.TEST && node.testMetadata() != null ? original + "/" + node.path()
                : original.endsWith(".sql") ? original
                : original.substring(0, original.lastIndexOf('/') + 1) + node.name() + ".sql";
        return targetDir.resolve(kind).resolve(manifest.project().name()).resolve(file);
    }

    static void writeCompiled(final Path targetDir, final Manifest manifest, final Node node, final String sql) {
        Artifacts.writeSql(sqlPath(targetDir, "compiled", manifest, node), sql);
    }

    private static void writeRun(final Path targetDir, final Manifest manifest, final Node node, final List<String> statements) {
        if (!statements.isEmpty()) {
            Artifacts.writeSql(sqlPath(targetDir, "run", manifest, node), String.join(";\n\n", statements) + ";\n");
        }
    }
}
