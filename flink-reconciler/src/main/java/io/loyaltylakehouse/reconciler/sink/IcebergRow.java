package io.loyaltylakehouse.reconciler.sink;

import java.math.BigDecimal;
import java.time.Instant;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Builds Flink's internal row for an Iceberg table by column name, converting each value to the internal
 * type of its column (strings to {@link StringData}, instants to {@link TimestampData} micros, decimals at
 * the column's scale). Columns not set stay null, so a table that gained columns still accepts the row.
 */
public final class IcebergRow {
    private final Schema schema;
    private final GenericRowData row;

    private IcebergRow(final Schema schema, final RowKind kind) {
        this.schema = schema;
        this.row = new GenericRowData(kind, schema.columns().size());
    }

    public static IcebergRow of(final Schema schema, final RowKind kind) {
        return new IcebergRow(schema, kind);
    }

    public IcebergRow set(final String column, final Object value) {
        final int position = positionOf(column);
        row.setField(
                position,
                value == null
                        ? null
                        : internal(column, schema.columns().get(position).type(), value));
        return this;
    }

    public RowData build() {
        return row;
    }

    private int positionOf(final String column) {
        for (int i = 0; i < schema.columns().size(); i++) {
            if (schema.columns().get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("column '" + column + "' is not in the table schema " + schema.asStruct());
    }

    private static Object internal(final String column, final Type type, final Object value) {
        return switch (type.typeId()) {
            case STRING -> StringData.fromString(value.toString());
            case LONG -> ((Number) value).longValue();
            case INTEGER -> ((Number) value).intValue();
            case TIMESTAMP -> TimestampData.fromInstant((Instant) value);
            case DECIMAL -> {
                final Types.DecimalType decimal = (Types.DecimalType) type;
                yield DecimalData.fromBigDecimal(
                        ((BigDecimal) value).setScale(decimal.scale(), java.math.RoundingMode.HALF_UP),
                        decimal.precision(),
                        decimal.scale());
            }
            default ->
                throw new IllegalArgumentException(
                        "column '" + column + "' has type " + type + ", which the reconciler does not write");
        };
    }
}
