package dev.parley.runtime.webhook;

import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.dedup.Receipts;
import dev.parley.runtime.handoff.HandoffStore;
import dev.parley.runtime.persistence.MessageTexts;
import dev.parley.runtime.persistence.RetryTransactionException;
import dev.parley.runtime.persistence.SqlErrors;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.Contact;
import dev.parley.runtime.session.SessionState;
import dev.parley.runtime.session.SessionStore;
import dev.parley.runtime.turn.BotTurn;
import dev.parley.runtime.turn.TurnQueued;
import dev.parley.spi.InboundEvent;
import dev.parley.runtime.session.MessageExtras;
import dev.parley.spi.Attachment;
import dev.parley.spi.MessageContent;
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
 * bot turn. Nothing here calls a provider or a bot. A help desk's events are the handoff's to route
 * ({@link dev.parley.runtime.handoff.DeskEvents}).
 */
@ApplicationScoped
public class InboundStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    Receipts receipts;
    @Inject
    Event<TurnQueued> turnQueued;
    @Inject
    HandoffStore handoffs;
    @Inject
    dev.parley.runtime.chatbot.ChatbotStore chatbots;

    /**
     * @return the session id
     * @throws DuplicateEventException when the message was already received
     * @throws RetryTransactionException when a concurrent writer won a race
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long storeMessage(String connectionId, String agentId, String address, InboundEvent.MessageReceived m) {
        OffsetDateTime now = OffsetDateTime.now();
        receipts.claim(connectionId, m.dedupKey(), now);
        try {
            Contact contact = sessions.contact(address, m.contactName(), now);
            ChatSession session = sessions.openSession(connectionId, contact, agentId, now);
            if (session.justOpened() && agentId != null) {
                chatbots.bind(session, m.to(), now); // a new session talks to the chatbot active on its sender now
            }
            MessageTexts.Kept text = MessageTexts.keep(m.text());
            ChatMessage message = ChatMessage.inbound(session, sessions.nextSeq(session.id()), text.text(), m.providerMessageId(), now);
            MessageContent content = m.contentOrText();
            if (m.content() != null) {
                message.content(content.type(), content.postback(), MessageExtras.of(content));
            }
            em.persist(message);
            session.inboundAt(now);
            em.flush();
            sessions.event(session.id(), message.id(), now, "MESSAGE_IN", text.text());
            if (text.cut()) {
                sessions.event(session.id(), message.id(), now, MessageTexts.NOTE_KIND, text.note("the customer's message"));
            }
            noteContent(session, message, content, now);
            if ((content.unsupported() != null || content.botStaysOut() != null) && session.state() == SessionState.BOT) {
                // Kept and shown with its reason; the bot is not asked about something it cannot see, nor in a
                // conversation that is not its own.
                return session.id();
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

    /** Timeline lines for what a message carried: each file copied or not (and why), and why it was not acted on. */
    private void noteContent(ChatSession session, ChatMessage message, MessageContent content, OffsetDateTime now) {
        for (Attachment a : content.attachments()) {
            String what = a.kind() + (a.fileName() == null ? "" : " " + a.fileName());
            if (a.copied()) {
                sessions.event(session.id(), message.id(), now, "MEDIA_COPIED", what + " (" + a.sizeBytes() + " bytes, "
                        + a.contentType() + ") kept in Parley's media store as " + a.mediaId());
            } else {
                sessions.event(session.id(), message.id(), now, "MEDIA_NOT_COPIED", what + ": " + a.copyFailure()
                        + (a.providerUrl() == null ? "" : "; the provider's link is kept, and it expires"));
            }
        }
        if (content.unsupported() != null) {
            sessions.event(session.id(), message.id(), now, "MESSAGE_UNSUPPORTED", content.type() + ": " + content.unsupported());
        }
        if (content.botStaysOut() != null && session.state() == SessionState.BOT) {
            sessions.event(session.id(), message.id(), now, "AI_STAYS_OUT", content.botStaysOut());
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
}
