package dev.parley.infobip.sandbox;

import static dev.parley.infobip.sandbox.StandIn.bounded;

import dev.parley.spi.SandboxApi.SandboxResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The files a stand-in serves the way Infobip serves a customer's media (WhatsApp's and Conversations' alike): a media
 * id readable with the API key for {@link #MEDIA_TTL}, each download answered 302 to a {@code /cdn/<token>} link that
 * is its own credential for {@link #CDN_TTL}. Bounded ({@link #MAX_MEDIA} files, {@link #MAX_CDN_LINKS} links, expired
 * ones dropped first). Thread-safe.
 */
final class MediaShelf {

    /** How long a media id can be downloaded. */
    static final Duration MEDIA_TTL = Duration.ofMinutes(10);
    /** How long a CDN link of a download works. */
    static final Duration CDN_TTL = Duration.ofMinutes(1);
    static final int MAX_MEDIA = 100;
    static final int MAX_CDN_LINKS = 1000;

    /**
     * A stored file.
     *
     * @param owner whose file it is (a WhatsApp sender: its media path names it); any string the stand-in chooses
     */
    record File(String owner, String contentType, String fileName, byte[] bytes, Instant expiresAt) {
    }

    private record CdnLink(String mediaId, Instant expiresAt) {
    }

    private final Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, File> media = bounded(MAX_MEDIA);
    private final Map<String, CdnLink> links = bounded(MAX_CDN_LINKS);

    /** @param clock the stand-in's time, read at every call (a connection's clock may be replaced, as tests do) */
    MediaShelf(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** Stores a file; returns its new media id. */
    String store(String owner, String contentType, String fileName, byte[] bytes) {
        Instant now = clock.get();
        String id = UUID.randomUUID().toString();
        synchronized (media) {
            media.values().removeIf(m -> !now.isBefore(m.expiresAt()));
            media.put(id, new File(owner, contentType, fileName, bytes, now.plus(MEDIA_TTL)));
        }
        return id;
    }

    /** The file with this id while it is live, else null (an expired one is dropped). */
    File live(String mediaId) {
        Instant now = clock.get();
        synchronized (media) {
            File m = media.get(mediaId);
            if (m != null && !now.isBefore(m.expiresAt())) {
                media.remove(mediaId);
                return null;
            }
            return m;
        }
    }

    /** A download of a live file: {@code HEAD} answers its headers, {@code GET} a 302 to a new CDN link below {@code base}. */
    SandboxResponse download(String method, String mediaId, File file, String base) {
        if (method.equals("HEAD")) return SandboxResponse.binary(200, new byte[0], headers(file));
        Instant now = clock.get();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        synchronized (links) {
            links.values().removeIf(l -> !now.isBefore(l.expiresAt()));
            links.put(token, new CdnLink(mediaId, now.plus(CDN_TTL)));
        }
        return new SandboxResponse(302, "", Map.of("Location", base + "/cdn/" + token));
    }

    /**
     * {@code GET}/{@code HEAD /cdn/<token>}: the file, named, cacheable privately until the link expires; null when the
     * link or its file is unknown or expired (the stand-in answers its 404).
     */
    SandboxResponse cdn(String method, String token) {
        Instant now = clock.get();
        CdnLink link;
        synchronized (links) {
            link = links.get(token);
            if (link != null && !now.isBefore(link.expiresAt())) {
                links.remove(token);
                link = null;
            }
        }
        File found = link == null ? null : live(link.mediaId());
        if (found == null) return null;
        Map<String, String> h = new LinkedHashMap<>(headers(found));
        // Inbound media carry no file name at Infobip; the CDN's answer may (the connection keeps it).
        h.put("Content-Disposition", "inline; filename=\"" + found.fileName() + "\"");
        h.put("Cache-Control", "private, max-age=" + Duration.between(now, link.expiresAt()).toSeconds());
        return SandboxResponse.binary(200, method.equals("HEAD") ? new byte[0] : found.bytes(), h);
    }

    private static Map<String, String> headers(File m) {
        return Map.of("Content-Type", m.contentType(), "Content-Length", String.valueOf(m.bytes().length));
    }

    private byte[] randomBytes() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return b;
    }
}
