package io.loyaltylakehouse.edge.accrual;

import io.loyaltylakehouse.edge.model.AccountEvent;

/**
 * CONTRACT 4.2, dedup with global ids: a transaction_id or redemption_id accepted once is a duplicate under any
 * user_id: it earns nothing, writes no ledger entry, and goes to its topic's {@code .dlq} with a reason. The ids are
 * remembered (with the user they went to) by id, on the task owning the id, for the dedup retention.
 *
 * <p>Every valid purchase that is not a duplicate is accepted, so a transaction_id is claimed when it first passes.
 * A redemption is accepted only if the balance covers it, which only the account step knows: its id is claimed for
 * the first user that sends it, another user's redemption with that id is a duplicate, and the account step refuses
 * a second acceptance of it (a rejected redemption may be retried by its user).
 */
public final class GlobalIdDedup {
    private GlobalIdDedup() {}

    /** The key ids are remembered under: purchases and redemptions have separate id spaces. */
    public static String idKey(final AccountEvent event) {
        return event.purchase() != null
                ? "purchase/" + event.purchase().transactionId()
                : "redemption/" + event.redemption().redemptionId();
    }

    /**
     * Why {@code event} is a duplicate given the user its id was claimed for ({@code owner}, null when unclaimed),
     * or null when it goes on to the user's account.
     */
    public static String duplicateReason(final AccountEvent event, final String owner) {
        if (owner == null) {
            return null;
        }
        if (event.purchase() != null) {
            return "transaction_id '" + event.purchase().transactionId() + "' was already accepted (user '" + owner
                    + "')";
        }
        return owner.equals(event.userId())
                ? null
                : "redemption_id '" + event.redemption().redemptionId() + "' already belongs to user '" + owner + "'";
    }

    /** The owner's task found this redemption_id already accepted for the same user. */
    public static String redemptionAlreadyAccepted(final AccountEvent event) {
        return "redemption_id '" + event.redemption().redemptionId() + "' was already accepted (user '" + event.userId()
                + "')";
    }
}
