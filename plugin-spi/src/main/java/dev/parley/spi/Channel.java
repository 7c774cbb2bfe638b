package dev.parley.spi;

/**
 * A connection that delivers messages to customers. {@link #send} is called by the runtime's outbox
 * after the message is committed, possibly more than once for the same {@link OutboundMessage#reference()}
 * after a crash: pass the reference to the provider as its message id where the provider allows.
 */
public interface Channel {

    /**
     * Checks and canonicalises a recipient address (E.164 digits for phone channels). Used for contact
     * keys and to refuse a bad recipient before anything is queued.
     *
     * @throws PermanentException with a message that says what a valid address looks like
     */
    String normalizeAddress(String address);

    /**
     * Sends one message. Returns when the provider accepted it; the final state arrives later as a
     * {@link InboundEvent.DeliveryReported}.
     *
     * @throws RetryableException on 429, 5xx, timeouts and network errors (with Retry-After if given)
     * @throws PermanentException when the provider refused the message or it can never be sent
     */
    SendReceipt send(OutboundMessage message);

    /**
     * The longest text one message may hold on this channel. The runtime splits a longer reply into several messages,
     * in order, each sent, tracked and reported on its own ({@code dev.parley.spi.util.TextSplit}: at a paragraph,
     * line break in the part's second half, else the last word boundary, never inside a surrogate pair). Unlimited by default
     * (SMS: the provider concatenates).
     */
    default int maxTextLength() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether {@link #send} takes an {@link OutboundMessage#template()}; the admin API refuses a template send to a
     * channel that does not, before anything is queued.
     */
    default boolean sendsTemplates() {
        return false;
    }
}
