package io.loyaltylakehouse.cdc.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.loyaltylakehouse.cdc.mapping.ChangeEventMapper;
import io.loyaltylakehouse.cdc.mapping.MemberDirectory;
import io.loyaltylakehouse.cdc.ops.BridgeMetrics;
import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import io.loyaltylakehouse.cdc.publish.PublishException;
import io.loyaltylakehouse.cdc.publish.Publisher;
import io.loyaltylakehouse.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeBatchHandlerTest {
    static final String TABLE_TOPIC = "legacy_cdc.legacy.points_transactions";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC);

    final FakePublisher publisher = new FakePublisher();
    final FakeCommitter committer = new FakeCommitter();
    final BridgeMetrics metrics = new BridgeMetrics(CLOCK);
    final List<Long> reissueRequests = new ArrayList<>();
    final ChangeBatchHandler handler = new ChangeBatchHandler(
            new ChangeEventMapper(
                    ChangeEventMapper.OutputTopics.named("ledger", "members", "dlq"),
                    new MemberDirectory(
                            10,
                            id -> Optional.ofNullable(
                                    Map.of(1001L, "u-1", 1002L, "legacy-1002").get(id))),
                    100_000_000L,
                    "__debezium-heartbeat",
                    "legacy.cdc_heartbeat",
                    CLOCK),
            publisher,
            this::currentTransactionsOf,
            metrics);

    @Test
    void publishesEverythingThenMarksEachEventProcessedAndFinishesTheBatch() throws InterruptedException {
        final List<ChangeEvent<String, String>> batch =
                List.of(event("txn-insert.json"), event("txn-update-source-ref.json"), event("txn-bad-type.json"));

        handler.handleBatch(batch, committer);

        assertThat(publisher.published)
                .extracting(OutboundRecord::topic, OutboundRecord::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ledger", "legacy-5001"),
                        org.assertj.core.groups.Tuple.tuple("ledger", "legacy-5001"),
                        org.assertj.core.groups.Tuple.tuple("ledger", "t-42"),
                        org.assertj.core.groups.Tuple.tuple("dlq", "legacy.points_transactions:6001"));
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchesFinished).isEqualTo(1);
        assertThat(metrics.registry().count("events_total", "table=\"legacy.points_transactions\",op=\"c\""))
                .isEqualTo(2);
        assertThat(metrics.registry().count("dead_letters_total", "table=\"legacy.points_transactions\""))
                .isEqualTo(1);
        assertThat(metrics.registry().count("business_key_changed_total", "")).isEqualTo(1);
    }

    @Test
    void nothingIsMarkedProcessedWhenPublishingFails() {
        publisher.failWith = new PublishException("broker down", new IllegalStateException("no leader"));
        final List<ChangeEvent<String, String>> batch = List.of(event("txn-insert.json"), event("txn-delete.json"));

        assertThatThrownBy(() -> handler.handleBatch(batch, committer))
                .isInstanceOf(PublishException.class)
                .hasMessage("broker down");
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchesFinished).isZero();
        assertThat(metrics.registry().count("events_total", "table=\"legacy.points_transactions\",op=\"c\""))
                .isZero();
    }

    @Test
    void failingLookupStopsTheBatchInsteadOfDeadLettering() {
        final ChangeBatchHandler brokenLookup = new ChangeBatchHandler(
                new ChangeEventMapper(
                        ChangeEventMapper.OutputTopics.named("ledger", "members", "dlq"),
                        new MemberDirectory(10, id -> {
                            throw new IllegalStateException("legacy database: connection refused");
                        }),
                        100_000_000L,
                        "__debezium-heartbeat",
                        "",
                        CLOCK),
                publisher,
                this::currentTransactionsOf,
                metrics);

        assertThatThrownBy(() -> brokenLookup.handleBatch(List.of(event("txn-insert.json")), committer))
                .hasMessageContaining("connection refused");
        assertThat(publisher.published).isEmpty();
        assertThat(committer.processed).isEmpty();
    }

    @Test
    void memberUserIdChangeReissuesTheMembersLedgerRightAfterTheMemberRecord() throws InterruptedException {
        handler.handleBatch(List.of(event("member-user-id-changed.json"), event("txn-insert.json")), committer);

        assertThat(reissueRequests).containsExactly(1002L);
        assertThat(publisher.published)
                .extracting(OutboundRecord::topic, OutboundRecord::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("members", "1002"),
                        org.assertj.core.groups.Tuple.tuple("ledger", "legacy-5003"),
                        org.assertj.core.groups.Tuple.tuple("ledger", "legacy-5001"));
        assertThat(publisher.published.get(1).value()).contains("\"user_id\":\"u-9\"");
        assertThat(metrics.registry().count("member_user_id_changed_total", "")).isEqualTo(1);
        assertThat(metrics.registry().count("ledger_changes_reissued_total", ""))
                .isEqualTo(1);
    }

    @Test
    void heartbeatsAreMarkedProcessedSoTheSlotAdvances() throws InterruptedException {
        final ChangeEvent<String, String> heartbeat =
                new FakeEvent("__debezium-heartbeat.legacy_cdc", fixture("heartbeat-record.json"));

        handler.handleBatch(List.of(heartbeat), committer);

        assertThat(publisher.published).isEmpty();
        assertThat(committer.processed).containsExactly(heartbeat);
        assertThat(committer.batchesFinished).isEqualTo(1);
        assertThat(metrics.registry().count("heartbeats_total", "")).isEqualTo(1);
    }

    @Test
    void snapshotProgressIsReported() throws InterruptedException {
        handler.handleBatch(List.of(event("member-snapshot-first.json")), committer);
        assertThat(metrics.snapshot()).isEqualTo(BridgeMetrics.SnapshotState.RUNNING);

        handler.handleBatch(List.of(event("txn-snapshot-last.json")), committer);
        assertThat(metrics.snapshot()).isEqualTo(BridgeMetrics.SnapshotState.COMPLETE);
        assertThat(metrics.registry().count("snapshot_rows_total", "table=\"legacy.members\""))
                .isEqualTo(1);
        assertThat(metrics.registry().count("snapshot_rows_total", "table=\"legacy.points_transactions\""))
                .isEqualTo(1);
    }

    private List<JsonNode> currentTransactionsOf(final long memberId) {
        reissueRequests.add(memberId);
        try {
            return List.of(
                    Json.MAPPER.readTree(fixture("txn-snapshot-last.json")).get("after"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChangeEvent<String, String> event(final String fixture) {
        return new FakeEvent(TABLE_TOPIC, fixture(fixture));
    }

    private static String fixture(final String name) {
        try (InputStream in = ChangeBatchHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read fixture " + name, e);
        }
    }

    /** Records what was published; fails every call once {@code failWith} is set. */
    static final class FakePublisher implements Publisher {
        final List<OutboundRecord> published = new ArrayList<>();
        RuntimeException failWith;

        @Override
        public void publishAll(final List<OutboundRecord> records) {
            if (failWith != null) {
                throw failWith;
            }
            published.addAll(records);
        }

        @Override
        public void close() {}
    }

    /** Records what the handler marked. */
    static final class FakeCommitter implements DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> {
        final List<ChangeEvent<String, String>> processed = new ArrayList<>();
        int batchesFinished;

        @Override
        public void markProcessed(final ChangeEvent<String, String> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchesFinished++;
        }

        @Override
        public void markProcessed(final ChangeEvent<String, String> record, final DebeziumEngine.Offsets offsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException("the handler never sets offsets itself");
        }
    }

    record FakeEvent(String destination, String value) implements ChangeEvent<String, String> {
        @Override
        public String key() {
            return null;
        }

        @Override
        public Integer partition() {
            return null;
        }
    }
}
