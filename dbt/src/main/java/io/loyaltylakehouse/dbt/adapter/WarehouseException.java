package io.loyaltylakehouse.dbt.adapter;

/** A statement Trino rejected; carries the statement so the node's error names what failed. */
public final class WarehouseException extends RuntimeException {
    private final String sql;

    public WarehouseException(final String message, final String sql, final Throwable cause) {
        super(message, cause);
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }
}
