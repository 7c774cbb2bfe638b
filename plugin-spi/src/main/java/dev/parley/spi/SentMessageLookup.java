package dev.parley.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A capability of a {@link Channel} whose provider can tell whether it already has a message Parley sent
 * with a given {@link OutboundMessage#reference()} (e.g. Infobip's message logs, searched by the message id
 * Parley chose). Optional: the runtime asks for it with {@link Connection#capability(Class)}.
 *
 * <p>When the runtime uses it: an outbox entry whose claim expired while it was being sent (the instance
 * died after calling {@link Channel#send} but before recording the result) may or may not have reached the
 * provider. Before sending such an entry again, the runtime asks here:
 * <ul>
 *   <li>{@link Answer#FOUND}: the provider has the message. The runtime records the
 *       {@link Result#receipt()} as if {@code send} had returned it (status moved forward only) and does
 *       <b>not</b> send again. The customer gets the message exactly once.</li>
 *   <li>{@link Answer#NOT_FOUND}: the provider positively has no record of it, in a window where it would
 *       have one. The runtime sends. The customer gets it exactly once (this send is the first to reach the
 *       provider).</li>
 *   <li>{@link Answer#UNKNOWN}: the connection cannot tell (the call failed, the key lacks the scope, the
 *       provider's records may lag behind a send just made, or they no longer cover the time of the
 *       attempt). The runtime asks again later (not before {@link Result#retryAfter()} when given); after
 *       its own limit it sends anyway and notes in the session timeline that the message may arrive twice.
 *       That is the trade-off: a message is never lost for want of an answer, so without one the guarantee
 *       is <b>at least once</b>, not exactly once.</li>
 * </ul>
 * A connection without this capability gives at-least-once delivery after a crash; connections whose
 * provider takes an idempotency key should send one instead (or as well).
 *
 * <p>Contract for implementations: read-only (never sends, never consumes reports), must not throw
 * {@link ConnectorException} (every failure is {@link Answer#UNKNOWN} with a reason), and answers
 * {@link Answer#NOT_FOUND} only when an absence is conclusive; when in doubt, {@link Answer#UNKNOWN}.
 * Reasons are shown to operators (timeline, log): say what to fix, never include a secret.
 */
public interface SentMessageLookup {

    /**
     * Asks the provider whether it has {@code message}.
     *
     * @param message     the message as it was (or may have been) sent: its {@link OutboundMessage#reference()}
     *                    is what the connection passed to the provider as the message id, {@link OutboundMessage#to()}
     *                    its recipient
     * @param lastAttempt when the last send attempt that may have reached the provider started (the runtime's
     *                    claim time of that attempt), or null when not known. Providers whose records lag use
     *                    it to tell "not there yet" ({@link Answer#UNKNOWN}) from "never arrived"
     *                    ({@link Answer#NOT_FOUND}); an unknown time makes an empty answer UNKNOWN.
     * @return the answer; never null
     */
    Result lookup(OutboundMessage message, Instant lastAttempt);

    /** What the provider could tell. */
    enum Answer {
        /** The provider has the message: do not send it again; record the receipt. */
        FOUND,
        /** The provider has no record where it would have one: safe to send. */
        NOT_FOUND,
        /** Cannot tell: ask again later; sending anyway risks a duplicate. */
        UNKNOWN
    }

    /**
     * A lookup's answer. Build with {@link #found}, {@link #notFound} or {@link #unknown}.
     *
     * @param answer     FOUND, NOT_FOUND or UNKNOWN
     * @param receipt    FOUND only: the provider's message id and, as far as it knows, its status (at least
     *                   {@link DeliveryStatus#SENT}; a later status such as DELIVERED or REJECTED when the
     *                   provider already has one); null otherwise
     * @param reason     what was checked or why it cannot tell, one line for the timeline and log; no secrets
     * @param retryAfter UNKNOWN only, optional: ask again no sooner than this (a provider's Retry-After, or the
     *                   rest of a lag window); null when the connection has no better idea than the runtime
     */
    record Result(Answer answer, SendReceipt receipt, String reason, Duration retryAfter) {

        public Result {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(reason, "reason");
            if ((answer == Answer.FOUND) != (receipt != null)) {
                throw new IllegalArgumentException("a receipt comes with FOUND and only with FOUND");
            }
            if (retryAfter != null && (answer != Answer.UNKNOWN || retryAfter.isNegative())) {
                throw new IllegalArgumentException("retryAfter is a non-negative wait, for UNKNOWN only");
            }
        }

        /** The provider has the message: {@code receipt} is what {@link Channel#send} would have returned. */
        public static Result found(SendReceipt receipt, String reason) {
            return new Result(Answer.FOUND, Objects.requireNonNull(receipt, "receipt"), reason, null);
        }

        /** The provider conclusively has no record of the message. */
        public static Result notFound(String reason) {
            return new Result(Answer.NOT_FOUND, null, reason, null);
        }

        /** Cannot tell; {@code retryAfter} may be null. */
        public static Result unknown(String reason, Duration retryAfter) {
            return new Result(Answer.UNKNOWN, null, reason, retryAfter);
        }
    }
}
