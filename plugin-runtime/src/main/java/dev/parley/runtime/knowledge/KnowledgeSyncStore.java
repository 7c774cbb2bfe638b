package dev.parley.runtime.knowledge;

import dev.parley.runtime.persistence.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The knowledge_sync rows: per source (a connection id) its cursor, last run and outcome, and a lease so that
 * among N instances exactly one syncs a source at a time (claimed by a conditional update).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class KnowledgeSyncStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    /** A source's sync state as the admin API shows it. */
    public record SyncState(OffsetDateTime lastRunAt, int articles, String lastError, String cursor) {
    }

    /**
     * Creates the source's row when it has none. Another instance may win the race: the unique key refuses
     * this insert, the transaction rolls back, and the caller checks that the row exists.
     */
    public void ensure(String source) {
        if (state(source).isEmpty()) {
            em.createNativeQuery("INSERT INTO knowledge_sync (source, articles) VALUES (?, 0)")
                    .setParameter(1, source).executeUpdate();
        }
    }

    /**
     * Takes the source for {@code lease} when nobody holds it and it is due (never run, or last run at least
     * {@code interval} ago); {@code force} ignores the due time (the admin "sync now"), never the lease.
     */
    public boolean claim(String source, Duration interval, Duration lease, boolean force) {
        OffsetDateTime now = OffsetDateTime.now();
        var update = em.createNativeQuery("UPDATE knowledge_sync SET lease_until = ? WHERE source = ? "
                        + "AND (lease_until IS NULL OR lease_until < ?)"
                        + (force ? "" : " AND (last_run_at IS NULL OR last_run_at <= ?)"))
                .setParameter(1, now.plus(lease)).setParameter(2, source).setParameter(3, now);
        if (!force) {
            update.setParameter(4, now.minus(interval));
        }
        return update.executeUpdate() == 1;
    }

    /** True when no full sync started within {@code every}; marks one as starting now (call under the lease). */
    public boolean startFullIfDue(String source, Duration every) {
        OffsetDateTime now = OffsetDateTime.now();
        return em.createNativeQuery("UPDATE knowledge_sync SET full_sync_at = ?, cursor_text = NULL WHERE source = ? "
                        + "AND (full_sync_at IS NULL OR full_sync_at <= ?)")
                .setParameter(1, now).setParameter(2, source).setParameter(3, now.minus(every)).executeUpdate() == 1;
    }

    public void cursor(String source, String cursor) {
        em.createNativeQuery("UPDATE knowledge_sync SET cursor_text = ? WHERE source = ?")
                .setParameter(1, Columns.fit(cursor, 2000)).setParameter(2, source).executeUpdate();
    }

    /**
     * A run ended without error. With pages left over (the page limit) last_run_at stays, so the source is
     * still due and the next sweep continues from the stored cursor.
     */
    public void finished(String source, boolean complete) {
        long articles = em.createQuery("select count(a) from KnowledgeArticleEntity a where a.source = :s", Long.class)
                .setParameter("s", source).getSingleResult();
        if (complete) {
            em.createNativeQuery("UPDATE knowledge_sync SET last_run_at = ?, articles = ?, last_error = NULL, "
                            + "lease_until = NULL WHERE source = ?")
                    .setParameter(1, OffsetDateTime.now()).setParameter(2, (int) articles).setParameter(3, source)
                    .executeUpdate();
        } else {
            em.createNativeQuery("UPDATE knowledge_sync SET articles = ?, last_error = NULL, lease_until = NULL WHERE source = ?")
                    .setParameter(1, (int) articles).setParameter(2, source).executeUpdate();
        }
    }

    /**
     * A failed run: the error is kept and the cursor stays where the last good page left it. last_run_at moves
     * too, so a failing source is retried at its interval, not on every sweep.
     */
    public void failed(String source, String error) {
        em.createNativeQuery("UPDATE knowledge_sync SET last_run_at = ?, last_error = ?, lease_until = NULL WHERE source = ?")
                .setParameter(1, OffsetDateTime.now()).setParameter(2, Columns.fit(error, Columns.ERROR))
                .setParameter(3, source).executeUpdate();
    }

    public Optional<SyncState> state(String source) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT last_run_at, articles, last_error, cursor_text "
                + "FROM knowledge_sync WHERE source = ?").setParameter(1, source).getResultList();
        return rows.stream().findFirst().map(r -> new SyncState(time(r[0]), ((Number) r[1]).intValue(),
                (String) r[2], (String) r[3]));
    }

    /** Drivers differ in what a TIMESTAMP WITH TIME ZONE column comes back as. */
    private static OffsetDateTime time(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString());
    }
}
