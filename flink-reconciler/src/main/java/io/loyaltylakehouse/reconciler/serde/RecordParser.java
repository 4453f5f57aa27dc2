package io.loyaltylakehouse.reconciler.serde;

import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import java.io.Serializable;

/** Parses and checks one raw record; throws with a reason a person can act on; null means "nothing to do". */
@FunctionalInterface
public interface RecordParser<T> extends Serializable {
    T parse(KafkaRecord record);
}
