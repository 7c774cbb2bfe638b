package dev.parley.runtime.outbox;

import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.SessionStore;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Database side of the outbox. An entry is claimed with one conditional update, so exactly one worker
 * in the cluster sends it; the claim is a lease that expires if that worker dies. Entries of a session
 * go out in order: an entry is not claimable while an earlier one of its session is unfinished.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class OutboxStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    OutboxSettlement settlement;

    /**
     * A claimed entry. For {@link OutboxEntry.Kind#MESSAGE} {@code reference} and {@code text} are the message's;
     * for desk calls {@code handoffId} is set and {@code messageId} is the relayed customer message, if any; for
     * {@link OutboxEntry.Kind#CHANNEL_CLOSE} {@code recipient} is the contact and {@code reason} why the bot resolved.
     *
     * @param token          the claim's fencing token: every write that records the outcome names it
     * @param uncertainSince set when an earlier attempt, started then, may have reached the provider without being
     *                       recorded (its claim ran out while SENDING): ask the provider before sending again
     */
    public record Claim(long entryId, long sessionId, OutboxEntry.Kind kind, String connectionId, String recipient,
                        Long messageId, Long handoffId, String reference, String text, int attempt, long token,
                        OffsetDateTime uncertainSince, OffsetDateTime customerLastWrote, String extras, String reason) {

        /**
         * What the channel is given: the text, when the customer last wrote (channels with a customer-care window
         * check it at send time), and the template when the message is one.
         */
        public dev.parley.spi.OutboundMessage message() {
            return new dev.parley.spi.OutboundMessage(reference, recipient, text, customerLastWrote,
                    dev.parley.runtime.session.MessageExtras.template(extras).orElse(null));
        }
    }

    private static final String CLAIM = "UPDATE outbox_entry SET state = 'SENDING', lease_until = ?, "
            + "attempts = attempts + 1, claim_token = claim_token + 1, updated_at = ?, %s WHERE id = ? AND %s "
            + "AND NOT EXISTS (SELECT 1 FROM outbox_entry e WHERE e.session_id = outbox_entry.session_id "
            + "AND e.connection_id = outbox_entry.connection_id AND e.seq < outbox_entry.seq AND e.state IN ('PENDING', 'SENDING'))";

    public Optional<Claim> claim(long entryId, Duration lease) {
        return claimIn(entryId, lease);
    }

    /**
     * {@link #claim} in the caller's transaction: a bot worker claims the first reply of a turn in the transaction
     * that queues it, and sends it right after commit. The same conditional update decides.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Claim> claimIn(long entryId, Duration lease) {
        em.flush(); // entries queued in this transaction must be visible to the native update
        OffsetDateTime now = OffsetDateTime.now();
        int updated = em.createNativeQuery(String.format(CLAIM, "attempt_started_at = ?",
                        "state = 'PENDING' AND next_attempt_at <= ?"))
                .setParameter(1, now.plus(lease)).setParameter(2, now).setParameter(3, now).setParameter(4, entryId)
                .setParameter(5, now).executeUpdate();
        if (updated != 1) {
            // A SENDING entry whose worker's lease ran out: that attempt may have reached the provider.
            updated = em.createNativeQuery(String.format(CLAIM,
                            "uncertain_since = COALESCE(uncertain_since, attempt_started_at, updated_at), attempt_started_at = ?",
                            "state = 'SENDING' AND lease_until < ?"))
                    .setParameter(1, now.plus(lease)).setParameter(2, now).setParameter(3, now).setParameter(4, entryId)
                    .setParameter(5, now).executeUpdate();
        }
        if (updated != 1) {
            return Optional.empty();
        }
        // The entry and its message in one read; the persistence context has no shared cache
        // (eclipselink.cache.shared.default=false), but it may hold the entry from this transaction: refresh it.
        List<Object[]> rows = em.createQuery("select e, m, s.lastInboundAt from OutboxEntry e "
                        + "left join ChatMessage m on m.id = e.messageId left join ChatSession s on s.id = e.sessionId "
                        + "where e.id = :id", Object[].class)
                .setParameter("id", entryId).setHint("eclipselink.refresh", true).getResultList();
        OutboxEntry e = (OutboxEntry) rows.get(0)[0];
        ChatMessage m = (ChatMessage) rows.get(0)[1];
        return Optional.of(new Claim(e.id(), e.sessionId(), e.kind(), e.connectionId(), e.recipient(), e.messageId(),
                e.handoffId(), m == null ? null : m.reference(), m == null ? null : m.body(), e.attempts(),
                e.claimToken(), e.uncertainSince(), (OffsetDateTime) rows.get(0)[2], m == null ? null : m.extras(),
                e.reason()));
    }

    /**
     * The provider cannot tell yet whether it has the message of an uncertain entry: ask again at {@code at}. The
     * claim's attempt is given back (nothing was sent), and the timeline says why the message waits.
     *
     * @return false when the claim was lost meanwhile
     */
    public boolean lookupLater(long entryId, long token, OffsetDateTime at, String reason) {
        OffsetDateTime now = OffsetDateTime.now();
        int updated = em.createNativeQuery("UPDATE outbox_entry SET state = 'PENDING', lease_until = NULL, "
                        + "attempts = attempts - 1, next_attempt_at = ?, updated_at = ? WHERE id = ? AND claim_token = ? "
                        + "AND state = 'SENDING'")
                .setParameter(1, at).setParameter(2, now).setParameter(3, entryId).setParameter(4, token).executeUpdate();
        if (updated != 1) {
            return false;
        }
        OutboxEntry e = em.find(OutboxEntry.class, entryId);
        sessions.event(e.sessionId(), e.messageId(), now, "LOOKUP_PENDING", "an earlier attempt may have reached "
                + "the provider, which cannot tell yet (" + reason + "); asking again at " + at);
        return true;
    }

    /** A line in the entry's session timeline (what the outbox decided and why). */
    public void note(long entryId, String kind, String detail) {
        OutboxEntry e = em.find(OutboxEntry.class, entryId);
        sessions.event(e.sessionId(), e.messageId(), OffsetDateTime.now(), kind, detail);
    }

    /**
     * A {@link OutboxEntry.Kind#CHANNEL_CLOSE} call returned: the entry is done and the channel's line goes into the
     * timeline. Nothing is recorded when the claim was lost meanwhile (the new holder's call counts).
     *
     * @return false when the claim was lost
     */
    public boolean conversationClosed(long entryId, long token, long sessionId, String line) {
        if (!settlement.done(entryId, token)) {
            return false;
        }
        sessions.event(sessionId, null, OffsetDateTime.now(), "CONVERSATION_CLOSED",
                line == null || line.isBlank() ? "the channel closed the provider's conversation" : line);
        return true;
    }

    /** Extends a claim's lease while its call runs; false when the claim was lost. */
    public boolean renew(long entryId, long token, Duration lease) {
        return em.createNativeQuery("UPDATE outbox_entry SET lease_until = ? WHERE id = ? AND claim_token = ? "
                        + "AND state = 'SENDING'")
                .setParameter(1, OffsetDateTime.now().plus(lease)).setParameter(2, entryId).setParameter(3, token)
                .executeUpdate() == 1;
    }

    /** What {@link #sentThenNext} recorded. */
    public record Sent(boolean recorded, Optional<Long> nextOfSession) {
    }

    /**
     * Records a message claim as SENT with the provider's receipt (fenced: nothing when the claim was lost), from
     * what the claim holds without reading the entry again, and finds {@link #nextOfSession} in the same transaction.
     */
    public Sent sentThenNext(Claim claim, SendReceipt receipt) {
        if (!settlement.sent(claim.entryId(), claim.token())) {
            return new Sent(false, Optional.empty());
        }
        recordSent(claim.sessionId(), claim.messageId(), claim.attempt(), receipt);
        return new Sent(true, findNextOfSession(claim.sessionId(), claim.connectionId()));
    }

    /** A claimed message the provider accepted, to record with {@link #sentAll}. */
    public record Accepted(Claim claim, SendReceipt receipt) {
    }

    /**
     * {@link #sentThenNext} for many claims in one transaction, in ascending session order (the lock order every
     * batch keeps); the answer is in the order of {@code accepted}. One commit records a whole batch of sends.
     */
    public List<Sent> sentAll(List<Accepted> accepted) {
        Sent[] sent = new Sent[accepted.size()];
        java.util.stream.IntStream.range(0, accepted.size()).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer i) -> accepted.get(i).claim().sessionId())
                        .thenComparingLong(i -> accepted.get(i).claim().entryId()))
                .forEach(i -> {
                    sent[i] = sentThenNext(accepted.get(i).claim(), accepted.get(i).receipt());
                    // Written; keep the unit of work to one send, or every later flush rescans all earlier ones.
                    em.flush();
                    em.clear();
                });
        return List.of(sent);
    }

    /** Extends many claims' leases in one transaction; answers the entries whose claims still held. */
    public java.util.Set<Long> renewAll(java.util.Collection<Claim> claims, Duration lease) {
        java.util.Set<Long> held = new java.util.HashSet<>();
        for (Claim c : claims.stream().sorted(java.util.Comparator.comparingLong(Claim::entryId)).toList()) {
            if (renew(c.entryId(), c.token(), lease)) {
                held.add(c.entryId());
            }
        }
        return held;
    }

    private void recordSent(long sessionId, Long messageId, int attempt, SendReceipt receipt) {
        OffsetDateTime now = OffsetDateTime.now();
        ChatMessage m = em.find(ChatMessage.class, messageId);
        m.providerMessageId(receipt.providerMessageId());
        DeliveryStatus status = receipt.status() == null ? DeliveryStatus.SENT : receipt.status();
        m.advance(status, null, now);
        sessions.event(sessionId, m.id(), now, "SENT", "accepted by provider as " + receipt.providerMessageId()
                + (receipt.detail() == null ? "" : " (" + receipt.detail() + ")") + ", attempt " + attempt);
    }

    /** @return false when the claim was lost meanwhile (nothing recorded) */
    public boolean retryAt(long entryId, long token, OffsetDateTime at, String error) {
        OffsetDateTime now = OffsetDateTime.now();
        if (!settlement.retryAt(entryId, token, at, error)) {
            return false;
        }
        OutboxEntry e = em.find(OutboxEntry.class, entryId);
        sessions.event(e.sessionId(), e.messageId(), now, switch (e.kind()) {
            case MESSAGE -> "SEND_RETRY";
            case CHANNEL_CLOSE -> "CONVERSATION_CLOSE_RETRY";
            default -> "DESK_RETRY";
        }, e.kind() + " attempt " + e.attempts() + " failed: " + error + "; next attempt at " + at);
        return true;
    }

    /** Gives up on an entry; empty when the claim was lost meanwhile (nothing recorded). */
    public Optional<OutboxEntry> failed(long entryId, long token, String error) {
        OffsetDateTime now = OffsetDateTime.now();
        if (!settlement.failed(entryId, token, error)) {
            return Optional.empty();
        }
        OutboxEntry e = em.find(OutboxEntry.class, entryId);
        if (e.kind() == OutboxEntry.Kind.MESSAGE) {
            ChatMessage m = em.find(ChatMessage.class, e.messageId());
            m.advance(DeliveryStatus.FAILED, error, now);
            sessions.event(e.sessionId(), m.id(), now, "SEND_FAILED", error);
        } else if (e.kind() == OutboxEntry.Kind.CHANNEL_CLOSE) {
            sessions.event(e.sessionId(), null, now, "CONVERSATION_CLOSE_FAILED", "the provider's conversation with "
                    + e.recipient() + " was not closed: " + error);
        } else {
            sessions.event(e.sessionId(), e.messageId(), now, "DESK_FAILED", e.kind() + ": " + error);
        }
        return Optional.of(e);
    }

    /** Entries any worker may take now: due PENDING ones and SENDING ones whose lease expired. */
    public List<Long> due(int limit) {
        OffsetDateTime now = OffsetDateTime.now();
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM outbox_entry WHERE (state = 'PENDING' AND next_attempt_at <= ?) "
                        + "OR (state = 'SENDING' AND lease_until < ?) ORDER BY id")
                .setParameter(1, now).setParameter(2, now).setMaxResults(limit).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** The next unfinished entry of a session to a connection, which may have waited for the one just finished. */
    public Optional<Long> nextOfSession(long sessionId, String connectionId) {
        return findNextOfSession(sessionId, connectionId);
    }

    private Optional<Long> findNextOfSession(long sessionId, String connectionId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM outbox_entry WHERE session_id = ? AND connection_id = ? "
                        + "AND state = 'PENDING' ORDER BY seq")
                .setParameter(1, sessionId).setParameter(2, connectionId).setMaxResults(1).getResultList();
        return ids.stream().map(Number::longValue).findFirst();
    }
}
