package io.loyaltylakehouse.cdc.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeEventMapperTest {
    static final String TABLE_TOPIC = "legacy_cdc.legacy.points_transactions";
    static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
    static final ChangeEventMapper.OutputTopics TOPICS =
            ChangeEventMapper.OutputTopics.named("ledger", "members", "dlq");

    /** What PostgreSQL would answer on a cache miss; members 1001 and 1002 exist. */
    final Map<Long, String> database = new HashMap<>(Map.of(1001L, "u-1", 1002L, "legacy-1002"));

    final MemberDirectory members = new MemberDirectory(100, id -> Optional.ofNullable(database.get(id)));
    final ChangeEventMapper mapper = new ChangeEventMapper(
            TOPICS,
            members,
            100_000_000L,
            "__debezium-heartbeat",
            "legacy.cdc_heartbeat",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void insertBecomesACreateKeyedByLegacyBusinessKey() {
        final MappedEvent event = map("txn-insert.json");

        assertThat(event.kind()).isEqualTo(MappedEvent.Kind.CHANGE);
        assertThat(event.table()).isEqualTo("legacy.points_transactions");
        assertThat(event.records())
                .extracting(OutboundRecord::topic, OutboundRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ledger", "legacy-5001"));
        assertThat(ledger(event.records().get(0)))
                .isEqualTo(new LegacyLedgerChange(
                        ChangeOp.c,
                        "legacy-5001",
                        5001,
                        1001,
                        "u-1",
                        120,
                        "EARN",
                        new BigDecimal("120.40"),
                        null,
                        Instant.parse("2026-11-10T12:00:00Z"),
                        Instant.parse("2026-11-10T12:00:00Z"),
                        26708456));
    }

    @Test
    void updateKeepingTheKeyIsOneUpdateWithTheNewRow() {
        final MappedEvent event = map("txn-update-points.json");

        assertThat(event.records()).hasSize(1);
        final LegacyLedgerChange change = ledger(event.records().get(0));
        assertThat(change.op()).isEqualTo(ChangeOp.u);
        assertThat(change.points()).isEqualTo(130);
        assertThat(change.updatedAt()).isEqualTo(Instant.parse("2026-11-25T14:27:33.269425Z"));
        assertThat(event.businessKeyChanged()).isFalse();
    }

    @Test
    void updateSettingSourceTxnRefDeletesTheOldKeyThenCreatesTheNewOne() {
        final MappedEvent event = map("txn-update-source-ref.json");

        assertThat(event.records()).extracting(OutboundRecord::key).containsExactly("legacy-5001", "t-42");
        final LegacyLedgerChange old = ledger(event.records().get(0));
        final LegacyLedgerChange now = ledger(event.records().get(1));
        assertThat(old.op()).isEqualTo(ChangeOp.d);
        assertThat(old.points()).isEqualTo(120);
        assertThat(now.op()).isEqualTo(ChangeOp.c);
        assertThat(now.businessKey()).isEqualTo("t-42");
        assertThat(now.sourceTxnRef()).isEqualTo("t-42");
        assertThat(now.points()).isEqualTo(130);
        assertThat(event.businessKeyChanged()).isTrue();
    }

    @Test
    void deleteCarriesTheOldRowNotJustATombstone() {
        final MappedEvent event = map("txn-delete.json");

        final LegacyLedgerChange change = ledger(event.records().get(0));
        assertThat(event.records().get(0).key()).isEqualTo("legacy-5005");
        assertThat(change.op()).isEqualTo(ChangeOp.d);
        assertThat(change.points()).isEqualTo(10);
        assertThat(change.txnType()).isEqualTo("ADJUST");
        assertThat(change.amount()).isNull();
        assertThat(change.userId()).isEqualTo("u-1");
    }

    @Test
    void snapshotRowsAreReadsAndTheLastOneCompletesTheSnapshot() {
        final MappedEvent first = map("member-snapshot-first.json");
        final MappedEvent last = map("txn-snapshot-last.json");

        assertThat(first.op()).isEqualTo("r");
        assertThat(first.inSnapshot()).isTrue();
        assertThat(first.snapshotComplete()).isFalse();
        assertThat(ledger(last.records().get(0)).op()).isEqualTo(ChangeOp.r);
        assertThat(last.snapshotComplete()).isTrue();
    }

    @Test
    void userIdFollowsTheMappingRule() {
        final LegacyLedgerChange withoutNewUserId =
                ledger(map("txn-snapshot-last.json").records().get(0));

        assertThat(withoutNewUserId.userId()).isEqualTo("legacy-1002");
        assertThat(withoutNewUserId.businessKey()).isEqualTo("legacy-5003");
    }

    @Test
    void membersAreKeyedByMemberIdWithTheirUserId() {
        final MappedEvent event = map("member-insert.json");

        assertThat(event.records())
                .extracting(OutboundRecord::topic, OutboundRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("members", "1002"));
        final LegacyMember member = Json.fromJson(event.records().get(0).value(), LegacyMember.class);
        assertThat(member)
                .isEqualTo(new LegacyMember(
                        ChangeOp.c,
                        1002,
                        "legacy-1002",
                        "ada@example.com",
                        "Ada Moreau",
                        "SILVER",
                        Instant.parse("2026-11-01T09:00:00Z"),
                        26708000));
        assertThat(event.userIdChange()).isNull();
    }

    @Test
    void memberUpdateWithTheSameUserIdIsNoUserIdChange() {
        final MappedEvent event = map("member-tier-update.json");

        assertThat(Json.fromJson(event.records().get(0).value(), LegacyMember.class)
                        .tier())
                .isEqualTo("PLATINUM");
        assertThat(event.userIdChange()).isNull();
    }

    @Test
    void memberUserIdChangeIsReportedAndLaterLedgerChangesUseTheNewUserId() {
        final MappedEvent event = map("member-user-id-changed.json");

        assertThat(Json.fromJson(event.records().get(0).value(), LegacyMember.class)
                        .userId())
                .isEqualTo("u-9");
        assertThat(event.userIdChange()).isEqualTo(new MappedEvent.UserIdChange(1002, "legacy-1002", "u-9", 26708960));
        // the cache now knows the new user_id although PostgreSQL was never asked
        assertThat(ledger(map("txn-snapshot-last.json").records().get(0)).userId())
                .isEqualTo("u-9");
    }

    @Test
    void reissueRepublishesTheMembersCurrentTransactionsAsUpdatesUnderUnchangedKeys() {
        map("member-user-id-changed.json");
        final JsonNode valid = row("txn-snapshot-last.json");
        final JsonNode invalid = row("txn-bad-type.json");

        final List<OutboundRecord> again = mapper.reissue(
                new MappedEvent.UserIdChange(1002, "legacy-1002", "u-9", 26708960), List.of(valid, invalid));

        assertThat(again).extracting(OutboundRecord::key).containsExactly("legacy-5003");
        final LegacyLedgerChange change = ledger(again.get(0));
        assertThat(change.op()).isEqualTo(ChangeOp.u);
        assertThat(change.userId()).isEqualTo("u-9");
        assertThat(change.lsn()).isEqualTo(26708960);
    }

    @Test
    void memberDeleteCarriesTheOldRowAndForgetsTheMember() {
        map("member-user-id-changed.json");
        database.remove(1002L);

        final MappedEvent event = map("member-delete.json");

        assertThat(Json.fromJson(event.records().get(0).value(), LegacyMember.class)
                        .op())
                .isEqualTo(ChangeOp.d);
        assertThat(members.userIdOf(1002)).isEmpty();
    }

    @Test
    void badRowsGoToTheDeadLetterTopicWithTheirReason() {
        assertDeadLettered(
                "txn-bad-type.json",
                "legacy.points_transactions:6001",
                "txn_type 'BONUS' is not EARN, REDEEM or ADJUST");
        assertDeadLettered("txn-null-member.json", "legacy.points_transactions:6002", "member_id is NULL");
        assertDeadLettered("txn-null-points.json", "legacy.points_transactions:6003", "points is NULL");
        assertDeadLettered(
                "txn-points-overflow.json",
                "legacy.points_transactions:6004",
                "points 2000000000 outside +-100000000 (would overflow balance sums)");
        assertDeadLettered("txn-unknown-member.json", "legacy.points_transactions:6005", "unknown member 9999");
    }

    @Test
    void deadLetterKeepsTheRawEventAndItsLsn() {
        final MappedEvent event = map("txn-bad-type.json");

        final DeadLetter letter = Json.fromJson(event.records().get(0).value(), DeadLetter.class);
        assertThat(letter.raw()).isEqualTo(fixture("txn-bad-type.json"));
        assertThat(letter.sourceTopic()).isEqualTo("legacy.points_transactions");
        assertThat(letter.partition()).isEqualTo(-1);
        assertThat(letter.offset()).isEqualTo(26708456);
        assertThat(letter.failedAt()).isEqualTo(NOW);
    }

    @Test
    void updateToAnInvalidRowDeletesTheOldVersionAndDeadLettersTheNewOne() {
        final MappedEvent event = map("txn-update-to-invalid.json");

        assertThat(event.records()).extracting(OutboundRecord::topic).containsExactly("ledger", "dlq");
        assertThat(ledger(event.records().get(0)).op()).isEqualTo(ChangeOp.d);
        assertThat(Json.fromJson(event.records().get(1).value(), DeadLetter.class)
                        .error())
                .isEqualTo("txn_type 'GIFT' is not EARN, REDEEM or ADJUST");
        assertThat(event.deadLettered()).isEqualTo(1);
    }

    @Test
    void heartbeatsPublishNothingButCarryTheirTime() {
        final MappedEvent record = mapper.map("__debezium-heartbeat.legacy_cdc", fixture("heartbeat-record.json"));
        final MappedEvent tableRow = map("heartbeat-table.json");

        assertThat(record.kind()).isEqualTo(MappedEvent.Kind.HEARTBEAT);
        assertThat(record.sourceTsMs()).isEqualTo(1795616900000L);
        assertThat(record.records()).isEmpty();
        assertThat(tableRow.kind()).isEqualTo(MappedEvent.Kind.HEARTBEAT);
        assertThat(tableRow.records()).isEmpty();
    }

    @Test
    void tombstonesAreSkipped() {
        assertThat(mapper.map(TABLE_TOPIC, null).kind()).isEqualTo(MappedEvent.Kind.SKIPPED);
        assertThat(mapper.map(TABLE_TOPIC, "null").kind()).isEqualTo(MappedEvent.Kind.SKIPPED);
    }

    @Test
    void aTruncateIsADeadLetterThatSaysNothingWasVoided() {
        final MappedEvent truncate = map("txn-truncate.json");

        assertThat(truncate.op()).isEqualTo("t");
        assertThat(truncate.deadLettered()).isEqualTo(1);
        assertThat(Json.fromJson(truncate.records().get(0).value(), DeadLetter.class)
                        .error())
                .startsWith("TRUNCATE of legacy.points_transactions: no rows were published for it");
    }

    @Test
    void theDeleteOfATransactionWhoseMemberIsGoneIsPublishedWithoutAUser() {
        final String deleted = fixture("txn-delete.json").replace("\"member_id\": 1001", "\"member_id\": 9999");
        final MappedEvent event = mapper.map(TABLE_TOPIC, deleted);

        assertThat(event.deadLettered()).isZero();
        assertThat(event.records()).singleElement().satisfies(record -> {
            final LegacyLedgerChange change = ledger(record);
            assertThat(change.op()).isEqualTo(ChangeOp.d);
            assertThat(change.businessKey()).isEqualTo("legacy-5005");
            assertThat(change.userId()).isNull();
        });
    }

    @Test
    void unparseableEventIsDeadLettered() {
        final MappedEvent event = mapper.map(TABLE_TOPIC, "{not json");

        assertThat(event.deadLettered()).isEqualTo(1);
        assertThat(Json.fromJson(event.records().get(0).value(), DeadLetter.class)
                        .error())
                .startsWith("unparseable change event");
    }

    private void assertDeadLettered(final String fixture, final String key, final String reason) {
        final MappedEvent event = map(fixture);
        assertThat(event.deadLettered()).as(fixture).isEqualTo(1);
        assertThat(event.records())
                .as(fixture)
                .extracting(OutboundRecord::topic, OutboundRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dlq", key));
        assertThat(Json.fromJson(event.records().get(0).value(), DeadLetter.class)
                        .error())
                .as(fixture)
                .isEqualTo(reason);
    }

    private MappedEvent map(final String fixture) {
        return mapper.map(TABLE_TOPIC, fixture(fixture));
    }

    private static LegacyLedgerChange ledger(final OutboundRecord record) {
        assertThat(record.topic()).isEqualTo("ledger");
        return Json.fromJson(record.value(), LegacyLedgerChange.class);
    }

    private static JsonNode row(final String fixture) {
        try {
            return Json.MAPPER.readTree(fixture(fixture)).get("after");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fixture(final String name) {
        try (InputStream in = ChangeEventMapperTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read fixture " + name, e);
        }
    }
}
