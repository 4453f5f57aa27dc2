package io.loyaltylakehouse.dbt;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written fake warehouse: it records every statement, keeps track of which relations exist from the
 * DDL it sees, answers column look-ups from what a test declared, and answers test-count queries with the
 * failures a test configured per test name.
 */
public final class RecordingAdapter implements Adapter {
    private static final String REL = "(\"[^\"]+\"\\.\"[^\"]+\"\\.\"[^\"]+\")";
    private static final Pattern CREATE_TABLE = Pattern.compile("^create (?:or replace )?table (?:if not exists )?" + REL);
    private static final Pattern CREATE_VIEW = Pattern.compile("^create or replace view\\s+" + REL);
    private static final Pattern DROP = Pattern.compile("^drop (?:table|view) (?:if exists )?" + REL);
    private static final Pattern RENAME = Pattern.compile("^alter (?:table|view) " + REL + " rename to " + REL);
    private static final Pattern QUERY_COMMENT = Pattern.compile("^(/\\*.*?\\*/)\\n");
    private static final Pattern SCHEMA = Pattern.compile("^create schema if not exists (\"[^\"]+\"\\.\"[^\"]+\")");

    private final Map<String, Relation.Type> relations = new HashMap<>();
    private final Map<String, List<Column>> columns = new HashMap<>();
    private final Set<String> schemas = new HashSet<>();
    private final Map<String, Long> failingTests = new HashMap<>();
    private final List<String> statements = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();

    public RecordingAdapter withRelation(final String rendered, final Relation.Type type, final Column... cols) {
        relations.put(rendered.toLowerCase(Locale.ROOT), type);
        columns.put(rendered.toLowerCase(Locale.ROOT), List.of(cols));
        return this;
    }

    public RecordingAdapter withColumns(final String rendered, final Column... cols) {
        columns.put(rendered.toLowerCase(Locale.ROOT), List.of(cols));
        return this;
    }

    public RecordingAdapter withSchema(final String database, final String schema) {
        schemas.add((Relation.quote(database) + "." + Relation.quote(schema)).toLowerCase(Locale.ROOT));
        return this;
    }

    /** Test-count queries whose SQL contains {@code fragment} report this many failures. */
    public RecordingAdapter failing(final String fragment, final long failures) {
        failingTests.put(fragment, failures);
        return this;
    }

    /** Statements as sent, without dbt's leading query comment. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    /** The query comments the statements carried (empty strings where there was none). */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    private String record(final String sent) {
        final Matcher comment = QUERY_COMMENT.matcher(sent);
        final String sql = comment.find() ? sent.substring(comment.end()) : sent;
        comments.add(sql.equals(sent) ? "" : comment.group(1));
        statements.add(sql);
        return sql;
    }

    public void clear() {
        statements.clear();
        comments.clear();
    }

    public boolean exists(final String rendered) {
        return relations.containsKey(rendered.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<Relation> lookup(final Relation relation) {
        final Relation.Type type = relations.get(relation.render().toLowerCase(Locale.ROOT));
        return type == null ? Optional.empty() : Optional.of(relation.withType(type));
    }

    @Override
    public boolean schemaExists(final String database, final String schema) {
        return schemas.contains((Relation.quote(database) + "." + Relation.quote(schema)).toLowerCase(Locale.ROOT));
    }

    @Override
    public List<Column> columns(final Relation relation) {
        return columns.getOrDefault(relation.render().toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public List<Column> queryColumns(final String sql) {
        return columns.getOrDefault("query", List.of());
    }

    @Override
    public Response execute(final String sent) {
        final String sql = record(sent);
        track(sql.strip());
        return new Response(sql.startsWith("create table") ? "CREATE TABLE" : "SUCCESS", -1, "q");
    }

    @Override
    public Response execute(final String sql, final List<Object> bindings) {
        return execute(sql);
    }

    @Override
    public List<List<Object>> query(final String sent) {
        final String sql = record(sent);
        for (final Map.Entry<String, Long> failing : failingTests.entrySet()) {
            if (sql.contains(failing.getKey())) {
                final long n = failing.getValue();
                return List.of(List.of(n, n != 0, n != 0));
            }
        }
        return List.of(List.of(0L, false, false));
    }

    private void track(final String sql) {
        final String lower = sql.toLowerCase(Locale.ROOT);
        Matcher m = CREATE_TABLE.matcher(lower);
        if (m.find()) {
            relations.put(m.group(1), Relation.Type.TABLE);
            return;
        }
        m = CREATE_VIEW.matcher(lower);
        if (m.find()) {
            relations.put(m.group(1), Relation.Type.VIEW);
            return;
        }
        m = DROP.matcher(lower);
        if (m.find()) {
            relations.remove(m.group(1));
            return;
        }
        m = RENAME.matcher(lower);
        if (m.find()) {
            relations.put(m.group(2), relations.remove(m.group(1)));
            columns.put(m.group(2), columns.getOrDefault(m.group(1), List.of()));
            return;
        }
        m = SCHEMA.matcher(lower);
        if (m.find()) {
            schemas.add(m.group(1));
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
