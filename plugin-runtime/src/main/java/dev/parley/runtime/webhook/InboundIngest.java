package dev.parley.runtime.webhook;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.handoff.ConversationEvents;
import dev.parley.runtime.handoff.DeskEvents;
import dev.parley.runtime.handoff.UnknownConversationException;
import dev.parley.runtime.metrics.ParleyMetrics;
import dev.parley.runtime.persistence.RetryTransactionException;
import dev.parley.spi.Channel;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.ConversationCloser;
import dev.parley.spi.InboundEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Stores a webhook's events, each in its own transaction, retrying lost races. */
@ApplicationScoped
public class InboundIngest {

    private static final int ATTEMPTS = 4;

    @Inject
    InboundStore store;
    @Inject
    DeskEvents desk;
    @Inject
    Agents agents;
    @Inject
    ConnectionLogService logs;
    @Inject
    ParleyMetrics metrics;

    @Inject
    dev.parley.runtime.assist.AssistService assist;
    @Inject
    ConversationEvents conversations;

    /**
     * Counts of what happened to a batch.
     *
     * @param unmatched desk events for a conversation Parley does not know (answered 200, as before)
     * @param rejected  events Parley can never use (a changed ticket no open handoff has); a batch with
     *                  nothing accepted and something rejected answers 422
     */
    public record Outcome(int accepted, int duplicates, java.util.List<String> unmatched, java.util.List<String> rejected) {
        /** Nothing in the batch was usable and something was refused outright. */
        public boolean refused() {
            return accepted == 0 && duplicates == 0 && unmatched.isEmpty() && !rejected.isEmpty();
        }
    }

    public Outcome ingest(ManagedConnection connection, Iterable<InboundEvent> events) {
        int accepted = 0;
        int duplicates = 0;
        java.util.List<String> unmatched = new java.util.ArrayList<>();
        java.util.List<String> rejected = new java.util.ArrayList<>();
        for (InboundEvent event : events) {
            try {
                EventLimits.check(event);
                if (store(connection, event)) {
                    accepted++;
                } else {
                    duplicates++;
                }
            } catch (UnknownConversationException e) {
                unmatched.add(e.getMessage());
            } catch (RejectedEventException e) {
                logs.rejected(connection.id(), "webhook event rejected: " + e.getMessage()); // folded per burst
                rejected.add(e.getMessage());
            }
        }
        return new Outcome(accepted, duplicates, unmatched, rejected);
    }

    /** @return false for a duplicate */
    private boolean store(ManagedConnection connection, InboundEvent event) {
        String id = connection.id();
        if (event instanceof InboundEvent.MessageReceived m) {
            String agentId = agents.registry().inboundAgent(id).map(AgentDefinition::id).orElse(null);
            String address = contactAddress(connection, m.from());
            EventLimits.checkAddress(address);
            for (int attempt = 1; ; attempt++) {
                try {
                    store.storeMessage(id, agentId, address, m);
                    metrics.inbound(id);
                    return true;
                } catch (DuplicateEventException e) {
                    metrics.duplicate(id);
                    return false;
                } catch (RetryTransactionException e) {
                    if (attempt >= ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
        if (event instanceof InboundEvent.DeliveryReported r) {
            if (store.applyReport(id, r).isEmpty()) {
                logs.append(id, "WARN", "delivery report for unknown message " + r.providerMessageId()
                        + " (" + r.status() + ") ignored");
            }
            return true;
        }
        if (event instanceof InboundEvent.LinkClicked c) {
            store.recordClick(id, c);
            logs.append(id, "INFO", "link clicked: " + c.url() + " by " + c.recipient()
                    + " (message " + c.providerMessageId() + ")");
            return true;
        }
        if (event instanceof InboundEvent.AgentReplied || event instanceof InboundEvent.ConversationClosed) {
            try {
                desk.apply(id, event);
                return true;
            } catch (DuplicateEventException e) {
                metrics.duplicate(id);
                return false;
            } catch (UnknownConversationException e) {
                if (event instanceof InboundEvent.ConversationClosed c && closedOnChannel(connection, c)) {
                    return true;
                }
                logs.append(id, "WARN", event.getClass().getSimpleName() + " ignored: " + e.getMessage());
                throw e;
            }
        }
        if (event instanceof InboundEvent.AssignmentChanged a) {
            try {
                // A conversation Parley never answered (the contact center's others) is nothing to record.
                conversations.assignmentChanged(id, a);
                return true;
            } catch (DuplicateEventException e) {
                metrics.duplicate(id);
                return false;
            }
        }
        if (event instanceof InboundEvent.DeskTicketChanged t) {
            // Only a pull is queued here: the ticket's content is read from the desk after this answer.
            desk.ticketChanged(id, t).orElseThrow(() -> new RejectedEventException("ticket " + t.conversationRef()
                    + " matches no open Parley handoff" + (t.externalId() == null ? "" : " (external_id " + t.externalId() + ")")));
            return true;
        }
        if (event instanceof InboundEvent.AssistRequested a) {
            assist.requested(id, a.conversationRef()); // asynchronous: the webhook answers first
            return true;
        }
        logs.append(id, "WARN", event.getClass().getSimpleName() + " events are not handled yet; ignored");
        return true;
    }

    /**
     * A channel whose conversations live at the provider ({@link ConversationCloser}: Infobip Conversations, where the
     * conversation is the contact) closed one that no handoff holds: its open session ends, and a conversation Parley
     * never answered (the contact center's others) is nothing to warn about. False for every other connection.
     */
    private boolean closedOnChannel(ManagedConnection connection, InboundEvent.ConversationClosed c) {
        if (connection.capability(ConversationCloser.class).isEmpty()) return false;
        try {
            conversations.closed(connection.id(), c);
        } catch (DuplicateEventException e) {
            metrics.duplicate(connection.id());
        }
        return true;
    }

    /** Contacts are keyed by the channel's canonical address; an unusable address is kept as given. */
    private static String contactAddress(ManagedConnection connection, String raw) {
        return connection.capability(Channel.class).map(ch -> {
            try {
                return ch.normalizeAddress(raw);
            } catch (ConnectorException e) {
                return raw;
            }
        }).orElse(raw);
    }
}
