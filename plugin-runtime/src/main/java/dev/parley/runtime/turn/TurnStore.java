package dev.parley.runtime.turn;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.handoff.HandoffStore;
import dev.parley.runtime.outbox.OutboxWriter;
import dev.parley.runtime.session.Direction;
import dev.parley.spi.TranscriptLine;
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
    @Inject
    HandoffStore handoffs;
    @Inject
    Agents agents;
    @Inject
    dev.parley.runtime.outbox.OutboxStore outboxStore;

    /** How many earlier messages a bot sees (LLM context, summaries). */
    private static final int HISTORY = 20;

    /** What the bot needs for one turn. */
    public record Work(long turnId, long sessionId, long messageId, String agentId, String connectionId,
                       String contactAddress, String contactName, Long chatbotRevisionId, String text,
                       boolean firstTurn, String context, List<TranscriptLine> history, String postback) {
    }

    /**
     * What a turn produced.
     *
     * @param texts    messages for the customer, in order
     * @param context  the bot's state for the next turn
     * @param handoff  non-null to hand the session to humans after the texts
     * @param note     a timeline line to record with the turn, or null
     * @param resolved non-null when the bot resolved the conversation: why. The session ends RESOLVED after the texts
     *                 are queued; ignored (with a RESOLVE_IGNORED line) when {@code handoff} is set: the handoff wins
     * @param reasoning the {@value #REASONING} line saying why the bot answered so, or null (no bot answered)
     */
    public record Outcome(List<String> texts, String context, HandoffStore.Request handoff, Note note, String resolved,
                          Note reasoning) {

        /** An outcome without a reasoning line. */
        public Outcome(List<String> texts, String context, HandoffStore.Request handoff, Note note, String resolved) {
            this(texts, context, handoff, note, resolved, null);
        }

        /** This outcome, with why the bot gave it. */
        public Outcome reasoned(dev.parley.runtime.bot.BotReasoning why) {
            return why == null ? this : new Outcome(texts, context, handoff, note, resolved,
                    new Note(REASONING, dev.parley.runtime.persistence.Columns.fitNoted(why.line(),
                            dev.parley.runtime.persistence.Columns.DETAIL)));
        }

        /** An outcome that does not resolve the conversation. */
        public Outcome(List<String> texts, String context, HandoffStore.Request handoff, Note note) {
            this(texts, context, handoff, note, null);
        }
    }

    /** The timeline kind of a bot turn's reasoning line ({@link dev.parley.runtime.bot.BotReasoning#line()}). */
    public static final String REASONING = "BOT_REASONING";

    /** A line for the session timeline. */
    public record Note(String kind, String detail) {
    }

    /** A lease taken by {@link #leaseAll}: its token, and the session's first pending turn. */
    public record Leased(long token, Optional<Work> next) {
    }

    /**
     * Takes the turn leases of many sessions and reads each one's first pending turn, in one transaction and in
     * ascending id order (every transaction that locks several session rows takes them in that order, so two
     * workers never wait on each other in a circle). Only the sessions whose lease this worker took are in the
     * answer. A session with nothing pending has its lease given back in the same transaction, while it still holds
     * the session row's lock that the lease update took: a turn stored concurrently (its transaction locks the row
     * for its sequence numbers) either committed before, and is seen here, or commits after, and its after-commit
     * submission finds the lease free.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public java.util.SortedMap<Long, Leased> leaseAll(java.util.Collection<Long> sessionIds, String owner, Duration ttl) {
        java.util.SortedMap<Long, Leased> leased = new java.util.TreeMap<>();
        for (long sessionId : new java.util.TreeSet<>(sessionIds)) {
            java.util.OptionalLong token = takeLease(sessionId, owner, ttl);
            if (token.isEmpty()) {
                continue;
            }
            Optional<Work> next = findNext(sessionId);
            if (next.isEmpty()) {
                giveBack(sessionId, token.getAsLong());
            }
            leased.put(sessionId, new Leased(token.getAsLong(), next));
            em.clear(); // see completeAll
        }
        return leased;
    }

    /**
     * Extends many leases in one transaction (ascending session ids).
     *
     * @param tokens session id to the token of the lease this worker holds
     * @return the sessions whose lease was lost
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public java.util.Set<Long> renewAll(java.util.Map<Long, Long> tokens, Duration ttl) {
        OffsetDateTime until = OffsetDateTime.now().plus(ttl);
        java.util.Set<Long> lost = new java.util.HashSet<>();
        new java.util.TreeMap<>(tokens).forEach((sessionId, token) -> {
            if (!fence(sessionId, token, until)) {
                lost.add(sessionId);
            }
        });
        return lost;
    }

    /** Gives back many leases in one transaction (ascending session ids). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void releaseAll(java.util.Map<Long, Long> tokens) {
        new java.util.TreeMap<>(tokens).forEach(this::giveBack);
    }

    /**
     * Takes the session's turn lease when nobody holds it (or the holder's lease ran out) and answers its fencing
     * token: every later write under this lease names the token, and a worker whose lease was taken over finds
     * its writes refused. Empty when another worker holds the lease.
     */
    private java.util.OptionalLong takeLease(long sessionId, String owner, Duration ttl) {
        OffsetDateTime now = OffsetDateTime.now();
        int taken = em.createNativeQuery("UPDATE chat_session SET turn_owner = ?, turn_lease_until = ?, "
                        + "turn_token = turn_token + 1 WHERE id = ? AND (turn_owner IS NULL OR turn_lease_until < ?)")
                .setParameter(1, owner).setParameter(2, now.plus(ttl)).setParameter(3, sessionId).setParameter(4, now)
                .executeUpdate();
        if (taken != 1) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(((Number) em.createNativeQuery("SELECT turn_token FROM chat_session WHERE id = ?")
                .setParameter(1, sessionId).getSingleResult()).longValue());
    }

    private void giveBack(long sessionId, long token) {
        em.createNativeQuery("UPDATE chat_session SET turn_owner = NULL, turn_lease_until = NULL "
                        + "WHERE id = ? AND turn_token = ?")
                .setParameter(1, sessionId).setParameter(2, token).executeUpdate();
    }

    /**
     * The fence: extends the lease only if {@code token} still holds it, and takes the session row's lock for the
     * rest of the caller's transaction, so no new holder can come in between the check and the commit.
     */
    private boolean fence(long sessionId, long token, OffsetDateTime until) {
        return em.createNativeQuery("UPDATE chat_session SET turn_lease_until = ? WHERE id = ? AND turn_token = ? "
                        + "AND turn_owner IS NOT NULL")
                .setParameter(1, until).setParameter(2, sessionId).setParameter(3, token).executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Work> next(long sessionId) {
        return findNext(sessionId);
    }

    private Optional<Work> findNext(long sessionId) {
        List<BotTurn> pending = em.createQuery("select t from BotTurn t where t.sessionId = :s "
                        + "and t.state = dev.parley.runtime.turn.BotTurn.State.PENDING order by t.seq", BotTurn.class)
                .setParameter("s", sessionId).setMaxResults(1).getResultList();
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        BotTurn turn = pending.get(0);
        ChatSession session = em.find(ChatSession.class, sessionId);
        ChatMessage message = em.find(ChatMessage.class, turn.messageId());
        List<TranscriptLine> history = em.createQuery("select m from ChatMessage m where m.sessionId = :s and m.seq < :seq "
                        + "order by m.seq desc", ChatMessage.class)
                .setParameter("s", sessionId).setParameter("seq", message.seq()).setMaxResults(HISTORY)
                .setHint("eclipselink.read-only", "true").getResultList() // values only: kept out of the unit of work
                .stream().map(m -> new TranscriptLine(m.createdAt(), m.direction() == Direction.IN ? TranscriptLine.CUSTOMER
                        : TranscriptLine.BOT, m.body()))
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                    java.util.Collections.reverse(l);
                    return l;
                }));
        // Nothing earlier in the session means no earlier turn, without asking (a new customer's first message).
        boolean firstTurn = history.isEmpty() || em.createQuery("select count(t) from BotTurn t where t.sessionId = :s "
                        + "and t.seq < :seq and t.state <> dev.parley.runtime.turn.BotTurn.State.PENDING", Long.class)
                .setParameter("s", sessionId).setParameter("seq", turn.seq()).getSingleResult() == 0;
        return Optional.of(new Work(turn.id(), sessionId, message.id(), session.agentId(), session.connectionId(),
                session.contact().address(), session.contact().displayName(), session.chatbotRevisionId(),
                message.body(), firstTurn, session.botContext(), history, message.postback()));
    }

    /**
     * Marks the turn done and queues the bot's replies, in one transaction.
     *
     * @return the outbox entries to send once this has committed
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> complete(long turnId, long token, Duration ttl, Outcome outcome) {
        return doComplete(turnId, token, ttl, outcome).orElse(List.of());
    }

    /**
     * What {@link #completeNext} did.
     *
     * @param entries  outbox entries to send now, in order
     * @param claim    the first of them, already claimed for this worker in the same transaction (or null)
     * @param held     false when the lease was lost (nothing was recorded)
     * @param next     the session's next pending turn
     * @param released true when the lease was given back in the same transaction (nothing pending)
     */
    public record Completed(List<Long> entries, dev.parley.runtime.outbox.OutboxStore.Claim claim, boolean held,
                            Optional<Work> next, boolean released) {
    }

    /**
     * {@link #complete}, the claim of the first reply and {@link #next} in one transaction; with nothing pending the
     * lease is given back in it too (see {@link #leaseAll} for why that is safe). The claim is the outbox's own
     * conditional update ({@link dev.parley.runtime.outbox.OutboxStore#claimIn}), so it decides exactly what a claim
     * after commit would.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Completed completeNext(long sessionId, long turnId, long token, Duration ttl, Outcome outcome, Duration sendLease) {
        Optional<List<Long>> entries = doComplete(turnId, token, ttl, outcome);
        if (entries.isEmpty()) {
            return new Completed(List.of(), null, false, Optional.empty(), false);
        }
        dev.parley.runtime.outbox.OutboxStore.Claim claim = null;
        if (!entries.get().isEmpty()) {
            claim = outboxStore.claimIn(entries.get().get(0), sendLease).orElse(null);
        }
        Optional<Work> next = findNext(sessionId);
        if (next.isEmpty()) {
            giveBack(sessionId, token);
        }
        return new Completed(entries.get(), claim, true, next, next.isEmpty());
    }

    /** A turn the bot has decided, to record under the session's lease. */
    public record Decided(Work work, long token, Outcome outcome) {
    }

    /**
     * {@link #completeNext} for many sessions' turns in one transaction, in ascending session order (see
     * {@link #leaseAll}); the answer is in the order of {@code decided}. One commit records a whole batch of replies,
     * which is what lets the reply path keep up with ingest: on H2 every commit takes one database-wide lock.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Completed> completeAll(List<Decided> decided, Duration ttl, Duration sendLease) {
        Completed[] done = new Completed[decided.size()];
        java.util.stream.IntStream.range(0, decided.size()).boxed()
                .sorted(java.util.Comparator.comparingLong(i -> decided.get(i).work().sessionId()))
                .forEach(i -> {
                    Decided d = decided.get(i);
                    done[i] = completeNext(d.work().sessionId(), d.work().turnId(), d.token(), ttl, d.outcome(), sendLease);
                    // Written; keep the unit of work to one session, or every later flush rescans all earlier ones.
                    em.flush();
                    em.clear();
                });
        return List.of(done);
    }

    /** @return empty when the lease was lost: nothing is recorded */
    private Optional<List<Long>> doComplete(long turnId, long token, Duration ttl, Outcome outcome) {
        BotTurn turn = em.find(BotTurn.class, turnId);
        OffsetDateTime now = OffsetDateTime.now();
        if (turn == null || turn.state() != BotTurn.State.PENDING || !fence(turn.sessionId(), token, now.plus(ttl))) {
            return Optional.empty(); // our lease ran out and another worker has (or had) this session: its result counts
        }
        turn.attempt();
        turn.done();
        ChatSession session = em.find(ChatSession.class, turn.sessionId());
        if (outcome.reasoning() != null) {
            sessions.event(session.id(), turn.messageId(), now, outcome.reasoning().kind(), outcome.reasoning().detail());
        }
        if (outcome.note() != null) {
            sessions.event(session.id(), turn.messageId(), now, outcome.note().kind(), outcome.note().detail());
        }
        if (session.state() == dev.parley.runtime.session.SessionState.HANDED_OFF) {
            // Stored as a bot turn just before a handoff committed: the desk gets it, the bot stays silent.
            sessions.event(session.id(), turn.messageId(), now, "BOT_SILENCED", "session was handed off meanwhile");
            handoffs.customerWrote(session, em.find(ChatMessage.class, turn.messageId()), now);
            return Optional.of(List.of());
        }
        if (session.state() != dev.parley.runtime.session.SessionState.BOT) {
            // Ended while the bot was thinking (retired revision, resolved): stay silent.
            sessions.event(session.id(), turn.messageId(), now, "BOT_SILENCED", "session is " + session.state());
            return Optional.of(List.of());
        }
        String context = outcome.context();
        if (context != null && context.length() > dev.parley.runtime.persistence.Columns.LONG_TEXT) {
            // State cannot be cut: the bot starts afresh rather than the turn failing (and retrying) forever.
            sessions.event(session.id(), turn.messageId(), now, "BOT_CONTEXT_DROPPED", "the bot's state had "
                    + context.length() + " characters, more than " + dev.parley.runtime.persistence.Columns.LONG_TEXT
                    + " fit; it is not kept");
            context = null;
        }
        session.botContext(context, now);
        List<Long> entries = new java.util.ArrayList<>(outbox.queue(session, outcome.texts(), "bot", now, false).entryIds());
        if (outcome.resolved() != null && outcome.handoff() != null) {
            sessions.event(session.id(), turn.messageId(), now, "RESOLVE_IGNORED", "the bot also asked for a human, "
                    + "and the handoff wins; it had resolved because: " + outcome.resolved());
        }
        if (outcome.handoff() != null) {
            AgentDefinition agent = agents.registry().agent(session.agentId()).orElse(null);
            if (agent != null) {
                entries.addAll(handoffs.start(session, agent, outcome.handoff(), now));
            }
        } else if (outcome.resolved() != null) {
            if (customerWroteSince(turn)) {
                // Ending the session now would silence what the customer wrote after the message the bot resolved on.
                sessions.event(session.id(), turn.messageId(), now, "RESOLVE_IGNORED", "the customer wrote again "
                        + "meanwhile: the bot answers that first; it had resolved because: " + outcome.resolved());
            } else {
                entries.addAll(resolve(session, turn.messageId(), outcome.resolved(), now));
            }
        }
        return Optional.of(entries);
    }

    /** Whether the session has turns after {@code turn} waiting for the bot (messages the customer sent since). */
    private boolean customerWroteSince(BotTurn turn) {
        return em.createQuery("select count(t) from BotTurn t where t.sessionId = :s and t.seq > :seq "
                        + "and t.state = dev.parley.runtime.turn.BotTurn.State.PENDING", Long.class)
                .setParameter("s", turn.sessionId()).setParameter("seq", turn.seq()).getSingleResult() > 0;
    }

    /**
     * The bot resolved the conversation: after its replies (queued already) the session ends RESOLVED, so the
     * customer's next message opens a new one, and a channel that keeps conversations of its own at the provider is
     * asked to close it, in the session's outbox FIFO after those replies.
     *
     * @return the CHANNEL_CLOSE entry, when the channel takes one
     */
    private List<Long> resolve(ChatSession session, long messageId, String reason, OffsetDateTime now) {
        session.end(dev.parley.runtime.session.SessionState.RESOLVED, now);
        sessions.event(session.id(), messageId, now, "BOT_RESOLVED", reason);
        return outbox.queueChannelClose(session, reason, now).stream().toList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(long turnId, long token, Duration ttl, String error) {
        BotTurn turn = em.find(BotTurn.class, turnId);
        if (turn == null || turn.state() != BotTurn.State.PENDING
                || !fence(turn.sessionId(), token, OffsetDateTime.now().plus(ttl))) {
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
