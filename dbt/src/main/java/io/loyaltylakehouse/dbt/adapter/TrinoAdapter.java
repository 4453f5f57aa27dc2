package io.loyaltylakehouse.dbt.adapter;

import io.loyaltylakehouse.dbt.project.Target;
import io.trino.jdbc.TrinoStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The warehouse over Trino JDBC, configured like dbt-trino's {@code method: none} connection: autocommit,
 * explicit session time zone (the profile's {@code timezone}, else the JVM's), session properties, client tags.
 */
public final class TrinoAdapter implements Adapter {
    private static final Set<String> COUNTED = Set.of("CREATE TABLE", "INSERT", "MERGE", "DELETE", "UPDATE");

    private final Connection connection;

    private TrinoAdapter(final Connection connection) {
        this.connection = connection;
    }

    public static TrinoAdapter connect(final Target target) {
        final Properties props = new Properties();
        props.setProperty("user", target.user());
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        props.setProperty("timezone", target.timezone());
        if (!target.sessionProperties().isEmpty()) {
            props.setProperty("sessionProperties", target.sessionProperties().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(";")));
        }
        if (!target.clientTags().isEmpty()) {
            props.setProperty("clientTags", String.join(",", target.clientTags()));
        }
        if ("https".equals(target.httpScheme())) {
            props.setProperty("SSL", "true");
        }
        props.setProperty("source", "dbt-trino-jvm");
        final String url = "jdbc:trino://" + target.host() + ":" + target.port() + "/" + target.database();
        try {
            return new TrinoAdapter(DriverManager.getConnection(url, props));
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot connect to Trino at " + url + " as " + target.user() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Relation> lookup(final Relation relation) {
        final List<List<Object>> rows = query("select table_type from " + Relation.quote(relation.getDatabase())
                + ".information_schema.tables where table_schema = " + literal(relation.getSchema().toLowerCase(Locale.ROOT))
                + " and table_name = " + literal(relation.getIdentifier().toLowerCase(Locale.ROOT)));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        final String type = String.valueOf(rows.get(0).get(0));
        return Optional.of(relation.withType("VIEW".equalsIgnoreCase(type) ? Relation.Type.VIEW : Relation.Type.TABLE));
    }

    @Override
    public boolean schemaExists(final String database, final String schema) {
        return !query("select schema_name from " + Relation.quote(database) + ".information_schema.schemata where schema_name = "
                + literal(schema.toLowerCase(Locale.ROOT))).isEmpty();
    }

    @Override
    public List<Column> columns(final Relation relation) {
        final List<Column> columns = new ArrayList<>();
        for (final List<Object> row : query("select column_name, data_type from " + Relation.quote(relation.getDatabase())
                + ".information_schema.columns where table_schema = " + literal(relation.getSchema().toLowerCase(Locale.ROOT))
                + " and table_name = " + literal(relation.getIdentifier().toLowerCase(Locale.ROOT))
                + " order by ordinal_position")) {
            columns.add(new Column(String.valueOf(row.get(0)), String.valueOf(row.get(1))));
        }
        return columns;
    }

    @Override
    public List<Column> queryColumns(final String sql) {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select * from (\n" + sql + "\n) as __dbt_sbq where false limit 0")) {
            final ResultSetMetaData meta = rs.getMetaData();
            final List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
            }
            return columns;
        } catch (final SQLException e) {
            throw new WarehouseException(e.getMessage(), sql, e);
        }
    }

    @Override
    public Response execute(final String sql) {
        try (Statement statement = connection.createStatement()) {
            final AtomicReference<String> queryId = new AtomicReference<>("");
            statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> queryId.set(stats.getQueryId()));
            statement.execute(sql);
            return response(statement, queryId.get());
        } catch (final SQLException e) {
            throw new WarehouseException(e.getMessage(), sql, e);
        }
    }

    @Override
    public Response execute(final String sql, final List<Object> bindings) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < bindings.size(); i++) {
                statement.setObject(i + 1, bindings.get(i));
            }
            statement.execute();
            return response(statement, "");
        } catch (final SQLException e) {
            throw new WarehouseException(e.getMessage(), sql, e);
        }
    }

    @Override
    public List<List<Object>> query(final String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            final int width = rs.getMetaData().getColumnCount();
            final List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                final List<Object> row = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (final SQLException e) {
            throw new WarehouseException(e.getMessage(), sql, e);
        }
    }

    private static Response response(final Statement statement, final String queryId) throws SQLException {
        final String updateType = statement.unwrap(TrinoStatement.class).getUpdateType();
        if (updateType == null) {
            return new Response("SUCCESS", -1, queryId);
        }
        final long rows = COUNTED.contains(updateType) ? Math.max(0, statement.getLargeUpdateCount()) : -1;
        return new Response(updateType, rows, queryId);
    }

    static String literal(final String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (final SQLException e) {
            throw new WarehouseException(e.getMessage(), "close", e);
        }
    }
}
