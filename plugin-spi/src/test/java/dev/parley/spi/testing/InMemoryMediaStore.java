package dev.parley.spi.testing;

import dev.parley.spi.MediaStore;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.StoredMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MediaStore} for connector unit tests (plugin-spi's test-jar), with the runtime's contract: one copy per
 * key (a repeated put answers the first copy without reading its stream), at most {@link #maxBytes()} + 1 bytes read
 * and {@link MediaTooLargeException} beyond, empty content refused, links
 * {@code https://parley.test/media/<id>?expires=<epoch seconds>&sig=test}. {@link #failNextPut} makes the next put
 * fail as an unreachable store would, to test that a connector keeps the provider's link.
 */
public final class InMemoryMediaStore implements MediaStore {

    private final long maxBytes;
    private final Map<String, StoredMedia> byKey = new ConcurrentHashMap<>();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private volatile boolean failNext;

    public InMemoryMediaStore(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The runtime's default cap, 16 MB. */
    public InMemoryMediaStore() {
        this(16L * 1024 * 1024);
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized StoredMedia put(String key, String contentType, String fileName, InputStream content) {
        if (key == null || key.isBlank() || key.length() > 2000) {
            throw new IllegalArgumentException("a media key is required (at most 2000 characters)");
        }
        if (failNext) {
            failNext = false;
            throw new RetryableException("the media store is unavailable (InMemoryMediaStore.failNextPut)");
        }
        StoredMedia earlier = byKey.get(key);
        if (earlier != null) {
            return earlier;
        }
        byte[] bytes = read(content);
        if (bytes.length == 0) {
            throw new PermanentException("the media is empty: nothing stored");
        }
        StoredMedia m = new StoredMedia(UUID.randomUUID().toString(), key,
                contentType == null ? "application/octet-stream" : contentType, fileName, bytes.length, sha256(bytes),
                Instant.now());
        byKey.put(key, m);
        contents.put(m.id(), bytes);
        return m;
    }

    @Override
    public Optional<StoredMedia> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    @Override
    public URI link(String mediaId, Duration validFor) {
        long expires = Instant.now().plus(validFor == null ? Duration.ofDays(7) : validFor).getEpochSecond();
        return URI.create("https://parley.test/media/" + mediaId + "?expires=" + expires + "&sig=test");
    }

    /** What was stored under an id. */
    public Optional<byte[]> content(String mediaId) {
        return Optional.ofNullable(contents.get(mediaId)).map(byte[]::clone);
    }

    /** Every copy, by key. */
    public Map<String, StoredMedia> stored() {
        return Map.copyOf(byKey);
    }

    /** The next {@link #put} throws a {@link RetryableException}. */
    public void failNextPut() {
        failNext = true;
    }

    private byte[] read(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        try {
            while (total <= maxBytes) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes + 1 - total));
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new RetryableException("reading the media failed (" + e.getClass().getSimpleName() + ")", null, null);
        }
        throw new MediaTooLargeException("parley.media.max-bytes", maxBytes);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "in-memory media store (" + byKey.size() + " copies, cap " + maxBytes + ")";
    }
}
