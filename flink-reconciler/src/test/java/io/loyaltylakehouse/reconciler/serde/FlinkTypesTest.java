package io.loyaltylakehouse.reconciler.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import io.loyaltylakehouse.reconciler.records.KeyState;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Every record that crosses the network or lives in keyed state gets Flink's POJO serializer, not Kryo. */
class FlinkTypesTest {

    @Test
    void recordsInStreamsAndStateAreFlinkPojos() {
        for (final Class<?> type : new Class<?>[] {
            LedgerEntry.class,
            LegacyLedgerChange.class,
            LegacyMember.class,
            FraudAlert.class,
            LateEvent.class,
            DeadLetter.class,
            KafkaRecord.class,
            LedgerRow.class,
            AuditRow.class,
            KeyState.class
        }) {
            assertThat(TypeInformation.of(type)).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        }
    }
}
