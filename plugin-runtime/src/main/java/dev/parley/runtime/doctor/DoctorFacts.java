package dev.parley.runtime.doctor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the doctor reads from the database: plain SQL over the tables other packages own (no entity of theirs is
 * used, so the doctor depends on none of them). Read-only.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DoctorFacts {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    /** The newest inbound message of the connection; null for none. */
    public Instant lastInbound(String connectionId) {
        Object v = em.createNativeQuery("SELECT MAX(created_at) FROM chat_message WHERE connection_id = ? AND direction = 'IN'")
                .setParameter(1, connectionId).getSingleResult();
        return instant(v);
    }

    /** The connection's webhook rejections logged since {@code from}, newest first. */
    @SuppressWarnings("unchecked")
    public List<String> rejections(String connectionId, Instant from) {
        List<Object> rows = em.createNativeQuery("SELECT entry FROM connection_log WHERE connection_id = ? AND logged_at >= ? "
                        + "AND severity = 'WARN' AND entry LIKE 'webhook%' AND (entry LIKE '%rejected%' OR entry LIKE '%skipped%') "
                        + "ORDER BY id DESC")
                .setParameter(1, connectionId).setParameter(2, odt(from)).setMaxResults(200).getResultList();
        return rows.stream().map(String::valueOf).toList();
    }

    /** Outbox entries of the connection FAILED since {@code from}, by error. */
    public List<DoctorChecks.ErrorCount> failedSends(String connectionId, Instant from) {
        return grouped("SELECT last_error, COUNT(*) FROM outbox_entry WHERE connection_id = ? AND state = 'FAILED' "
                + "AND updated_at >= ? GROUP BY last_error", connectionId, from);
    }

    /**
     * Outbound messages of the connection a delivery report marked failed since {@code from}, by status and error. A
     * provider message id means the provider accepted the send (the outbox's own failures never get one), so none of
     * these is also counted by {@link #failedSends}. Infobip's reports say UNDELIVERABLE, EXPIRED or REJECTED, not
     * FAILED, hence the four statuses.
     */
    @SuppressWarnings("unchecked")
    public List<DoctorChecks.ReportedFailure> failedReports(String connectionId, Instant from) {
        List<Object[]> rows = em.createNativeQuery("SELECT status, error, COUNT(*) FROM chat_message WHERE connection_id = ? "
                        + "AND direction = 'OUT' AND provider_message_id IS NOT NULL "
                        + "AND status IN ('FAILED', 'UNDELIVERABLE', 'EXPIRED', 'REJECTED') AND updated_at >= ? "
                        + "GROUP BY status, error")
                .setParameter(1, connectionId).setParameter(2, odt(from)).getResultList();
        return rows.stream().map(r -> new DoctorChecks.ReportedFailure(String.valueOf(r[0]),
                r[1] == null ? null : String.valueOf(r[1]), ((Number) r[2]).longValue())).toList();
    }

    /** Handoffs to the desk FAILED since {@code from}, by error. */
    public List<DoctorChecks.ErrorCount> failedHandoffs(String desk, Instant from) {
        return grouped("SELECT error, COUNT(*) FROM handoff WHERE desk_connection_id = ? AND state = 'FAILED' "
                + "AND updated_at >= ? GROUP BY error", desk, from);
    }

    /** Sessions of the connection started since {@code from} that no agent answers. */
    public long unanswered(String connectionId, Instant from) {
        Object v = em.createNativeQuery("SELECT COUNT(*) FROM chat_session WHERE connection_id = ? AND agent_id IS NULL "
                        + "AND created_at >= ?")
                .setParameter(1, connectionId).setParameter(2, odt(from)).getSingleResult();
        return ((Number) v).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<DoctorChecks.ErrorCount> grouped(String sql, String id, Instant from) {
        List<Object[]> rows = em.createNativeQuery(sql).setParameter(1, id).setParameter(2, odt(from)).getResultList();
        return rows.stream().map(r -> new DoctorChecks.ErrorCount(r[0] == null ? null : String.valueOf(r[0]),
                ((Number) r[1]).longValue())).toList();
    }

    private static OffsetDateTime odt(Instant i) {
        return OffsetDateTime.ofInstant(i, java.time.ZoneId.systemDefault()); // as the other stores write them
    }

    private static Instant instant(Object v) {
        if (v == null) return null;
        if (v instanceof OffsetDateTime o) return o.toInstant();
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof java.time.LocalDateTime l) return l.atZone(java.time.ZoneId.systemDefault()).toInstant();
        if (v instanceof Instant i) return i;
        if (v instanceof java.time.ZonedDateTime z) return z.toInstant();
        return OffsetDateTime.parse(String.valueOf(v)).toInstant();
    }
}
