package dev.parley.runtime.handoff;

import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.dedup.Receipts;
import dev.parley.spi.InboundEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Routes a help desk's events to the handoff whose ticket they name: a human's reply goes to the customer, a
 * resolved ticket ends the handoff, a changed ticket queues a read of it. The events come from the desk's
 * webhook and from reading a ticket's activity ({@link HandoffService}); each is one transaction.
 */
@ApplicationScoped
public class DeskEvents {

    @Inject
    Receipts receipts;
    @Inject
    HandoffStore handoffs;

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
    public long apply(String connectionId, InboundEvent event) {
        receipts.claim(connectionId, event.dedupKey(), OffsetDateTime.now());
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
     * @return the queued read, or empty when no open handoff has this ticket (nothing is written)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> ticketChanged(String connectionId, InboundEvent.DeskTicketChanged t) {
        return handoffs.queuePull(connectionId, t.conversationRef());
    }
}
