package dev.parley.spi;

import java.time.OffsetDateTime;

/**
 * What a provider told Parley, parsed by a {@link WebhookReceiver}. Each event carries the provider's
 * own id where it has one: the runtime claims it once per connection (dedup), so a provider's retries
 * and duplicate deliveries have no effect.
 */
public sealed interface InboundEvent {

    /** The provider's id of this event for dedup, or {@code null} when the event is idempotent anyway. */
    String dedupKey();

    /**
     * A customer wrote.
     *
     * @param providerMessageId the provider's message id (dedup key)
     * @param from              the customer's address as the provider sent it
     * @param to                our number or sender it was sent to
     * @param text              the text; empty string for none
     * @param receivedAt        when the provider received it; may be null
     * @param contactName       the customer's name when the provider knows it; may be null
     * @param content           what else the message carried (postback, media, location, ...); null for plain text
     */
    record MessageReceived(String providerMessageId, String from, String to, String text,
                           OffsetDateTime receivedAt, String contactName, MessageContent content) implements InboundEvent {

        /** A plain text message. */
        public MessageReceived(String providerMessageId, String from, String to, String text, OffsetDateTime receivedAt,
                               String contactName) {
            this(providerMessageId, from, to, text, receivedAt, contactName, null);
        }

        /** {@link #content}, or plain text when none was given. */
        public MessageContent contentOrText() {
            return content == null ? MessageContent.text() : content;
        }

        @Override
        public String dedupKey() {
            return "msg:" + providerMessageId;
        }
    }

    /**
     * The provider's report on a message Parley sent. Idempotent: status only moves forward.
     *
     * @param providerMessageId the id from {@link SendReceipt} or the reference Parley passed
     * @param status            the mapped status
     * @param providerStatus    the provider's own status name, for the timeline
     * @param error             the provider's error text when it failed; null otherwise
     * @param at                when the provider reached this status; may be null
     */
    record DeliveryReported(String providerMessageId, DeliveryStatus status, String providerStatus,
                            String error, OffsetDateTime at) implements InboundEvent {
        @Override
        public String dedupKey() {
            return null;
        }
    }

    /** A customer clicked a tracked link in a message Parley sent. */
    record LinkClicked(String providerMessageId, String recipient, String url, OffsetDateTime at)
            implements InboundEvent {
        @Override
        public String dedupKey() {
            return null;
        }
    }

    /** A human agent answered in a help desk; {@code conversationRef} is the desk's ticket or chat id. */
    record AgentReplied(String providerEventId, String conversationRef, String text, String agentName)
            implements InboundEvent {
        @Override
        public String dedupKey() {
            return "reply:" + providerEventId;
        }
    }

    /** A conversation was (re)assigned; {@code toBot} tells whether the AI now owns it. */
    record AssignmentChanged(String providerEventId, String conversationRef, String assignee, boolean toBot)
            implements InboundEvent {
        @Override
        public String dedupKey() {
            return "assign:" + providerEventId;
        }
    }

    /** The provider closed or resolved a conversation. */
    record ConversationClosed(String providerEventId, String conversationRef) implements InboundEvent {
        @Override
        public String dedupKey() {
            return "close:" + providerEventId;
        }
    }

    /** A knowledge article changed at the source. */
    record ArticleChanged(String articleId, String locale, boolean removed) implements InboundEvent {
        @Override
        public String dedupKey() {
            return null;
        }
    }
    /**
     * A desk says a ticket changed (a comment, a status). The webhook payload is not trusted for content:
     * after the webhook answered, the runtime asks the desk ({@link HandoffDesk#activity}) what really
     * happened. Idempotent: the replies it yields are deduplicated by their own ids.
     *
     * @param conversationRef the desk's ticket id
     * @param externalId      what the desk holds as the ticket's external id (Parley's session id), may be null
     */
    record DeskTicketChanged(String providerEventId, String conversationRef, String externalId)
            implements InboundEvent {
        @Override
        public String dedupKey() {
            return null;
        }
    }

    /** A ticket Parley did not open got a customer comment: assist mode may suggest an answer. */
    record AssistRequested(String providerEventId, String conversationRef) implements InboundEvent {
        @Override
        public String dedupKey() {
            return null;
        }
    }
}
