package dev.parley.spi;

/**
 * A capability of a {@link Channel} whose conversations live on at the provider after Parley is done with them (Infobip
 * Conversations): when the bot resolves a session, the runtime asks the channel to close the provider's conversation
 * too. Called from the runtime's outbox after the bot's last reply of the session, so it may be retried after a
 * {@link RetryableException} or a crash: implementations are idempotent.
 */
public interface ConversationCloser {

    /**
     * Closes the conversation with this customer, unless someone else owns it now (a human agent took over): then it is
     * left open and the returned line says why.
     *
     * @param address the customer's address as {@link Channel#normalizeAddress} made it (the session's contact)
     * @param reason  why the bot resolved it, one line
     * @return one line for the session timeline: what was done ("closed conversation 8f3c", "left open: agent ana owns
     *         it")
     * @throws PermanentException when the provider refused for good
     */
    String closeResolved(String address, String reason);
}
