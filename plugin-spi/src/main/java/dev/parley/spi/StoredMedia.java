package dev.parley.spi;

import java.time.Instant;

/**
 * A copy of a media file that Parley keeps in its {@link MediaStore}.
 *
 * @param id          Parley's id of the copy: random and unguessable (a UUID); what {@link MediaStore#link} signs
 * @param key         the provider's reference the copy was stored under (its media id or URL), unique per connection
 * @param contentType the content type the provider declared, as given (Parley never serves a type a browser would
 *                    run as is: see the README's media section)
 * @param fileName    the file name the provider declared, sanitized (no path, no control characters, at most
 *                    200 characters); may be null
 * @param sizeBytes   the size of the copy
 * @param sha256      SHA-256 of the content, lower-case hex
 * @param createdAt   when the copy was stored
 */
public record StoredMedia(String id, String key, String contentType, String fileName, long sizeBytes, String sha256,
                          Instant createdAt) {
}
