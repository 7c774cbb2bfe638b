package dev.parley.spi;

/**
 * The customer being handed off. Any field but {@code address} may be null.
 *
 * @param address the channel address Parley knows the customer by (E.164 phone, email, provider id)
 * @param phone   E.164 phone number when known
 * @param email   email address when known
 * @param name    display name when known
 */
public record HandoffContact(String address, String phone, String email, String name) {
}
