package dev.parley.spi;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Parley's copies of a connection's media (images, documents, audio, video, voice notes, stickers), reached through
 * {@link ConnectionContext#media()}. A provider's media URL usually needs credentials and expires, so a connector
 * copies inbound media here at once and hands on {@link #link signed links} that a desk agent can open. The runtime
 * keeps the copies in its database (every instance sees them), at most {@link #maxBytes()} each, and deletes them
 * after {@code parley.retention.media}. Each connection sees only the copies it stored.
 *
 * <p>A copy that fails (too large, provider unreachable, no store) is no reason to drop a message: keep the
 * provider's own link instead.
 *
 * <pre>
 * MediaStore media = context.media();
 * StoredMedia copy = media.find(mediaUrl).orElseGet(() -&gt; media.put(mediaUrl, type, name, download(mediaUrl)));
 * URI forAgents = media.link(copy.id());
 * </pre>
 */
public interface MediaStore {

    /** What a host without a media store lends: nothing is found, and {@link #put} and {@link #link} refuse. */
    MediaStore UNAVAILABLE = new MediaStore() {
        @Override
        public long maxBytes() {
            return 0;
        }

        @Override
        public StoredMedia put(String key, String contentType, String fileName, InputStream content) {
            throw new PermanentException("this Parley has no media store");
        }

        @Override
        public Optional<StoredMedia> find(String key) {
            return Optional.empty();
        }

        @Override
        public URI link(String mediaId, Duration validFor) {
            throw new PermanentException("this Parley has no media store");
        }
    };

    /**
     * The largest copy accepted, in bytes ({@code parley.media.max-bytes}): compare a provider's declared length
     * with it before downloading.
     */
    long maxBytes();

    /**
     * Stores a copy of {@code content} under {@code key}, once per connection and key: when the key is already
     * stored (a repeated webhook delivery, another instance a moment earlier) the earlier copy is answered and
     * nothing is stored twice. The store reads at most {@link #maxBytes()} + 1 bytes and does not close the
     * stream (the caller does).
     *
     * @param key         the provider's reference: its media id or its media URL (not secret: shown to admins;
     *                    at most 2000 characters)
     * @param contentType the content type the provider declared; may be null (then {@code application/octet-stream})
     * @param fileName    the file name the provider declared; may be null. Sanitized before it is stored.
     * @return the stored copy (this one, or the one stored earlier under the same key)
     * @throws MediaTooLargeException   when the content is larger than {@link #maxBytes()}: nothing is stored
     * @throws RetryableException       when the content could not be read or stored (keep the provider's link)
     * @throws PermanentException       when the content is empty, or this host has no media store
     * @throws IllegalArgumentException when the key is blank or longer than 2000 characters
     */
    StoredMedia put(String key, String contentType, String fileName, InputStream content);

    /**
     * The copy this connection stored under {@code key}, if any.
     *
     * @throws RetryableException       when the store cannot be read now
     * @throws IllegalArgumentException when the key is blank or longer than 2000 characters
     */
    Optional<StoredMedia> find(String key);

    /**
     * A signed link to a stored copy, valid for the default lifetime ({@code parley.media.link-ttl}): anyone holding
     * it may fetch the copy until then, without other credentials.
     *
     * @throws PermanentException when the host cannot sign links (the message names the setting to set)
     */
    default URI link(String mediaId) {
        return link(mediaId, null);
    }

    /**
     * A signed link valid for {@code validFor} (null: the default lifetime):
     * {@code <public-url>/media/<id>?expires=<epoch seconds>&sig=<signature>}. Links are computed, not stored: any
     * number may be made.
     *
     * @throws PermanentException       when the host cannot sign links (the message names the setting to set)
     * @throws IllegalArgumentException when {@code validFor} is zero or negative
     */
    URI link(String mediaId, Duration validFor);
}
