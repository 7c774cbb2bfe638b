package dev.parley.runtime.media;

import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.secrets.SecretsKeys;
import dev.parley.spi.MediaStore;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.StoredMedia;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Parley's media store: copies of connections' media in the database ({@code stored_media}), lent to each
 * connection as a {@link MediaStore} of its own ({@link #forConnection}), uploaded by operators
 * ({@code POST /api/media}), and served at signed, expiring links ({@code GET /media/<id>}).
 *
 * <p>A copy is read into memory (at most {@code parley.media.max-bytes} + 1 bytes, outside any transaction, so a
 * slow provider holds no database connection), hashed, and inserted unless the connection already stored the key.
 * Links are signed with a key derived from {@code parley.secrets.key} ({@link MediaLinks}); without one, no link is
 * made and {@code /media} refuses every request (logged once at start).
 */
@ApplicationScoped
public class MediaService {

    private static final Logger LOG = Logger.getLogger(MediaService.class.getName());

    public static final String MAX_BYTES = "parley.media.max-bytes";
    public static final String LINK_TTL = "parley.media.link-ttl";
    static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    /** A copy is one byte array (and PostgreSQL's BYTEA holds at most 1 GB). */
    static final long LARGEST_MAX_BYTES = 1L << 30;
    static final Duration DEFAULT_LINK_TTL = Duration.ofDays(7);
    /** Longest cache lifetime announced for a served copy, whatever the link's remaining lifetime. */
    static final long MAX_CACHE_SECONDS = 86_400;
    static final int MAX_KEY = 2000;
    /** Who stored an operator's upload ({@code POST /api/media}); outside the connection id alphabet. */
    static final String ADMIN_OWNER = "@admin";

    @Inject @ConfigProperty(name = MAX_BYTES)
    String maxBytesSetting;
    @Inject @ConfigProperty(name = LINK_TTL)
    String linkTtlSetting;
    @Inject
    RuntimeSettings settings;
    @Inject
    SecretsKeys secretsKeys;
    @Inject
    MediaTable table;

    private long maxBytes;
    private Duration linkTtl;
    private URI publicUrl;
    private Clock clock = Clock.systemUTC();
    /** The link signer, or null with the reason in {@link #linkProblem}. */
    private volatile MediaLinks links;
    private volatile String linkProblem;
    private volatile boolean linksLoaded;

    @PostConstruct
    void init() {
        try {
            maxBytes = maxBytes(maxBytesSetting);
        } catch (IllegalArgumentException e) {
            maxBytes = DEFAULT_MAX_BYTES;
            LOG.severe(() -> "media setting refused (" + e.getMessage() + "); using " + MAX_BYTES + "=" + maxBytes);
        }
        try {
            linkTtl = linkTtl(linkTtlSetting);
        } catch (IllegalArgumentException e) {
            linkTtl = DEFAULT_LINK_TTL;
            LOG.severe(() -> "media setting refused (" + e.getMessage() + "); using " + LINK_TTL + "=" + linkTtl);
        }
        publicUrl = settings.publicUrl();
    }

    /** A service on explicit parts, outside CDI (unit tests). {@code keys} empty: links disabled. */
    static MediaService of(MediaTable table, long maxBytes, Duration linkTtl, URI publicUrl, List<byte[]> keys, Clock clock) {
        MediaService s = new MediaService();
        s.table = table;
        s.maxBytes = maxBytes;
        s.linkTtl = linkTtl;
        s.publicUrl = publicUrl;
        s.clock = clock;
        s.links = keys.isEmpty() ? null : new MediaLinks(keys);
        s.linkProblem = keys.isEmpty() ? "no key to encrypt secrets with: set " + SecretsKeys.KEY : null;
        s.linksLoaded = true;
        return s;
    }

    /**
     * Called at start-up once the schema is migrated: the datasource every instance shares, and one log line
     * saying whether links can be made (and why not, naming the property; never a key).
     */
    public void start(DataSource dataSource) {
        table.use(dataSource);
        loadLinks();
        if (links == null) {
            LOG.warning("media links are disabled and /media refuses every request: " + linkProblem);
        } else {
            LOG.info(() -> "media store: copies of at most " + maxBytes + " bytes (" + MAX_BYTES + "), links valid for "
                    + linkTtl + " (" + LINK_TTL + ")");
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The store lent to one connection: what it stores is recorded under its id, and it finds only its own. */
    public MediaStore forConnection(String connectionId) {
        return new MediaStore() {
            @Override
            public long maxBytes() {
                return maxBytes;
            }

            @Override
            public StoredMedia put(String key, String contentType, String fileName, InputStream content) {
                checkKey(key); // a connector's copy always has a key (store() takes null for an upload's new one)
                return store(connectionId, key, contentType, fileName, content);
            }

            @Override
            public Optional<StoredMedia> find(String key) {
                checkKey(key);
                return lookup(() -> table.byKey(connectionId, key)).map(MediaRows.Row::media);
            }

            @Override
            public URI link(String mediaId, Duration validFor) {
                return MediaService.this.link(mediaId, validFor);
            }

            @Override
            public String toString() {
                return "media store of connection " + connectionId;
            }
        };
    }

    /** An operator's upload: a copy of its own every time (its key is the new id). */
    public StoredMedia upload(String contentType, String fileName, InputStream content) {
        return store(ADMIN_OWNER, null, contentType, fileName, content);
    }

    /** A stored copy by id, with the connection that stored it (null for an operator's upload). */
    public Optional<MediaRows.Row> byId(String id) {
        return lookup(() -> table.byId(id));
    }

    static String owner(MediaRows.Row row) {
        return ADMIN_OWNER.equals(row.connectionId()) ? null : row.connectionId();
    }

    /**
     * Stores a copy once per owner and key: an existing copy is answered without reading {@code content}; else
     * the content is read (at most the cap + 1 bytes) and inserted unless another writer stored the key meanwhile,
     * whose copy is then answered. {@code key} null: a new key (the new id).
     */
    StoredMedia store(String owner, String key, String contentType, String fileName, InputStream content) {
        if (key != null) {
            checkKey(key);
            Optional<MediaRows.Row> earlier = lookup(() -> table.byKey(owner, key));
            if (earlier.isPresent()) {
                return earlier.get().media();
            }
        }
        byte[] bytes;
        try {
            bytes = readAtMost(content, maxBytes);
        } catch (IOException e) {
            throw new RetryableException("reading the media failed (" + e.getClass().getSimpleName() + ")", null, null);
        }
        if (bytes.length == 0) {
            throw new PermanentException("the media is empty: nothing stored");
        }
        String id = UUID.randomUUID().toString();
        StoredMedia copy = new StoredMedia(id, key == null ? id : key, MediaPolicy.storedType(contentType),
                MediaPolicy.fileName(fileName), bytes.length, HexFormat.of().formatHex(digest(bytes)),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        boolean stored = lookup(() -> table.insert(owner, copy, bytes));
        if (stored) {
            return copy;
        }
        return lookup(() -> table.byKey(owner, copy.key())).map(MediaRows.Row::media).orElseThrow(() ->
                new RetryableException("the media store refused the copy of '" + clip(copy.key()) + "'; try again"));
    }

    /** A signed link and when it expires. */
    public record SignedLink(URI uri, Instant expires) {
    }

    /** A signed link valid for {@code validFor} (null: {@code parley.media.link-ttl}). */
    public URI link(String mediaId, Duration validFor) {
        return signedLink(mediaId, validFor).uri();
    }

    /**
     * A signed link valid for {@code validFor} (null: {@code parley.media.link-ttl}), with its expiry.
     *
     * @throws PermanentException when links are disabled (the message names the property to set)
     */
    public SignedLink signedLink(String mediaId, Duration validFor) {
        if (mediaId == null || mediaId.isBlank()) {
            throw new IllegalArgumentException("no media id to link to");
        }
        Duration ttl = validFor == null ? linkTtl : validFor;
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("a media link must be valid for a positive duration, not " + ttl);
        }
        Instant expires = expiry(ttl);
        return new SignedLink(signer().link(publicUrl, mediaId, expires), expires);
    }

    /** When a link made now for {@code ttl} expires: whole seconds, rounded up. */
    Instant expiry(Duration ttl) {
        Instant now = clock.instant();
        Instant at = now.plus(ttl);
        return at.getNano() == 0 ? at : Instant.ofEpochSecond(at.getEpochSecond() + 1);
    }

    public Duration linkTtl() {
        return linkTtl;
    }

    /** Whether links can be made and checked; else {@link #linkProblem()} says why. */
    public boolean linksEnabled() {
        loadLinks();
        return links != null;
    }

    public String linkProblem() {
        loadLinks();
        return links == null ? "media links are disabled: " + linkProblem : null;
    }

    /** What a request's link parameters say, checked against the current and previous keys. */
    MediaLinks.Verdict verify(String id, String expires, String sig) {
        MediaLinks l = linksOrNull();
        return l == null ? MediaLinks.Verdict.BAD_SIGNATURE : l.verify(id, expires, sig, clock.instant());
    }

    /** Seconds a response may be cached: the link's remaining lifetime, at most a day. */
    long cacheSeconds(String expires) {
        long left = Long.parseLong(expires) - clock.instant().getEpochSecond();
        return Math.max(0, Math.min(left, MAX_CACHE_SECONDS));
    }

    Optional<byte[]> content(String id) {
        return lookup(() -> table.content(id));
    }

    boolean ready() {
        return table.ready();
    }

    private MediaLinks signer() {
        MediaLinks l = linksOrNull();
        if (l == null) {
            throw new PermanentException("media links are disabled: " + linkProblem);
        }
        return l;
    }

    private MediaLinks linksOrNull() {
        loadLinks();
        return links;
    }

    private void loadLinks() {
        if (linksLoaded) {
            return;
        }
        synchronized (this) {
            if (linksLoaded) {
                return;
            }
            SecretsKeys.Result r = secretsKeys.get();
            if (r.cipher() == null) {
                linkProblem = r.problem();
            } else {
                links = new MediaLinks(r.cipher().derivedKeys(MediaLinks.LABEL));
            }
            linksLoaded = true;
        }
    }

    private interface Call<T> {
        T get();
    }

    /** A database call; the store's failure becomes a {@link RetryableException} (the SPI's word for "try again"). */
    private static <T> T lookup(Call<T> call) {
        try {
            return call.get();
        } catch (MediaTable.StoreFailed e) {
            throw new RetryableException(e.getMessage());
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a media key is required (the provider's media id or URL)");
        }
        if (key.length() > MAX_KEY) {
            throw new IllegalArgumentException("a media key has at most " + MAX_KEY + " characters, not " + key.length());
        }
    }

    /**
     * All of {@code in}, when it holds at most {@code max} bytes; reads at most {@code max} + 1 bytes to know.
     *
     * @throws MediaTooLargeException when there is more
     */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        if (in == null) {
            throw new IllegalArgumentException("no media content to store");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max + 1, 64 * 1024));
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (total <= max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - total));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
            total += n;
        }
        throw new MediaTooLargeException(MAX_BYTES, max);
    }

    static long maxBytes(String value) {
        long v;
        try {
            v = Long.parseLong(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(MAX_BYTES + "=" + value + " is not a number of bytes");
        }
        if (v < 1 || v > LARGEST_MAX_BYTES) {
            throw new IllegalArgumentException(MAX_BYTES + "=" + v + " must be between 1 and " + LARGEST_MAX_BYTES);
        }
        return v;
    }

    static Duration linkTtl(String value) {
        Duration d;
        try {
            d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(LINK_TTL + "=" + value + " is not an ISO-8601 duration (e.g. P7D, PT12H)");
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(LINK_TTL + "=" + value + " must be positive");
        }
        return d;
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
