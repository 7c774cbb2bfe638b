package dev.parley.spi;

/**
 * A help desk capability: where humans take over a conversation. The runtime calls it from its outbox,
 * so every method may be retried after a {@link RetryableException} or a crash: implementations must be
 * idempotent per {@link Handoff#key()} (open) and per {@code messageKey} (relay).
 *
 * <p>Humans answer through the connection's {@link WebhookReceiver}, as
 * {@link InboundEvent.AgentReplied}; the desk resolving the conversation is
 * {@link InboundEvent.ConversationClosed}.
 */
public interface HandoffDesk {

    /**
     * Opens a ticket or chat for the handoff.
     *
     * @throws PermanentException when the desk can never accept it (e.g. the contact has no email); the
     *                            message is shown in the session timeline
     */
    DeskTicket open(Handoff handoff);

    /**
     * Adds a customer message written during the handoff to the ticket.
     *
     * @param messageKey Parley's id of the message, stable across retries
     */
    void relay(DeskTicket ticket, TranscriptLine line, String messageKey);

    /**
     * The customer ended the conversation (the close command) or Parley closed it; the desk records it.
     * A desk with nothing to do here may do nothing.
     */
    void close(DeskTicket ticket, String reason);

    /**
     * What happened on a ticket since a {@link InboundEvent.DeskTicketChanged}: the public agent replies
     * (never internal notes, never Parley's own comments) as {@link InboundEvent.AgentReplied} with the
     * desk's comment id as event id, and {@link InboundEvent.ConversationClosed} when it was solved. Read from
     * the desk's API, not from the webhook payload. Returning already-seen replies is fine: the runtime
     * deduplicates them.
     */
    default java.util.List<InboundEvent> activity(DeskTicket ticket) {
        return java.util.List.of();
    }
}
