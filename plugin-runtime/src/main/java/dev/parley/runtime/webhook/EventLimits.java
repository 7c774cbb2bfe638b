package dev.parley.runtime.webhook;

import dev.parley.spi.InboundEvent;

/**
 * The sizes of the columns that key an inbound event (V1/V2 migrations). A provider value beyond them (a 5,000
 * digit sender, a megabyte message id) is no real conversation: the event is refused with the reason, the rest
 * of its batch is kept, and nothing reaches the database to fail there with a 500 the provider would retry
 * forever. Texts are not limited here: they are stored whole or cut with a note (MessageTexts).
 */
final class EventLimits {

    static final int DEDUP_KEY = 300;
    static final int PROVIDER_ID = 200;
    static final int ADDRESS = 200;
    static final int CONVERSATION_REF = 200;

    private EventLimits() {
    }

    /** @throws RejectedEventException naming the field and its length, never echoing the value */
    static void check(InboundEvent event) {
        fits(event.dedupKey(), DEDUP_KEY, "id");
        if (event instanceof InboundEvent.MessageReceived m) {
            fits(m.providerMessageId(), PROVIDER_ID, "message id");
            fits(m.from(), ADDRESS, "sender address");
        } else if (event instanceof InboundEvent.DeliveryReported r) {
            fits(r.providerMessageId(), PROVIDER_ID, "message id");
        } else if (event instanceof InboundEvent.LinkClicked c) {
            fits(c.providerMessageId(), PROVIDER_ID, "message id");
        } else if (event instanceof InboundEvent.AgentReplied a) {
            fits(a.conversationRef(), CONVERSATION_REF, "ticket reference");
        } else if (event instanceof InboundEvent.ConversationClosed c) {
            fits(c.conversationRef(), CONVERSATION_REF, "ticket reference");
        } else if (event instanceof InboundEvent.DeskTicketChanged t) {
            fits(t.conversationRef(), CONVERSATION_REF, "ticket reference");
        } else if (event instanceof InboundEvent.AssistRequested a) {
            fits(a.conversationRef(), CONVERSATION_REF, "ticket reference");
        }
    }

    /** The contact address after the channel normalised it. */
    static void checkAddress(String address) {
        fits(address, ADDRESS, "sender address");
    }

    private static void fits(String value, int max, String what) {
        if (value != null && value.length() > max) {
            throw new RejectedEventException("event refused: its " + what + " has " + value.length()
                    + " characters (at most " + max + ")");
        }
    }
}
