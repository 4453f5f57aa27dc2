package io.loyaltylakehouse.dbt.adapter;

import java.util.List;
import java.util.Optional;

/**
 * What the materializations need from the warehouse. {@link TrinoAdapter} talks to Trino over JDBC; unit tests use a
 * hand-written fake that records statements, so the emitted statement sequence can be compared with dbt-trino's.
 */
public interface Adapter extends AutoCloseable {

    /** The outcome of one statement: Trino's update type ({@code CREATE TABLE}) and row count, if any. */
    record Response(String updateType, long rowsAffected, String queryId, String fixedMessage) {
        public static final Response NONE = new Response("SUCCESS", -1, "");

        public Response(final String updateType, final long rowsAffected, final String queryId) {
            this(updateType, rowsAffected, queryId, null);
        }

        /** A seed's response: dbt reports {@code INSERT 10} / {@code CREATE 10}. */
        public static Response seed(final String code, final long rows) {
            return new Response(code, rows, "", code + " " + rows);
        }

        /** dbt-trino's message: {@code CREATE TABLE (1_234 rows)}, or the bare update type. */
        public String message() {
            if (fixedMessage != null) {
                return fixedMessage;
            }
            if (rowsAffected < 0) {
                return updateType;
            }
            return updateType + " (" + String.format("%,d", rowsAffected).replace(',', '_') + " rows)";
        }
    }

    /** The relation with its type if it exists (information_schema, case-insensitive), else empty. */
    Optional<Relation> lookup(Relation relation);

    boolean schemaExists(String database, String schema);

    /** Columns of a relation in ordinal order. */
    List<Column> columns(Relation relation);

    /** Columns a query would return, without running it ({@code where false limit 0}). */
    List<Column> queryColumns(String sql);

    /** Runs one DDL/DML statement. */
    Response execute(String sql);

    /** Runs one statement with bind parameters (seed inserts). */
    Response execute(String sql, List<Object> bindings);

    /** Runs a query and returns its rows. */
    List<List<Object>> query(String sql);

    @Override
    void close();
}
