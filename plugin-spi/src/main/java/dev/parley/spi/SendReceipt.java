package dev.parley.spi;

/**
 * The provider's acceptance of a message.
 *
 * @param providerMessageId the id delivery reports will carry
 * @param status            the status the provider reported on acceptance (usually {@link DeliveryStatus#SENT})
 * @param detail            the provider's words about it, for the timeline; may be null
 */
public record SendReceipt(String providerMessageId, DeliveryStatus status, String detail) {
}
