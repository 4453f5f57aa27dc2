package io.loyaltylakehouse.reconciler.sink;

import java.io.Serializable;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a record to a row of one table's schema (the schema is the live table's, read when the job is built). */
public class ToRowData<T> implements MapFunction<T, RowData>, ResultTypeQueryable<RowData> {
    private static final long serialVersionUID = 1L;

    /** One table's conversion, e.g. {@link LakehouseRows#ledger}. */
    @FunctionalInterface
    public interface Conversion<T> extends Serializable {
        RowData apply(Schema schema, T value);
    }

    private final Schema schema;
    private final Conversion<T> conversion;

    public ToRowData(final Schema schema, final Conversion<T> conversion) {
        this.schema = schema;
        this.conversion = conversion;
    }

    @Override
    public RowData map(final T value) {
        return conversion.apply(schema, value);
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(FlinkSchemaUtil.convert(schema));
    }
}
