package io.loyaltylakehouse.edge.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.edge.serde.PromotionSerde;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromotionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private KeyValueStore<String, Promotion> store;

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(PromotionStore.NAME), Serdes.String(), new PromotionSerde())
                .withLoggingDisabled()
                .build();
        store.init(new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPurchaseSeesOnlyItsStoresAndEveryStoresPromotionsNotYetEnded() {
        PromotionStore.put(store, new Promotion("all", 2, null, T0, T0.plusSeconds(100)));
        PromotionStore.put(store, new Promotion("s1", 3, "s-1", T0, T0.plusSeconds(50)));
        PromotionStore.put(store, new Promotion("s10", 4, "s-10", T0, T0.plusSeconds(100)));
        final PromotionStore promotions = new PromotionStore(store);

        assertThat(promotions.activeFor("s-1", T0.plusSeconds(10)))
                .extracting(Promotion::promoId)
                .containsExactlyInAnyOrder("all", "s1");
        assertThat(promotions.activeFor("s-1", T0.plusSeconds(50)))
                .extracting(Promotion::promoId)
                .containsExactly("all");
        assertThat(promotions.activeFor("s-10", T0))
                .extracting(Promotion::promoId)
                .containsExactlyInAnyOrder("all", "s10");
        assertThat(promotions.activeFor("s-2", T0.plusSeconds(100))).isEmpty();
    }

    @Test
    void anUpdateMovesAPromotionAndAWithdrawalRemovesEveryKey() {
        PromotionStore.put(store, new Promotion("p", 2, "s-1", T0, T0.plusSeconds(100)));
        PromotionStore.put(store, new Promotion("p", 5, "s-2", T0, T0.plusSeconds(200)));
        final PromotionStore promotions = new PromotionStore(store);
        assertThat(promotions.activeFor("s-1", T0)).isEmpty();
        assertThat(promotions.activeFor("s-2", T0))
                .extracting(Promotion::multiplier)
                .containsExactly(5);
        assertThat(store.approximateNumEntries()).isEqualTo(3);

        assertThat(PromotionStore.withdraw(store, "p")).isNotNull();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void expiredPromotionsLeaveTheStore() {
        PromotionStore.put(store, new Promotion("old", 2, null, T0, T0.plusSeconds(10)));
        PromotionStore.put(store, new Promotion("new", 2, "s-1", T0, T0.plus(Duration.ofDays(2))));
        assertThat(PromotionStore.expire(store, T0.plusSeconds(11))).isEqualTo(1);
        assertThat(new PromotionStore(store).activeFor("s-1", T0))
                .extracting(Promotion::promoId)
                .containsExactly("new");
        assertThat(store.approximateNumEntries()).isEqualTo(3);
    }
}
