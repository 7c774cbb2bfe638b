package dev.parley.runtime.handoff;

import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.dedup.Receipts;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionState;
import dev.parley.runtime.session.SessionStore;
import dev.parley.spi.InboundEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * What a channel with conversations of its own (Infobip Conversations, where the contact's address is the
 * conversation's id) says about who owns a conversation: a human taking it over or the AI getting it back, and the
 * conversation being closed at the provider without a Parley handoff. Each event is one transaction with its dedup
 * claim. A conversation Parley has no open session for (the contact center's other conversations) changes nothing.
 */
@ApplicationScoped
public class ConversationEvents {

    @Inject
    Receipts receipts;
    @Inject
    SessionStore sessions;
    @Inject
    HandoffStore handoffs;

    /**
     * @return the session it was recorded in; empty when Parley has no open session for the conversation
     * @throws DuplicateEventException when it was already received
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> assignmentChanged(String connectionId, InboundEvent.AssignmentChanged a) {
        OffsetDateTime now = OffsetDateTime.now();
        receipts.claim(connectionId, a.dedupKey(), now);
        Optional<ChatSession> open = sessions.findOpen(connectionId, a.conversationRef());
        if (open.isEmpty()) return Optional.empty();
        ChatSession session = open.get();
        String who = a.assignee() == null ? "nobody (unassigned)" : a.assignee();
        if (a.toBot()) {
            if (session.state() == SessionState.HANDED_OFF) {
                Optional<Long> resumed = handoffs.backToBot(connectionId, a.conversationRef(),
                        "conversation reassigned to the AI agent " + a.assignee() + "; the AI answers again");
                if (resumed.isPresent()) return resumed;
            }
            sessions.event(session.id(), null, now, "ASSIGNED_TO_AI", "conversation assigned to the AI agent "
                    + a.assignee() + "; the AI answers");
        } else if (session.state() == SessionState.BOT) {
            sessions.event(session.id(), null, now, "AI_STAYS_OUT", "conversation assigned to " + who
                    + "; the AI does not answer until it is assigned back to it");
        } else {
            sessions.event(session.id(), null, now, "ASSIGNMENT_CHANGED", "conversation assigned to " + who);
        }
        return Optional.of(session.id());
    }

    /**
     * The provider closed a conversation that no Parley handoff holds: its session ends CLOSED and the customer's
     * next message (in a new or reopened conversation) starts afresh.
     *
     * @return the session; empty when Parley has no open session for the conversation
     * @throws DuplicateEventException when it was already received
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> closed(String connectionId, InboundEvent.ConversationClosed c) {
        OffsetDateTime now = OffsetDateTime.now();
        receipts.claim(connectionId, c.dedupKey(), now);
        return sessions.findOpen(connectionId, c.conversationRef()).map(session -> {
            session.end(SessionState.CLOSED, now);
            sessions.event(session.id(), null, now, "CONVERSATION_CLOSED", "the conversation was closed at "
                    + connectionId + "; the AI stays out of it");
            return session.id();
        });
    }
}
