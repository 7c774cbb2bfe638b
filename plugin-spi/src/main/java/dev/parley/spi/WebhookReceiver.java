package dev.parley.spi;

import java.util.List;

/**
 * A connection that receives provider webhooks. The runtime routes
 * {@code POST /channel/<id>/webhook/<kind>} here, then stores every returned event in its own
 * transaction (dedup, session, bot turn) before answering 200.
 *
 * <p>Contract: check authenticity first, on the raw bytes, fail-closed, in constant time; then parse.
 * A batch with some malformed items returns the good events and describes the bad ones in
 * {@link WebhookBatch#skipped()}: one bad item never loses the others. Must be fast: no provider calls.
 */
public interface WebhookReceiver {

    /**
     * @throws WebhookRejectedException when the request is not authentic (401/403), the kind is unknown
     *         (404) or the body cannot be parsed at all (400); the reason is returned to the caller, so it
     *         must not contain secrets
     */
    WebhookBatch receive(WebhookRequest request);

    /**
     * The parsed events and the items that could not be used.
     *
     * @param events  events to store, in the order received
     * @param skipped one line per unusable item: which item and why
     */
    record WebhookBatch(List<InboundEvent> events, List<String> skipped) {
        public WebhookBatch {
            events = List.copyOf(events);
            skipped = List.copyOf(skipped);
        }
    }
}
