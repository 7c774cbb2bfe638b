package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The media store through the real server: an operator's upload ({@code POST /api/media}) fetched anonymously at
 * its signed link ({@code GET}/{@code HEAD /media/<id>?expires=&sig=}) byte for byte, with the serving headers;
 * tampered, missing and expired signatures and unknown ids; HTML and SVG served as octet-stream attachments; the
 * size cap ({@code parley.media.max-bytes=100000} in the shared config) and the body limit; and a connector (the
 * drop-in echo connector, {@code mediaecho}) storing one key twice through the SPI: one copy. Every response is
 * checked for secrets and Java names. Signatures are recomputed here from the README's description alone.
 */
@ExtendWith(SharedParleyExtension.class)
class MediaIT {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    static final Pattern LINK = Pattern.compile("(https?://[^/]+)/media/([0-9a-f-]{36})\\?expires=([0-9]+)&sig=([A-Za-z0-9_-]{43})");

    record Fetched(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> String.join(", ", e.getValue())).orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(text()))) {
                return r.readObject();
            }
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " " + (t.length() > 500 ? t.substring(0, 500) + "..." : t);
        }
    }

    // ---- upload, then fetch anonymously ------------------------------------------------------------------

    @Test
    void anUploadIsServedAnonymouslyAtItsSignedLinkByteForByte() throws Exception {
        byte[] png = random(50_000);
        Fetched up = upload(png, "image/png", "../holiday photo é.png", true);
        assertEquals(201, up.status(), up.toString());
        JsonObject m = up.json();
        String id = m.getString("id");
        assertEquals("/api/media/" + id, URI.create(up.header("Location")).getPath());
        assertEquals(50_000, m.getJsonNumber("sizeBytes").longValue());
        assertEquals(sha256(png), m.getString("sha256"));
        assertEquals("image/png", m.getString("contentType"));
        assertEquals("holiday photo é.png", m.getString("fileName"), "the path is dropped");
        assertFalse(m.containsKey("connection"), "an upload belongs to no connection: " + m);
        Matcher link = LINK.matcher(m.getString("link"));
        assertTrue(link.matches(), m.getString("link"));
        assertEquals(SharedParley.server().baseUrl(), link.group(1), "built from parley.public-url");
        assertEquals(id, link.group(2));
        long expires = Long.parseLong(link.group(3));
        long weekFromNow = Instant.now().plus(Duration.ofDays(7)).getEpochSecond();
        assertTrue(Math.abs(expires - weekFromNow) < 120, "parley.media.link-ttl P7D: " + expires);
        assertEquals(Instant.ofEpochSecond(expires).toString(), Instant.parse(m.getString("linkExpiresAt")).toString());
        assertEquals(sign(id, link.group(3)), link.group(4), "the signature is the documented HMAC");

        Fetched got = fetch("GET", m.getString("link"));
        assertEquals(200, got.status(), got.toString());
        assertArrayEquals(png, got.body());
        assertEquals(sha256(png), sha256(got.body()));
        assertEquals("image/png", got.header("Content-Type"));
        assertEquals("50000", got.header("Content-Length"));
        assertEquals("nosniff", got.header("X-Content-Type-Options"));
        assertTrue(got.header("Content-Security-Policy").contains("sandbox"), got.header("Content-Security-Policy"));
        assertTrue(got.header("Content-Security-Policy").contains("default-src 'none'"), got.header("Content-Security-Policy"));
        assertEquals("inline; filename=\"holiday photo _.png\"; filename*=UTF-8''holiday%20photo%20%C3%A9.png",
                got.header("Content-Disposition"));
        Matcher cache = Pattern.compile("private, max-age=([0-9]+)").matcher(got.header("Cache-Control"));
        assertTrue(cache.matches(), got.header("Cache-Control"));
        long maxAge = Long.parseLong(cache.group(1));
        assertTrue(maxAge > 0 && maxAge <= 86_400 && maxAge <= expires - Instant.now().getEpochSecond() + 1, "max-age " + maxAge);

        // A player's byte range (Safari plays no video without it), and one past the end.
        Fetched part = send(HttpRequest.newBuilder(URI.create(m.getString("link"))).header("Range", "bytes=100-199").GET().build());
        assertEquals(206, part.status(), part.toString());
        assertEquals("bytes 100-199/50000", part.header("Content-Range"));
        assertEquals("100", part.header("Content-Length"));
        assertArrayEquals(java.util.Arrays.copyOfRange(png, 100, 200), part.body());
        Fetched past = send(HttpRequest.newBuilder(URI.create(m.getString("link"))).header("Range", "bytes=50000-").GET().build());
        assertEquals(416, past.status(), past.toString());
        assertEquals("bytes */50000", past.header("Content-Range"));
        assertEquals("bytes", got.header("Accept-Ranges"));

        Fetched head = fetch("HEAD", m.getString("link"));
        assertEquals(200, head.status(), head.toString());
        assertEquals(0, head.body().length);
        assertEquals("50000", head.header("Content-Length"));
        assertEquals("image/png", head.header("Content-Type"));
        assertEquals("nosniff", head.header("X-Content-Type-Options"));

        // The admin view: the same facts and a fresh link, which works as well.
        Fetched view = admin("GET", "/api/media/" + id);
        assertEquals(200, view.status(), view.toString());
        assertEquals(sha256(png), view.json().getString("sha256"));
        assertArrayEquals(png, fetch("GET", view.json().getString("link")).body());
        Fetched hour = admin("GET", "/api/media/" + id + "?validFor=PT1H");
        long hourFromNow = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        assertTrue(Math.abs(Instant.parse(hour.json().getString("linkExpiresAt")).getEpochSecond() - hourFromNow) < 120, hour.toString());
        assertEquals(400, admin("GET", "/api/media/" + id + "?validFor=-P1D").status());
        assertEquals(401, anonymous("GET", "/api/media/" + id).status(), "the admin view needs the admin");
        assertEquals(404, admin("GET", "/api/media/" + UUID.randomUUID()).status());
    }

    // ---- refusals -----------------------------------------------------------------------------------------

    @Test
    void aTamperedMissingOrExpiredSignatureOrAnUnknownIdIsRefusedWithAReason() throws Exception {
        JsonObject a = upload(random(100), "image/jpeg", "a.jpg", true).json();
        JsonObject b = upload(random(100), "image/jpeg", "b.jpg", true).json();
        Matcher l = LINK.matcher(a.getString("link"));
        assertTrue(l.matches());
        String base = l.group(1);
        String id = l.group(2);
        String expires = l.group(3);
        String sig = l.group(4);
        String otherSig = sig.substring(0, 42) + (sig.charAt(42) == 'A' ? 'B' : 'A');

        refused(403, base + "/media/" + id + "?expires=" + expires + "&sig=" + otherSig, "a changed signature");
        refused(403, base + "/media/" + b.getString("id") + "?expires=" + expires + "&sig=" + sig, "another id");
        refused(403, base + "/media/" + id + "?expires=" + (Long.parseLong(expires) + 3600) + "&sig=" + sig, "a later expiry");
        refused(403, base + "/media/" + id + "?expires=" + expires, "no signature");
        refused(403, base + "/media/" + id, "no parameters");
        refused(403, base + "/media/" + id + "?expires=soon&sig=" + sig, "a malformed expiry");
        refused(403, base + "/media/" + id + "?expires=" + expires + "&sig=" + URLEncoder.encode("x\r\n<script>", StandardCharsets.UTF_8),
                "junk");
        long past = Instant.now().getEpochSecond() - 60;
        refused(410, base + "/media/" + id + "?expires=" + past + "&sig=" + sign(id, Long.toString(past)), "an expired link");
        Fetched expiredHead = fetch("HEAD", base + "/media/" + id + "?expires=" + past + "&sig=" + sign(id, Long.toString(past)));
        assertEquals(410, expiredHead.status());
        String unknown = UUID.randomUUID().toString();
        long later = Instant.now().getEpochSecond() + 600;
        refused(404, base + "/media/" + unknown + "?expires=" + later + "&sig=" + sign(unknown, Long.toString(later)),
                "a signed link to nothing");
        // And the genuine link still works.
        assertEquals(200, fetch("GET", a.getString("link")).status());
    }

    @Test
    void htmlAndSvgAreServedAsOctetStreamAttachmentsNeverAsPages() throws Exception {
        String[][] cases = {
                {"text/html; charset=utf-8", "<html><body><script>alert(document.domain)</script></body></html>", "x.html"},
                {"image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", "y.svg"},
                {"application/x-made-up", "<script>alert(2)</script>", null}};
        for (String[] c : cases) {
            byte[] body = c[1].getBytes(StandardCharsets.UTF_8);
            Fetched up = upload(body, c[0], c[2], true);
            assertEquals(201, up.status(), up.toString());
            assertEquals(c[0], up.json().getString("contentType"), "the declared type is kept as said");
            Fetched got = fetch("GET", up.json().getString("link"));
            assertEquals(200, got.status(), got.toString());
            assertArrayEquals(body, got.body());
            assertEquals("application/octet-stream", got.header("Content-Type"), c[0]);
            assertEquals(c[2] == null ? "attachment" : "attachment; filename=\"" + c[2] + "\"; filename*=UTF-8''" + c[2],
                    got.header("Content-Disposition"), c[0]);
            assertEquals("nosniff", got.header("X-Content-Type-Options"));
            assertTrue(got.header("Content-Security-Policy").contains("sandbox"));
        }
    }

    @Test
    void uploadsOverTheMediaCapOrTheBodyLimitAnswer413WithAReasonAndUploadsNeedTheAdmin() throws Exception {
        Fetched atCap = upload(random(100_000), "video/mp4", "at-cap.mp4", true);
        assertEquals(201, atCap.status(), "exactly parley.media.max-bytes is stored: " + atCap);
        assertEquals(100_000, atCap.json().getJsonNumber("sizeBytes").longValue());

        Fetched over = upload(random(100_001), "video/mp4", "over.mp4", true);
        assertEquals(413, over.status(), over.toString());
        String reason = over.json().getString("error");
        assertTrue(reason.contains("parley.media.max-bytes") && reason.contains("100000"), reason);

        Fetched huge = upload(random(2 * 1024 * 1024), "video/mp4", "huge.mp4", true);
        assertEquals(413, huge.status(), huge.toString());
        assertTrue(huge.json().getString("error").contains("request body larger than"), huge.toString());

        assertEquals(401, upload(random(10), "image/png", "x.png", false).status(), "no credentials, no upload");
        Fetched empty = upload(new byte[0], "image/png", "x.png", true);
        assertEquals(400, empty.status(), empty.toString());
        assertTrue(empty.json().getString("error").contains("empty"), empty.toString());
    }

    // ---- a connector, through the SPI ------------------------------------------------------------------

    @Test
    void aConnectorStoresOneKeyOnceThroughTheSpiAndLinksIt() throws Exception {
        Http admin = SharedParley.admin();
        JsonObject c = ConnectionLifecycleIT.awaitState(admin, "mediaecho", "RUNNING");
        String[] first = mediaEcho(c.getString("stateReason"));
        assertEquals(first[0], first[1], "the second put of the key answered the first copy (and did not read its stream)");
        // A second "delivery" later: the same copy again.
        JsonObject verified = admin.post("/api/connections/mediaecho/verify").expect(200).json();
        assertTrue(verified.getBoolean("ok"), verified.toString());
        String[] again = mediaEcho(verified.getString("detail"));
        assertEquals(first[0], again[0]);
        assertEquals(first[0], again[1]);

        byte[] greeting = "media through the SPI".getBytes(StandardCharsets.UTF_8);
        assertEquals(sha256(greeting), first[2]);
        Fetched got = fetch("GET", first[3]);
        assertEquals(200, got.status(), got.toString());
        assertArrayEquals(greeting, got.body());
        assertEquals("inline; filename=\"it-1.png\"; filename*=UTF-8''it-1.png", got.header("Content-Disposition"));

        JsonObject view = admin("GET", "/api/media/" + first[0]).json();
        assertEquals("mediaecho", view.getString("connection"));
        assertEquals("https://provider.example/media/it-1", view.getString("key"));
    }

    /** {@code echo: <greeting> media <id> <id again> <sha256> <link>} as the echo connector answers. */
    static String[] mediaEcho(String detail) {
        Matcher m = Pattern.compile(".* media ([0-9a-f-]{36}) ([0-9a-f-]{36}) ([0-9a-f]{64}) (\\S+)$").matcher(detail);
        assertTrue(m.matches(), detail);
        return new String[] {m.group(1), m.group(2), m.group(3), m.group(4)};
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** HMAC-SHA256(HMAC-SHA256(secrets key, "parley media links v1"), id + "\n" + expires), base64url unpadded. */
    static String sign(String id, String expires) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SharedParley.SECRETS_KEY), "HmacSHA256"));
        byte[] key = mac.doFinal("parley media links v1".getBytes(StandardCharsets.UTF_8));
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal((id + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    static void refused(int status, String url, String what) throws Exception {
        Fetched r = fetch("GET", url);
        assertEquals(status, r.status(), what + ": " + r);
        assertTrue(r.header("Content-Type").startsWith("application/json"), what + ": " + r);
        assertFalse(r.json().getString("error").isBlank(), what);
        assertEquals("no-store", r.header("Cache-Control"), what);
        assertEquals("nosniff", r.header("X-Content-Type-Options"), what);
    }

    static Fetched upload(byte[] body, String type, String name, boolean withAdmin) throws Exception {
        return upload(SharedParley.server().baseUrl(), body, type, name, withAdmin);
    }

    /** {@code POST <base>/api/media?name=} with the raw body (PostgresIT uses it on its own server). */
    static Fetched upload(String base, byte[] body, String type, String name, boolean withAdmin) throws Exception {
        String path = "/api/media" + (name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (withAdmin) {
            b.header("Authorization", basic());
        }
        return send(b.build());
    }

    static Fetched admin(String method, String path) throws Exception {
        return admin(SharedParley.server().baseUrl(), method, path);
    }

    static Fetched admin(String base, String method, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic()).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static Fetched anonymous(String method, String path) throws Exception {
        return fetch(method, SharedParley.server().baseUrl() + path);
    }

    static Fetched fetch(String method, String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static Fetched send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        Fetched f = new Fetched(r.statusCode(), r.headers().map(), r.body());
        noSecretsIn(f);
        return f;
    }

    /** No secret (the secrets key, the link signing key derived from it, the admin password) and no Java names. */
    static void noSecretsIn(Fetched f) {
        String all = f.headers() + "\n" + (f.header("Content-Type") != null && f.header("Content-Type").startsWith("application/json")
                ? f.text() : "");
        byte[] raw = Base64.getDecoder().decode(SharedParley.SECRETS_KEY);
        byte[] signing;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            signing = mac.doFinal("parley media links v1".getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String secret : List.of(SharedParley.SECRETS_KEY, HexFormat.of().formatHex(raw),
                Base64.getEncoder().encodeToString(signing), Base64.getUrlEncoder().withoutPadding().encodeToString(signing),
                HexFormat.of().formatHex(signing), SharedParley.ADMIN_PASSWORD, SharedParley.ADMIN_PASSWORD_HASH)) {
            assertFalse(all.contains(secret), "a secret in a response: " + f);
        }
        assertFalse(SecurityIT.JAVA_LEAK.matcher(all).find(), "a Java name in a response: " + f);
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((SharedParley.ADMIN_USER + ":" + SharedParley.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void twoUploadsOfOneFileAreTwoCopiesWithOneDigest() throws Exception {
        byte[] same = random(300);
        JsonObject a = upload(same, "image/gif", null, true).json();
        JsonObject b = upload(same, "image/gif", null, true).json();
        assertNotEquals(a.getString("id"), b.getString("id"));
        assertEquals(a.getString("sha256"), b.getString("sha256"));
    }
}
