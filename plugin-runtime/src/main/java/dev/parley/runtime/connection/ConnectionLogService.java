package dev.parley.runtime.connection;

import dev.parley.runtime.persistence.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connections' logs: durable rows for the admin API plus a server log line. Every line passes through
 * {@link #mask}, which replaces the connection's secret values, as a last line of defence.
 */
@ApplicationScoped
public class ConnectionLogService {

    private static final Logger LOG = Logger.getLogger("dev.parley.connection");

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    private final ConcurrentHashMap<String, Set<String>> secrets = new ConcurrentHashMap<>();

    /** Registers the secret values of a connection so they never reach a log line. */
    void secrets(String connectionId, Set<String> values) {
        secrets.put(connectionId, Set.copyOf(values));
    }

    public String mask(String connectionId, String text) {
        String out = text == null ? "" : text;
        for (String secret : secrets.getOrDefault(connectionId, Set.of())) {
            if (secret.length() >= 4) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void append(String connectionId, String severity, String text) {
        String safe = mask(connectionId, text);
        LOG.log(level(severity), "[{0}] {1}", new Object[] {connectionId, safe});
        em.persist(new ConnectionLogEntry(connectionId, OffsetDateTime.now(), severity,
                Columns.fit(safe, Columns.DETAIL)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ConnectionLogEntry> recent(String connectionId, int limit) {
        return em.createQuery("select e from ConnectionLogEntry e where e.connectionId = :c order by e.id desc",
                        ConnectionLogEntry.class)
                .setParameter("c", connectionId).setMaxResults(limit).getResultList();
    }

    private static Level level(String severity) {
        return switch (severity) {
            case "ERROR" -> Level.SEVERE;
            case "WARN" -> Level.WARNING;
            default -> Level.INFO;
        };
    }
}
