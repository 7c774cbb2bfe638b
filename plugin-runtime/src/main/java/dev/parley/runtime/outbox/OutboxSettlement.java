package dev.parley.runtime.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/** Records the outcome of a claimed outbox entry in the caller's transaction, fenced by the claim's token. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class OutboxSettlement {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    /**
     * The fence of every outcome: moves the entry out of SENDING only if {@code token} still holds its claim. A
     * worker whose claim ran out and was taken over gets false and records nothing, so a late answer can never
     * turn a SENT entry back into PENDING.
     */
    public boolean settle(long entryId, long token, String state, OffsetDateTime nextAttempt, String error) {
        // One statement per outcome: no NULL parameters whose type PostgreSQL would have to guess.
        jakarta.persistence.Query q = switch (state) {
            case "SENT" -> em.createNativeQuery("UPDATE outbox_entry SET state = 'SENT', lease_until = NULL, "
                    + "updated_at = ? WHERE id = ? AND claim_token = ? AND state = 'SENDING'");
            case "PENDING" -> em.createNativeQuery("UPDATE outbox_entry SET state = 'PENDING', lease_until = NULL, "
                    + "updated_at = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND claim_token = ? AND state = 'SENDING'")
                    .setParameter(2, nextAttempt);
            default -> em.createNativeQuery("UPDATE outbox_entry SET state = 'FAILED', lease_until = NULL, "
                    + "updated_at = ?, last_error = ? WHERE id = ? AND claim_token = ? AND state = 'SENDING'");
        };
        int p = state.equals("PENDING") ? 3 : 2;
        q.setParameter(1, OffsetDateTime.now());
        if (!state.equals("SENT")) {
            q.setParameter(p++, dev.parley.runtime.persistence.Columns.fit(error, dev.parley.runtime.persistence.Columns.ERROR));
        }
        return q.setParameter(p, entryId).setParameter(p + 1, token).executeUpdate() == 1;
    }

    /** A desk call finished: the handoff side records its result in the same transaction. */
    public boolean done(long entryId, long token) {
        return settle(entryId, token, "SENT", null, null);
    }
}
