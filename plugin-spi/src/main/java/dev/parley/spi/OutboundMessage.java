package dev.parley.spi;

import java.util.Objects;

/**
 * A message to send.
 *
 * @param reference Parley's id of this message, stable across retries; unique per connection
 * @param to        the recipient, already normalised by {@link Channel#normalizeAddress}
 * @param text      the text; the connector applies its channel's length rules
 */
public record OutboundMessage(String reference, String to, String text) {
    public OutboundMessage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
    }
}
