package io.loyaltylakehouse.reconciler.serde;

import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.member;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void aMemberChangeParsesAsIs() {
        final LegacyMember gold = member(ChangeOp.u, 7, "GOLD", 3);

        assertThat(Parsers.member(raw("legacy_members", "7", gold))).isEqualTo(gold);
    }

    @Test
    void aMemberTombstoneDeletesTheMemberOfItsKey() {
        final LegacyMember deleted = Parsers.member(raw("legacy_members", "7", null));

        assertThat(deleted.op()).isEqualTo(ChangeOp.d);
        assertThat(deleted.memberId()).isEqualTo(7L);
    }

    @Test
    void aTombstoneWithoutANumericKeyIsRefused() {
        assertThatThrownBy(() -> Parsers.member(raw("legacy_members", "seven", null)))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Parsers.member(raw("legacy_members", null, null)))
                .hasMessage("key (member_id) of a tombstone is missing");
    }
}
