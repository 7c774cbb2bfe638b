package dev.parley.runtime.bot;

import dev.parley.runtime.outbox.OutboxWriter;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionStore;
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
 * Database side of bot turns. A session's turns run one at a time across all instances: a worker first
 * takes the session's turn lease with a conditional update (the database decides who wins), and a
 * crashed worker's lease simply expires.
 */
@ApplicationScoped
public class TurnStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    OutboxWriter outbox;

    /** What the bot needs for one turn. */
    public record Work(long turnId, long sessionId, String agentId, String text, boolean firstTurn) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean lease(long sessionId, String owner, Duration ttl) {
        OffsetDateTime now = OffsetDateTime.now();
        return em.createNativeQuery("UPDATE chat_session SET turn_owner = ?, turn_lease_until = ? WHERE id = ? "
                        + "AND (turn_owner IS NULL OR turn_lease_until < ? OR turn_owner = ?)")
                .setParameter(1, owner).setParameter(2, now.plus(ttl)).setParameter(3, sessionId)
                .setParameter(4, now).setParameter(5, owner)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(long sessionId, String owner) {
        em.createNativeQuery("UPDATE chat_session SET turn_owner = NULL, turn_lease_until = NULL "
                        + "WHERE id = ? AND turn_owner = ?")
                .setParameter(1, sessionId).setParameter(2, owner).executeUpdate();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Work> next(long sessionId) {
        List<BotTurn> pending = em.createQuery("select t from BotTurn t where t.sessionId = :s "
                        + "and t.state = dev.parley.runtime.bot.BotTurn.State.PENDING order by t.id", BotTurn.class)
                .setParameter("s", sessionId).setMaxResults(1).getResultList();
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        BotTurn turn = pending.get(0);
        ChatSession session = em.find(ChatSession.class, sessionId);
        ChatMessage message = em.find(ChatMessage.class, turn.messageId());
        long earlier = em.createQuery("select count(t) from BotTurn t where t.sessionId = :s and t.id < :id "
                        + "and t.state <> dev.parley.runtime.bot.BotTurn.State.PENDING", Long.class)
                .setParameter("s", sessionId).setParameter("id", turn.id()).getSingleResult();
        return Optional.of(new Work(turn.id(), sessionId, session.agentId(), message.body(), earlier == 0));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean hasPending(long sessionId) {
        return em.createQuery("select count(t) from BotTurn t where t.sessionId = :s "
                        + "and t.state = dev.parley.runtime.bot.BotTurn.State.PENDING", Long.class)
                .setParameter("s", sessionId).getSingleResult() > 0;
    }

    /**
     * Marks the turn done and queues the bot's replies, in one transaction.
     *
     * @return the outbox entries to send once this has committed
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> complete(long turnId, List<String> replies) {
        BotTurn turn = em.find(BotTurn.class, turnId);
        if (turn == null || turn.state() != BotTurn.State.PENDING) {
            return List.of(); // another worker finished it after our lease expired
        }
        turn.attempt();
        turn.done();
        ChatSession session = em.find(ChatSession.class, turn.sessionId());
        return outbox.queue(session, replies, "bot", OffsetDateTime.now(), false).entryIds();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(long turnId, String error) {
        BotTurn turn = em.find(BotTurn.class, turnId);
        if (turn == null || turn.state() != BotTurn.State.PENDING) {
            return;
        }
        turn.attempt();
        turn.failed(error);
        sessions.event(turn.sessionId(), turn.messageId(), OffsetDateTime.now(), "BOT_ERROR", error);
    }

    /** Sessions whose pending turns nobody is working on (a crash, or a lost after-commit event). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> stalledSessions(Duration olderThan, int limit) {
        OffsetDateTime now = OffsetDateTime.now();
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT DISTINCT t.session_id FROM bot_turn t "
                        + "JOIN chat_session s ON s.id = t.session_id WHERE t.state = 'PENDING' AND t.created_at < ? "
                        + "AND (s.turn_lease_until IS NULL OR s.turn_lease_until < ?)")
                .setParameter(1, now.minus(olderThan)).setParameter(2, now).setMaxResults(limit).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }
}
