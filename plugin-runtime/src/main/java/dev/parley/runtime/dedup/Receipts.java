package dev.parley.runtime.dedup;

import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.persistence.Ids;
import dev.parley.runtime.persistence.RetryTransactionException;
import dev.parley.runtime.persistence.SqlDialect;
import dev.parley.runtime.persistence.SqlErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/**
 * Dedup claims ({@link InboundReceipt}): a provider event, or any work keyed like one, is claimed once per
 * connection within the dedup window. The unique (connection, key) constraint decides, whichever instance asks.
 */
@ApplicationScoped
public class Receipts {

    private static final String CLAIM = SqlDialect.insertUnlessPresent("inbound_receipt",
            new String[] {"id", "connection_id", "dedup_key", "received_at", "expires_at"},
            new String[] {"connection_id", "dedup_key"});

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    RuntimeSettings settings;

    /**
     * Claims {@code key} in the caller's transaction, so that the claim and the work it guards commit (or roll
     * back) together.
     *
     * @throws DuplicateEventException when it was claimed within the window
     * @throws RetryTransactionException when the database asks for the transaction to be retried
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claim(String connectionId, String key, OffsetDateTime now) {
        insert(connectionId, key, now);
    }

    /**
     * Claims a key for work that is not an inbound event (an assist suggestion per ticket comment), in a
     * transaction of its own, with the same window as webhook events.
     *
     * @throws DuplicateEventException when it was claimed within the window
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void claimAlone(String connectionId, String key) {
        insert(connectionId, key, OffsetDateTime.now());
    }

    /** Gives a claim back, so that a later attempt may try again (the work failed). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(String connectionId, String key) {
        em.createNativeQuery("DELETE FROM inbound_receipt WHERE connection_id = ? AND dedup_key = ?")
                .setParameter(1, connectionId).setParameter(2, key).executeUpdate();
    }

    /** A duplicate is an expected outcome, answered without an SQL error (no trace, no abort). */
    private void insert(String connectionId, String key, OffsetDateTime now) {
        try {
            Query q = em.createNativeQuery(CLAIM)
                    .setParameter(1, Ids.next()).setParameter(2, connectionId)
                    .setParameter(3, key).setParameter(4, now).setParameter(5, now.plus(settings.dedupWindow()));
            if (!SqlDialect.postgres()) {
                q.setParameter(6, connectionId).setParameter(7, key);
            }
            if (q.executeUpdate() == 0) {
                throw new DuplicateEventException(key);
            }
        } catch (PersistenceException e) {
            if (SqlErrors.isConstraintViolation(e)) {
                throw new DuplicateEventException(key);
            }
            if (SqlErrors.isTransient(e)) {
                throw new RetryTransactionException(e);
            }
            throw e;
        }
    }
}
