package dev.parley.runtime.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.persistence.SchemaMigration;
import dev.parley.runtime.secrets.SecretsKeys;
import dev.parley.spi.MediaStore;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.StoredMedia;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The media store on a real H2 2.2 migrated by the real migrations (V1..V7), through the runtime's own statements
 * ({@link MediaRows}) in autocommit: what is stored, once per connection and key, within the size cap.
 */
class MediaStoreTest {

    static final AtomicLong DB = new AtomicLong();
    static final long CAP = 1000;
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final List<byte[]> KEYS = SecretsKeys.load(MediaLinksTest.KEY, null, null).cipher().derivedKeys(MediaLinks.LABEL);

    JdbcDataSource h2;
    MediaService service;
    MediaStore wa;

    @BeforeEach
    void database() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:media" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        SchemaMigration.migrate(h2);
        MediaTable table = new MediaTable();
        table.use(h2);
        service = MediaService.of(table, CAP, Duration.ofDays(7), URI.create("https://parley.example.com"), KEYS,
                Clock.fixed(NOW, ZoneOffset.UTC));
        wa = service.forConnection("wa");
    }

    @Test
    void aCopyIsStoredWithItsFactsAndFoundByItsKey() throws Exception {
        byte[] jpeg = bytes(700);
        StoredMedia m = wa.put("https://api.infobip.com/whatsapp/1/senders/x/media/abc", "image/jpeg", "../holiday.jpg",
                new ByteArrayInputStream(jpeg));
        assertTrue(m.id().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), m.id());
        assertEquals("image/jpeg", m.contentType());
        assertEquals("holiday.jpg", m.fileName());
        assertEquals(700, m.sizeBytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg)), m.sha256());
        assertEquals(NOW, m.createdAt());
        assertEquals(m, wa.find("https://api.infobip.com/whatsapp/1/senders/x/media/abc").orElseThrow());
        assertArrayEquals(jpeg, service.content(m.id()).orElseThrow());
        assertEquals("wa", service.byId(m.id()).orElseThrow().connectionId());
        assertTrue(wa.find("another key").isEmpty());
    }

    @Test
    void theSameKeyStoredTwiceIsOneRowAndTheSecondContentIsNotEvenRead() {
        StoredMedia first = wa.put("media-1", "image/png", "a.png", new ByteArrayInputStream(bytes(10)));
        InputStream mustNotBeRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a repeated delivery must not download again");
            }
        };
        StoredMedia again = wa.put("media-1", "image/jpeg", "b.jpg", mustNotBeRead);
        assertEquals(first, again);
        assertEquals(1, count("SELECT COUNT(*) FROM stored_media"));
    }

    @Test
    void aKeyIsPerConnection() {
        StoredMedia mine = wa.put("media-1", "image/png", null, new ByteArrayInputStream(bytes(10)));
        StoredMedia theirs = service.forConnection("sms").put("media-1", "image/png", null, new ByteArrayInputStream(bytes(20)));
        assertNotEquals(mine.id(), theirs.id());
        assertEquals(10, wa.find("media-1").orElseThrow().sizeBytes());
        assertEquals(20, service.forConnection("sms").find("media-1").orElseThrow().sizeBytes());
        assertTrue(service.forConnection("other").find("media-1").isEmpty());
    }

    @Test
    void theRaceOfTwoDeliveriesIsDecidedByTheDatabase() throws Exception {
        // Eight instances (threads here) see "not stored yet" together, download, and insert: one row, one answer.
        int writers = 8;
        CountDownLatch allRead = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<StoredMedia>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = bytes(100 + i);
                puts.add(pool.submit(() -> wa.put("race", "image/png", null, new InputStream() {
                    final InputStream in = new ByteArrayInputStream(content);
                    boolean waited;

                    @Override
                    public int read() throws IOException {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (!waited) {
                            waited = true;
                            allRead.countDown();
                            try {
                                allRead.await(); // every writer has passed its "already stored?" check
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        return in.read(b, off, len);
                    }
                })));
            }
            Set<String> ids = new java.util.HashSet<>();
            for (Future<StoredMedia> f : puts) {
                ids.add(f.get().id());
            }
            assertEquals(1, ids.size(), "every writer is answered the one stored copy");
            assertEquals(1, count("SELECT COUNT(*) FROM stored_media WHERE media_key = 'race'"));
            assertEquals(ids.iterator().next(), wa.find("race").orElseThrow().id());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCapIsStoredAndOneByteMoreIsRefusedWithNothingStored() {
        assertEquals(CAP, wa.maxBytes());
        assertEquals(CAP, wa.put("exactly", "video/mp4", null, new ByteArrayInputStream(bytes((int) CAP))).sizeBytes());
        CountingStream over = new CountingStream(bytes(5 * (int) CAP));
        MediaTooLargeException e = assertThrows(MediaTooLargeException.class, () -> wa.put("over", "video/mp4", null, over));
        assertTrue(e.getMessage().contains("parley.media.max-bytes") && e.getMessage().contains(Long.toString(CAP)), e.getMessage());
        assertEquals(CAP, e.limitBytes());
        assertTrue(e instanceof PermanentException, "not retried");
        assertEquals(CAP + 1, over.count, "read at most the cap + 1 bytes");
        assertThrows(MediaTooLargeException.class, () -> wa.put("over", "video/mp4", null, new ByteArrayInputStream(bytes((int) CAP + 1))));
        assertTrue(wa.find("over").isEmpty());
        assertEquals(1, count("SELECT COUNT(*) FROM stored_media"));
    }

    @Test
    void emptyContentBadKeysAndUnreadableStreamsAreRefusedWithNothingStored() {
        assertThrows(PermanentException.class, () -> wa.put("empty", "image/png", null, new ByteArrayInputStream(new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> wa.put(" ", "image/png", null, new ByteArrayInputStream(bytes(1))));
        assertThrows(IllegalArgumentException.class, () -> wa.put(null, "image/png", null, new ByteArrayInputStream(bytes(1))));
        assertThrows(IllegalArgumentException.class, () -> wa.put("k".repeat(2001), "image/png", null, new ByteArrayInputStream(bytes(1))));
        assertEquals(100, wa.put("k".repeat(2000), "image/png", null, new ByteArrayInputStream(bytes(100))).sizeBytes());
        RetryableException e = assertThrows(RetryableException.class, () -> wa.put("broken", "image/png", null, new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset by https://user:pw@provider.example");
            }
        }));
        assertFalse(e.getMessage().contains("pw@"), "the stream's own message is not repeated: " + e.getMessage());
        assertEquals(1, count("SELECT COUNT(*) FROM stored_media"));
    }

    @Test
    void aMissingTypeIsAnOctetStreamAndAnUploadIsAlwaysANewCopy() {
        StoredMedia a = service.upload(null, null, new ByteArrayInputStream(bytes(10)));
        StoredMedia b = service.upload(null, null, new ByteArrayInputStream(bytes(10)));
        assertEquals("application/octet-stream", a.contentType());
        assertNull(a.fileName());
        assertNotEquals(a.id(), b.id());
        assertEquals(a.id(), a.key());
        assertNull(MediaService.owner(service.byId(a.id()).orElseThrow()), "an upload belongs to no connection");
    }

    @Test
    void aLinkPointsAtTheCopyAndVerifies() {
        StoredMedia m = wa.put("k", "image/png", null, new ByteArrayInputStream(bytes(10)));
        URI link = wa.link(m.id());
        assertTrue(link.toString().startsWith("https://parley.example.com/media/" + m.id() + "?expires="), link.toString());
        String expires = link.getQuery().replaceAll(".*expires=([0-9]+).*", "$1");
        String sig = link.getQuery().replaceAll(".*sig=([^&]+).*", "$1");
        assertEquals(NOW.plus(Duration.ofDays(7)).getEpochSecond(), Long.parseLong(expires));
        assertEquals(MediaLinks.Verdict.VALID, service.verify(m.id(), expires, sig));
        assertEquals(86_400, service.cacheSeconds(expires), "cached at most a day");
        URI shortLink = wa.link(m.id(), Duration.ofSeconds(90));
        assertEquals(90, service.cacheSeconds(shortLink.getQuery().replaceAll(".*expires=([0-9]+).*", "$1")));
        assertThrows(IllegalArgumentException.class, () -> wa.link(m.id(), Duration.ZERO));
    }

    @Test
    void withoutASecretsKeyNoLinkIsMadeAndTheReasonNamesTheProperty() {
        MediaTable table = new MediaTable();
        table.use(h2);
        MediaService keyless = MediaService.of(table, CAP, Duration.ofDays(7), URI.create("https://p.example"), List.of(),
                Clock.systemUTC());
        StoredMedia m = keyless.forConnection("wa").put("k", "image/png", null, new ByteArrayInputStream(bytes(10)));
        PermanentException e = assertThrows(PermanentException.class, () -> keyless.forConnection("wa").link(m.id()));
        assertTrue(e.getMessage().contains("parley.secrets.key"), e.getMessage());
        assertFalse(keyless.linksEnabled());
        assertEquals(MediaLinks.Verdict.BAD_SIGNATURE, keyless.verify(m.id(), "9999999999", "anything"), "fails closed");
    }

    @Test
    void onH2TheContentIsABlob() {
        assertEquals("BINARY LARGE OBJECT", query("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_NAME = 'STORED_MEDIA' AND COLUMN_NAME = 'CONTENT'"));
    }

    @Test
    void aTableNotReadyYetIsRetryable() {
        MediaService starting = MediaService.of(new MediaTable(), CAP, Duration.ofDays(7), URI.create("https://p.example"), KEYS,
                Clock.systemUTC());
        assertFalse(starting.ready());
        assertThrows(RetryableException.class, () -> starting.forConnection("wa").find("k"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + n);
        }
        return b;
    }

    static final class CountingStream extends InputStream {
        final InputStream in;
        long count;

        CountingStream(byte[] content) {
            in = new ByteArrayInputStream(content);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    long count(String sql) {
        return Long.parseLong(query(sql));
    }

    String query(String sql) {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
