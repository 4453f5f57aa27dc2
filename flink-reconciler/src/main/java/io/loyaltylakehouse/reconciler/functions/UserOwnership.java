package io.loyaltylakehouse.reconciler.functions;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.reconciler.records.KeyState;
import java.util.Objects;

/**
 * Business keys are global (CONTRACT 4 rule 2) and no entry moves a row to another user:
 * <ul>
 *   <li>the first real-time entry of a key owns its row; a later one under another user is refused;</li>
 *   <li>a legacy-only row belongs to its legacy transaction: another legacy transaction with the same
 *       {@code source_txn_ref} under another user is refused, while the row's own transaction moving to
 *       another user (same {@code legacy_txn_id}: a member re-key, {@code new_user_id}) moves it along;</li>
 *   <li>real time against legacy under different users is not refused here: real time wins whichever
 *       arrived first, and {@link Reconciliation#decide} audits it as a CONFLICT.</li>
 * </ul>
 * A refused entry changes nothing of the row, and the key is audited as CONFLICT from then on.
 */
public final class UserOwnership {

    private UserOwnership() {}

    public static boolean refuses(final KeyState state, final LedgerEntry entry) {
        return state.realtime() != null && !Objects.equals(state.realtime().userId(), entry.userId());
    }

    public static boolean refuses(final KeyState state, final LegacyLedgerChange change) {
        return state.realtime() == null
                && state.legacy() != null
                && change.userId() != null
                && !Objects.equals(state.legacy().userId(), change.userId())
                && state.legacy().legacyTxnId() != change.legacyTxnId();
    }
}
