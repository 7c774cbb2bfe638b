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
     * The fence of every outcome: each moves the entry out of SENDING only if {@code token} still holds its claim.
     * A worker whose claim ran out and was taken over gets false and records nothing, so a late answer can never
     * turn a SENT entry back into PENDING. One statement per outcome: no NULL parameters whose type PostgreSQL
     * would have to guess.
     */
    public boolean sent(long entryId, long token) {
        return fenced(em.createNativeQuery("UPDATE outbox_entry SET state = 'SENT', lease_until = NULL, updated_at = ? "
                + WHERE_CLAIMED), 2, entryId, token);
    }

    public boolean retryAt(long entryId, long token, OffsetDateTime at, String error) {
        return fenced(em.createNativeQuery("UPDATE outbox_entry SET state = 'PENDING', lease_until = NULL, updated_at = ?, "
                + "next_attempt_at = ?, last_error = ? " + WHERE_CLAIMED).setParameter(2, at).setParameter(3, fit(error)),
                4, entryId, token);
    }

    public boolean failed(long entryId, long token, String error) {
        return fenced(em.createNativeQuery("UPDATE outbox_entry SET state = 'FAILED', lease_until = NULL, updated_at = ?, "
                + "last_error = ? " + WHERE_CLAIMED).setParameter(2, fit(error)), 3, entryId, token);
    }

    /** A desk call finished: the handoff side records its result in the same transaction. */
    public boolean done(long entryId, long token) {
        return sent(entryId, token);
    }

    private static final String WHERE_CLAIMED = "WHERE id = ? AND claim_token = ? AND state = 'SENDING'";

    /** Binds updated_at (always the first parameter) and the claim at {@code next}, {@code next + 1}; true if it held. */
    private static boolean fenced(jakarta.persistence.Query q, int next, long entryId, long token) {
        return q.setParameter(1, OffsetDateTime.now()).setParameter(next, entryId).setParameter(next + 1, token)
                .executeUpdate() == 1;
    }

    private static String fit(String error) {
        return dev.parley.runtime.persistence.Columns.fit(error, dev.parley.runtime.persistence.Columns.ERROR);
    }
}
