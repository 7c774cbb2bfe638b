package dev.parley.runtime.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What waits in the database, per connection: plain SQL over the outbox and turn tables (no entity of theirs, so the
 * metrics package depends on no other runtime package). Every instance sharing the database reads the same numbers.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class BacklogReader {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    /** Outbox entries per connection not sent yet (PENDING: waiting or backing off; SENDING: a provider call runs). */
    public Map<String, Long> outboxDepth() {
        return grouped("SELECT connection_id, COUNT(*) FROM outbox_entry WHERE state IN ('PENDING', 'SENDING') "
                + "GROUP BY connection_id");
    }

    /** Bot turns per channel connection waiting for (or in) a bot worker. */
    public Map<String, Long> turnBacklog() {
        return grouped("SELECT s.connection_id, COUNT(*) FROM bot_turn t JOIN chat_session s ON s.id = t.session_id "
                + "WHERE t.state = 'PENDING' GROUP BY s.connection_id");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> grouped(String sql) {
        List<Object[]> rows = em.createNativeQuery(sql).getResultList();
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.put(String.valueOf(r[0]), ((Number) r[1]).longValue()));
        return Map.copyOf(counts);
    }
}
