package dev.parley.spi;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A message to send.
 *
 * @param reference         Parley's id of this message, stable across retries; unique per connection
 * @param to                the recipient, already normalised by {@link Channel#normalizeAddress}
 * @param text              the text, at most {@link Channel#maxTextLength()} characters (the runtime splits longer
 *                          replies into several messages); for a template, what the transcript shows
 * @param customerLastWrote when the customer last wrote in this conversation, as Parley stored it; null when they never
 *                          did (an outreach). Channels with a customer-care window (WhatsApp's 24 hours) check it at
 *                          send time
 * @param template          a pre-approved template to send instead of free text; null for free text. A channel
 *                          without templates refuses it ({@link PermanentException})
 */
public record OutboundMessage(String reference, String to, String text, OffsetDateTime customerLastWrote, Template template) {

    public OutboundMessage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
    }

    /** Free text with no window to respect. */
    public OutboundMessage(String reference, String to, String text) {
        this(reference, to, text, null, null);
    }
}
