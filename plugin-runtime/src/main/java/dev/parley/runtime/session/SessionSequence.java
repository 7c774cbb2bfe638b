package dev.parley.runtime.session;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;

/**
 * The order of a session, decided in the database: every message, timeline line, bot turn and outbox entry of a
 * session takes the next number of {@code chat_session.next_seq}, allocated with an UPDATE of the session row in
 * the writing transaction. The row lock that UPDATE takes is held to commit, so two transactions writing to one
 * session (on any instances) are serialised and their numbers follow their commit order. A transaction takes a
 * block of {@value #BLOCK} numbers at its first need, in one statement
 * ({@link dev.parley.runtime.persistence.SqlDialect#addAndGet}), and uses it up; gaps are harmless, only the order
 * counts.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SessionSequence {

    static final int BLOCK = 8;
    private static final Object KEY = SessionSequence.class;

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Resource
    TransactionSynchronizationRegistry transaction;

    /** The next number of the session's order, in the caller's transaction. */
    public long next(long sessionId) {
        @SuppressWarnings("unchecked")
        Map<Long, long[]> blocks = (Map<Long, long[]>) transaction.getResource(KEY);
        if (blocks == null) {
            blocks = new HashMap<>();
            transaction.putResource(KEY, blocks);
        }
        long[] block = blocks.get(sessionId); // {next, last}
        if (block == null || block[0] > block[1]) {
            long last = allocate(sessionId, BLOCK);
            block = new long[] {last - BLOCK + 1, last};
            blocks.put(sessionId, block);
        }
        return block[0]++;
    }

    private long allocate(long sessionId, int n) {
        @SuppressWarnings("unchecked")
        java.util.List<Number> last = em.createNativeQuery(
                        dev.parley.runtime.persistence.SqlDialect.addAndGet("chat_session", "next_seq"))
                .setParameter(1, n).setParameter(2, sessionId).getResultList();
        if (last.isEmpty()) {
            throw new IllegalStateException("session " + sessionId + " does not exist");
        }
        return last.get(0).longValue();
    }
}
