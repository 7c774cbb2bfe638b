package dev.parley.runtime.webhook;

import dev.parley.runtime.RuntimeSettings;
import dev.parley.runtime.bot.BotTurn;
import dev.parley.runtime.bot.TurnQueued;
import dev.parley.runtime.persistence.MessageTexts;
import dev.parley.runtime.persistence.SqlErrors;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.Contact;
import dev.parley.runtime.session.SessionState;
import dev.parley.runtime.session.SessionStore;
import dev.parley.spi.InboundEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Stores one inbound event in ONE transaction: claim the dedup key, append to the session, queue the
 * bot turn. Nothing here calls a provider or a bot.
 */
@ApplicationScoped
public class InboundStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    RuntimeSettings settings;
    @Inject
    Event<TurnQueued> turnQueued;
    @Inject
    dev.parley.runtime.handoff.HandoffStore handoffs;
    @Inject
    dev.parley.runtime.chatbot.ChatbotStore chatbots;

    /**
     * Applies a help-desk event (an agent's reply, a resolved ticket) once, in one transaction with its
     * dedup claim.
     *
     * @return the session it applied to
     * @throws DuplicateEventException when it was already received
     * @throws UnknownConversationException when no open handoff has its ticket (nothing is kept, so a
     *                                      retry after a fix still works)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long applyDeskEvent(String connectionId, InboundEvent event) {
        claim(connectionId, event.dedupKey(), OffsetDateTime.now());
        Optional<Long> session;
        String ref;
        if (event instanceof InboundEvent.AgentReplied r) {
            ref = r.conversationRef();
            session = handoffs.agentReplied(connectionId, ref, r.text(), r.agentName());
        } else if (event instanceof InboundEvent.ConversationClosed c) {
            ref = c.conversationRef();
            session = handoffs.resolved(connectionId, ref, "resolved at " + connectionId);
        } else {
            throw new IllegalArgumentException("not a desk event: " + event);
        }
        return session.orElseThrow(() -> new UnknownConversationException(ref));
    }

    /**
     * Queues a read of the desk's ticket for the open handoff that has it (one transaction).
     *
     * @throws RejectedEventException when no open handoff has this ticket
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long queueDeskPull(String connectionId, InboundEvent.DeskTicketChanged t) {
        return handoffs.queuePull(connectionId, t.conversationRef()).orElseThrow(() -> new RejectedEventException(
                "ticket " + t.conversationRef() + " matches no open Parley handoff"
                        + (t.externalId() == null ? "" : " (external_id " + t.externalId() + ")")));
    }

    /**
     * @return the session id
     * @throws DuplicateEventException when the message was already received
     * @throws RetryTransactionException when a concurrent writer won a race
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long storeMessage(String connectionId, String agentId, String address, InboundEvent.MessageReceived m) {
        OffsetDateTime now = OffsetDateTime.now();
        claim(connectionId, m.dedupKey(), now);
        try {
            Contact contact = sessions.contact(address, m.contactName(), now);
            ChatSession session = sessions.openSession(connectionId, contact, agentId, now);
            if (session.justOpened() && agentId != null) {
                chatbots.bind(session, m.to(), now); // a new session talks to the chatbot active on its sender now
            }
            MessageTexts.Kept text = MessageTexts.keep(m.text());
            ChatMessage message = ChatMessage.inbound(session, sessions.nextSeq(session.id()), text.text(), m.providerMessageId(), now);
            em.persist(message);
            session.inboundAt(now);
            em.flush();
            sessions.event(session.id(), message.id(), now, "MESSAGE_IN", text.text());
            if (text.cut()) {
                sessions.event(session.id(), message.id(), now, MessageTexts.NOTE_KIND, text.note("the customer's message"));
            }
            if (session.agentId() != null && session.state() == SessionState.BOT) {
                em.persist(new BotTurn(session.id(), message.id(), message.seq(), now));
                turnQueued.fire(new TurnQueued(session.id()));
            } else if (session.state() == SessionState.HANDED_OFF) {
                handoffs.customerWrote(session, message, now);
            }
            return session.id();
        } catch (PersistenceException e) {
            if (SqlErrors.isConstraintViolation(e) || SqlErrors.isTransient(e)) {
                throw new RetryTransactionException(e);
            }
            throw e;
        }
    }

    /** Applies a delivery report; returns the message's session id when the message is known. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> applyReport(String connectionId, InboundEvent.DeliveryReported r) {
        OffsetDateTime now = OffsetDateTime.now();
        Optional<ChatMessage> found = sessions.outboundByProviderId(connectionId, r.providerMessageId());
        found.ifPresent(m -> {
            String before = String.valueOf(m.status());
            String detail = r.status() + " (" + r.providerStatus() + ")" + (r.error() == null ? "" : ": " + r.error());
            if (m.advance(r.status(), r.error(), now)) {
                sessions.event(m.sessionId(), m.id(), now, "STATUS", detail);
            } else {
                sessions.event(m.sessionId(), m.id(), now, "STATUS_IGNORED",
                        "late report " + detail + " ignored; message is already " + before);
            }
        });
        return found.map(ChatMessage::sessionId);
    }

    /** Records a click in the message's session timeline when the message is known. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> recordClick(String connectionId, InboundEvent.LinkClicked c) {
        Optional<ChatMessage> found = c.providerMessageId() == null ? Optional.empty()
                : sessions.outboundByProviderId(connectionId, c.providerMessageId());
        found.ifPresent(m -> sessions.event(m.sessionId(), m.id(), OffsetDateTime.now(), "LINK_CLICKED", c.url()));
        return found.map(ChatMessage::sessionId);
    }

    /**
     * Claims a dedup key for work that is not an inbound event (an assist suggestion per ticket comment), in a
     * transaction of its own, with the same window as webhook events.
     *
     * @throws DuplicateEventException when it was claimed within the window
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void claimKey(String connectionId, String key) {
        claim(connectionId, key, OffsetDateTime.now());
    }

    /** Gives a claim back, so that a later attempt may try again (the work failed). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void releaseKey(String connectionId, String key) {
        em.createNativeQuery("DELETE FROM inbound_receipt WHERE connection_id = ? AND dedup_key = ?")
                .setParameter(1, connectionId).setParameter(2, key).executeUpdate();
    }

    private static final String CLAIM = dev.parley.runtime.persistence.SqlDialect.insertUnlessPresent("inbound_receipt",
            new String[] {"id", "connection_id", "dedup_key", "received_at", "expires_at"},
            new String[] {"connection_id", "dedup_key"});

    /** Claims a dedup key; a duplicate is an expected outcome, answered without an SQL error (no trace, no abort). */
    private void claim(String connectionId, String key, OffsetDateTime now) {
        try {
            jakarta.persistence.Query q = em.createNativeQuery(CLAIM)
                    .setParameter(1, dev.parley.runtime.persistence.Ids.next()).setParameter(2, connectionId)
                    .setParameter(3, key).setParameter(4, now).setParameter(5, now.plus(settings.dedupWindow()));
            if (!dev.parley.runtime.persistence.SqlDialect.postgres()) {
                q.setParameter(6, connectionId).setParameter(7, key);
            }
            if (q.executeUpdate() == 0) {
                throw new DuplicateEventException(key);
            }
        } catch (PersistenceException e) {
            if (SqlErrors.isConstraintViolation(e)) {
                throw new DuplicateEventException(key);
            }
            if (SqlErrors.isTransient(e)) {
                throw new RetryTransactionException(e);
            }
            throw e;
        }
    }
}
