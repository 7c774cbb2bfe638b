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
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("[\\p{Cntrl}\\u2028\\u2029&&[^\\t]]");

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    private final ConcurrentHashMap<String, Set<String>> secrets = new ConcurrentHashMap<>();
    private final RejectionBursts bursts = new RejectionBursts(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(5));
    /** Its own proxy: the transactional writes must go through the interceptor when called from inside. */
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ConnectionLogService> self;

    /** Registers the secret values of a connection so they never reach a log line. */
    void secrets(String connectionId, Set<String> values) {
        secrets.put(connectionId, Set.copyOf(values));
    }

    /**
     * The text with the connection's secrets replaced and control characters (CR, LF, ...) turned into spaces: a
     * caller-controlled value in a reason must not forge a line of its own in the server log.
     */
    public String mask(String connectionId, String text) {
        String out = text == null ? "" : CONTROL.matcher(text).replaceAll(" ");
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

    /**
     * A webhook refused before any event was read (bad credentials, signature, body): one entry per burst with
     * the count and the last reason (see {@link RejectionBursts}); the server log gets the first of each burst.
     */
    public void rejected(String connectionId, String reason) {
        RejectionBursts.Write write = bursts.record(connectionId, mask(connectionId, reason), java.time.Instant.now());
        if (write != null) {
            write(write);
        }
    }

    /** Writes the counts that rejections since the last rewrite left unwritten; the sweeper calls it. */
    public void flushRejections() {
        bursts.flush(java.time.Instant.now()).forEach(this::write);
    }

    private void write(RejectionBursts.Write w) {
        String text = Columns.fit(w.text(), Columns.DETAIL);
        synchronized (w.burst()) {
            if (w.insert()) {
                LOG.log(Level.WARNING, "[{0}] {1}", new Object[] {w.connectionId(), text});
                w.burst().rowId = self.get().insert(w.connectionId(), "WARN", text);
            } else if (w.burst().rowId != null) {
                self.get().rewrite(w.burst().rowId, text);
            }
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long insert(String connectionId, String severity, String text) {
        ConnectionLogEntry e = new ConnectionLogEntry(connectionId, OffsetDateTime.now(), severity, text);
        em.persist(e);
        return e.id();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void rewrite(long rowId, String text) {
        em.createNativeQuery("UPDATE connection_log SET entry = ? WHERE id = ?")
                .setParameter(1, text).setParameter(2, rowId).executeUpdate();
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
