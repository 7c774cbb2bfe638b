package dev.parley.runtime.handoff;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.outbox.OutboxEntry;
import dev.parley.runtime.outbox.OutboxQueued;
import dev.parley.runtime.outbox.OutboxWriter;
import dev.parley.runtime.persistence.RetryTransactionException;
import dev.parley.runtime.persistence.SqlErrors;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionState;
import dev.parley.runtime.session.SessionStore;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Sentiment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Database side of handoffs: starting one (at most one open per session, decided by a unique key), the
 * desk calls it queues in the outbox, and what happens when humans answer or resolve.
 */
@ApplicationScoped
public class HandoffStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    dev.parley.runtime.outbox.OutboxSettlement settlement;
    @Inject
    OutboxWriter outbox;
    @Inject
    Agents agents;
    @Inject
    Event<OutboxQueued> queued;
    @Inject
    dev.parley.runtime.metrics.ParleyMetrics metrics;

    /** A handoff as the runtime decided it: the bot's signal with the gaps filled. */
    public record Request(String reason, String summary, Sentiment sentiment, String language, Map<String, String> fields) {
        public Request {
            sentiment = sentiment == null ? Sentiment.NEUTRAL : sentiment; // a bot that says nothing of it
        }
    }

    /**
     * Starts a handoff in the caller's transaction. Returns the outbox entries to send after commit (the desk
     * call, or the customer's confirmation for the console desk); empty when the session is already handed
     * off.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Long> start(ChatSession session, AgentDefinition agent, Request request, OffsetDateTime now) {
        if (session.state() != SessionState.BOT) {
            sessions.event(session.id(), null, now, "HANDOFF_IGNORED", "already " + session.state() + ": " + request.reason());
            return List.of();
        }
        if (!agent.canHandOff()) {
            sessions.event(session.id(), null, now, "HANDOFF_UNAVAILABLE", request.reason()
                    + "; agent '" + agent.id() + "' has no desk (set parley.agent." + agent.id() + ".handoff)");
            return outbox.queue(session, List.of(agent.texts().handoffFailed()), "parley", now, false).entryIds();
        }
        String fields = Json.fields(request.fields());
        if (fields != null && fields.length() > dev.parley.runtime.persistence.Columns.LONG_TEXT) {
            // JSON cannot be cut: the ticket opens without the bot's fields rather than never.
            sessions.event(session.id(), null, now, "HANDOFF_FIELDS_DROPPED", "the bot's fields had " + fields.length()
                    + " characters as JSON, more than " + dev.parley.runtime.persistence.Columns.LONG_TEXT + " fit");
            fields = null;
        }
        HandoffRecord handoff = new HandoffRecord(session.id(), agent.id(), agent.handoff(), request.reason(),
                request.summary(), request.sentiment(), request.language(), fields, now);
        try {
            em.persist(handoff);
            em.flush(); // the unique open key refuses a second open handoff right here
        } catch (PersistenceException e) {
            if (SqlErrors.isConstraintViolation(e)) {
                throw new RetryTransactionException(e);
            }
            throw e;
        }
        session.handedOff(now);
        sessions.event(session.id(), null, now, "HANDOFF_REQUESTED", request.reason() + " (to " + agent.handoff()
                + ", sentiment " + request.sentiment().tag() + ", language " + request.language() + ")");
        if (AgentDefinition.CONSOLE.equals(agent.handoff())) {
            handoff.opened(new DeskTicket("console-" + session.id(), null, null), now);
            sessions.event(session.id(), null, now, "HANDOFF_OPENED", "waiting in Parley's console: "
                    + "answer with POST /api/sessions/" + session.id() + "/reply");
            metrics.handoffOpened(agent.handoff(), session.connectionId());
            return outbox.queue(session, List.of(HandoffTexts.confirmation(agent, now)), "parley", now, false).entryIds();
        }
        OutboxEntry open = OutboxEntry.desk(OutboxEntry.Kind.DESK_OPEN, session.id(), sessions.nextSeq(session.id()),
                handoff.id(), null, agent.handoff(), now);
        em.persist(open);
        return List.of(open.id());
    }

    /**
     * What one desk call needs, read in one transaction: the whole transcript to open a ticket, only the
     * relayed message otherwise.
     *
     * @param messageId the relayed message, or null for the full transcript
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<HandoffSnapshot> snapshot(long handoffId, Long messageId) {
        HandoffRecord h = em.find(HandoffRecord.class, handoffId);
        if (h == null) {
            return Optional.empty();
        }
        ChatSession session = em.find(ChatSession.class, h.sessionId());
        List<ChatMessage> messages = messageId != null
                ? java.util.Optional.ofNullable(em.find(ChatMessage.class, messageId)).stream().toList()
                : em.createQuery("select m from ChatMessage m where m.sessionId = :s order by m.seq", ChatMessage.class)
                        .setParameter("s", h.sessionId()).getResultList();
        return Optional.of(new HandoffSnapshot(h.id(), h.key(), h.state(), h.ticket(), h.agentId(), h.reason(), h.summary(),
                h.sentiment(), h.language(), Json.fields(h.fields()), session, messages));
    }

    /** The desk opened the ticket: record it, mark the outbox call done, tell the customer. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> opened(long handoffId, long entryId, long token, DeskTicket ticket) {
        OffsetDateTime now = OffsetDateTime.now();
        HandoffRecord h = em.find(HandoffRecord.class, handoffId);
        if (!settlement.done(entryId, token)) {
            return List.of(); // our claim ran out and another worker took the call over: its result counts
        }
        if (h.state() != HandoffRecord.State.OPENING) {
            return List.of();
        }
        h.opened(ticket, now);
        sessions.event(h.sessionId(), null, now, "HANDOFF_OPENED", "ticket " + ticket.ref() + " at " + h.deskConnectionId()
                + (ticket.url() == null ? "" : " (" + ticket.url() + ")") + (ticket.note() == null ? "" : ": " + ticket.note()));
        ChatSession session = em.find(ChatSession.class, h.sessionId());
        metrics.handoffOpened(h.deskConnectionId(), session.connectionId());
        return agents.registry().agent(h.agentId())
                .map(agent -> outbox.queue(session, List.of(HandoffTexts.confirmation(agent, now)), "parley", now, false).entryIds())
                .orElse(List.of());
    }

    /** No desk will take it: the session goes back to the bot and the customer is told, honestly. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> openFailed(long handoffId, String error) {
        OffsetDateTime now = OffsetDateTime.now();
        HandoffRecord h = em.find(HandoffRecord.class, handoffId);
        if (h == null || h.state() != HandoffRecord.State.OPENING) {
            return List.of();
        }
        h.failed(error, now);
        ChatSession session = em.find(ChatSession.class, h.sessionId());
        if (session.state() == SessionState.HANDED_OFF) {
            session.backToBot(now);
        }
        sessions.event(h.sessionId(), null, now, "HANDOFF_FAILED", h.deskConnectionId() + " did not open a ticket: " + error);
        metrics.handoffFailed(h.deskConnectionId(), session.connectionId());
        return agents.registry().agent(h.agentId())
                .map(agent -> outbox.queue(session, List.of(agent.texts().handoffFailed()), "parley", now, false).entryIds())
                .orElse(List.of());
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void deskCallDone(long entryId, long token, long sessionId, Long messageId, String kind, String detail) {
        OffsetDateTime now = OffsetDateTime.now();
        if (settlement.done(entryId, token)) {
            sessions.event(sessionId, messageId, now, kind, detail);
        }
    }

    /**
     * A customer wrote during a handoff: relay it to the desk, or end the handoff on the close command.
     * Runs in the inbound transaction; queued desk calls are announced for after commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void customerWrote(ChatSession session, ChatMessage message, OffsetDateTime now) {
        Optional<HandoffRecord> open = openOf(session.id());
        AgentDefinition agent = agents.registry().agent(session.agentId()).orElse(null);
        boolean close = agent != null && normalized(message.body()).equals(normalized(agent.closeCommand()));
        List<Long> entries = new ArrayList<>();
        if (close) {
            open.ifPresent(h -> {
                if (!AgentDefinition.CONSOLE.equals(h.deskConnectionId())) {
                    OutboxEntry e = OutboxEntry.desk(OutboxEntry.Kind.DESK_CLOSE, session.id(), sessions.nextSeq(session.id()), h.id(), message.id(),
                            h.deskConnectionId(), now);
                    em.persist(e);
                    entries.add(e.id());
                }
                h.closed(now);
            });
            sessions.event(session.id(), message.id(), now, "HANDOFF_CLOSED", "the customer sent the close command");
            entries.addAll(outbox.queue(session, List.of(agent.texts().closed()), "parley", now, false).entryIds());
            session.end(SessionState.CLOSED, now);
        } else if (open.isPresent() && !AgentDefinition.CONSOLE.equals(open.get().deskConnectionId())) {
            OutboxEntry e = OutboxEntry.desk(OutboxEntry.Kind.DESK_RELAY, session.id(), sessions.nextSeq(session.id()), open.get().id(), message.id(),
                    open.get().deskConnectionId(), now);
            em.persist(e);
            entries.add(e.id());
        }
        if (!entries.isEmpty()) {
            queued.fire(new OutboxQueued(entries));
        }
    }

    /**
     * A human answered on the desk: the answer goes to the customer on the original channel.
     *
     * @return the session, or empty when no open handoff has this ticket
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<Long> agentReplied(String deskConnectionId, String ticketRef, String text, String agentName) {
        return byTicket(deskConnectionId, ticketRef).map(h -> {
            OffsetDateTime now = OffsetDateTime.now();
            ChatSession session = em.find(ChatSession.class, h.sessionId());
            outbox.queue(session, List.of(text), "agent" + (agentName == null ? "" : " " + agentName), now, true);
            return session.id();
        });
    }

    /** The desk resolved the ticket: the handoff ends and the customer's next message reaches the bot. */
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<Long> resolved(String deskConnectionId, String ticketRef, String why) {
        return byTicket(deskConnectionId, ticketRef).map(h -> {
            OffsetDateTime now = OffsetDateTime.now();
            h.closed(now);
            ChatSession session = em.find(ChatSession.class, h.sessionId());
            session.end(SessionState.RESOLVED, now);
            sessions.event(session.id(), null, now, "HANDOFF_RESOLVED", why);
            return session.id();
        });
    }

    /**
     * The desk gave the conversation back to the AI (Infobip Conversations: reassigned to the AI agent): the handoff
     * ends and the bot answers the customer's next message in the same session.
     *
     * @return the session, or empty when no open handoff has this ticket
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> backToBot(String deskConnectionId, String ticketRef, String why) {
        return byTicket(deskConnectionId, ticketRef).map(h -> {
            OffsetDateTime now = OffsetDateTime.now();
            h.closed(now);
            ChatSession session = em.find(ChatSession.class, h.sessionId());
            if (session.state() == SessionState.HANDED_OFF) {
                session.backToBot(now);
            }
            sessions.event(session.id(), null, now, "AI_RESUMED", why);
            return session.id();
        });
    }

    /** {@link #agentReplied} in a transaction of its own (the console's reply). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> agentRepliedOnce(String deskConnectionId, String ticketRef, String text, String agentName) {
        return agentReplied(deskConnectionId, ticketRef, text, agentName);
    }

    /** {@link #resolved} in a transaction of its own (the console resolving). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> resolvedOnce(String deskConnectionId, String ticketRef, String why) {
        return resolved(deskConnectionId, ticketRef, why);
    }

    /**
     * A desk said a ticket changed: queues a {@link OutboxEntry.Kind#DESK_PULL} for the open handoff that has
     * this ticket, in the caller's transaction, announced for after commit (the desk is read only after the
     * webhook answered). Same FIFO as every desk call of the session.
     *
     * @return the entry, or empty when no open handoff has this ticket
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> queuePull(String deskConnectionId, String ticketRef) {
        return byTicket(deskConnectionId, ticketRef).map(h -> {
            // A pull still waiting will read the ticket as it is when it runs: one is enough (a busy ticket's
            // webhooks, Parley's own relays among them, must not multiply the API calls).
            List<Long> waiting = em.createQuery("select e.id from OutboxEntry e where e.handoffId = :h and e.kind = :k "
                            + "and e.state = :s", Long.class).setParameter("h", h.id())
                    .setParameter("k", OutboxEntry.Kind.DESK_PULL).setParameter("s", OutboxEntry.State.PENDING)
                    .setMaxResults(1).getResultList();
            if (!waiting.isEmpty()) {
                return waiting.get(0);
            }
            OutboxEntry e = OutboxEntry.desk(OutboxEntry.Kind.DESK_PULL, h.sessionId(), sessions.nextSeq(h.sessionId()), h.id(), null,
                    deskConnectionId, OffsetDateTime.now());
            em.persist(e);
            queued.fire(new OutboxQueued(List.of(e.id())));
            return e.id();
        });
    }

    /** A handoff as it is now (its ticket), read in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<HandoffRecord> find(long handoffId) {
        return Optional.ofNullable(em.find(HandoffRecord.class, handoffId));
    }

    /** The console desk's ticket ref of a session's open handoff. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<HandoffRecord> openHandoff(long sessionId) {
        return openOf(sessionId);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<HandoffRecord> ofSession(long sessionId) {
        return em.createQuery("select h from HandoffRecord h where h.sessionId = :s order by h.id", HandoffRecord.class)
                .setParameter("s", sessionId).getResultList();
    }

    private Optional<HandoffRecord> openOf(long sessionId) {
        return em.createQuery("select h from HandoffRecord h where h.openKey = :s", HandoffRecord.class)
                .setParameter("s", sessionId).getResultList().stream().findFirst();
    }

    private Optional<HandoffRecord> byTicket(String deskConnectionId, String ticketRef) {
        return em.createQuery("select h from HandoffRecord h where h.deskConnectionId = :d and h.ticketRef = :t "
                        + "and h.state = dev.parley.runtime.handoff.HandoffRecord.State.OPEN", HandoffRecord.class)
                .setParameter("d", deskConnectionId).setParameter("t", ticketRef).getResultList().stream().findFirst();
    }

    private static String normalized(String s) {
        return s == null ? "" : s.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
    }
}
