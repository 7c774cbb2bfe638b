package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.Logs;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hardened entrances, through the real server: the admin password (a PBKDF2 hash in the shared config), the
 * per-client login throttle, the request body cap, webhook rejections folded into one log entry per burst,
 * malformed bodies that never reach a 5xx, error bodies that name no Java class, and a server without a secrets
 * key putting a connection that must store a secret in ERROR (and making no media links).
 */
@ExtendWith(SharedParleyExtension.class)
class SecurityIT {

    /** A stack frame, a Java exception or a package name in a response body. */
    static final Pattern JAVA_LEAK = Pattern.compile(
            "\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|[A-Z]\\w*(Exception|Error)\\b|\\bjava\\.|\\bjakarta\\.|\\bdev\\.parley\\.|\\borg\\.eclipse");

    /** A client address of its own for each use (a random one met the address another test had throttled: 429). */
    private static String client() {
        return "203.0.113." + CLIENTS.incrementAndGet();
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLIENTS =
            new java.util.concurrent.atomic.AtomicInteger(ThreadLocalRandom.current().nextInt(0, 100));

    private static Http.Response asClient(String address, String user, String password, String path) {
        return asClient(address, user, password, "GET", path);
    }

    private static Http.Response asClient(String address, String user, String password, String method, String path) {
        return Http.of(SharedParley.server().baseUrl()).withBasic(user, password)
                .send(method, path, method.equals("GET") ? null : "", null, Map.of("X-Forwarded-For", "6.6.6.6, " + address));
    }

    @Test
    void anotherSitesFormCannotUseTheConsolesSignedInBrowser(Http admin, ParleyServer parley) {
        InfobipSmsIT.awaitRunning(admin, "outonly");
        // What a browser signed in to the console adds to another site's auto-submitted form: the admin's credentials.
        Http.Response forged = admin.send("POST", "/api/sessions/1/resolve", null, null,
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
        assertEquals(403, forged.status(), forged.toString());
        assertTrue(forged.body().contains("another site"), forged.body());
        assertEquals(403, admin.send("POST", "/api/connections/outonly/stop?unregister=true", null, null,
                Map.of("Origin", "https://evil.example")).status(), "Origin alone (older browsers) is enough");
        assertEquals("RUNNING", admin.get("/api/connections/outonly").expect(200).json().getString("state"), "nothing stopped");
        // The console's own calls, and clients that are no browser, go through.
        assertEquals(200, admin.send("POST", "/api/connections/outonly/verify", null, null,
                Map.of("Origin", parley.baseUrl(), "Sec-Fetch-Site", "same-origin")).status());
        assertEquals(200, admin.post("/api/connections/outonly/verify").status());
    }

    @Test
    void wrongAdminPasswordsFromOneClientAreThrottledWith429AndLoggedOnce() {
        String attacker = client();
        String bystander = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 250);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, asClient(attacker, "admin", "guess-" + i, "/api/sessions").status(), "guess " + i);
        }
        Http.Response refused = asClient(attacker, "admin", "guess-6", "/api/sessions");
        assertEquals(429, refused.status(), refused.toString());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
        assertEquals(429, asClient(attacker, "admin", SharedParley.ADMIN_PASSWORD, "/api/sessions").status(),
                "a throttled address is not checked at all, even with the right password");
        assertEquals(429, asClient(attacker, "admin", "x", "POST", "/api;x/connections/sms/stop").status());
        assertEquals(200, asClient(bystander, "admin", SharedParley.ADMIN_PASSWORD, "/api/sessions").status(),
                "another client is not affected");
        assertEquals(200, SharedParley.admin().get("/api/connections/sms").status(), "nor is the proxy itself");
        assertEquals("RUNNING", SharedParley.admin().get("/api/connections/sms").json().getString("state"));
        String log = Logs.read(SharedParley.server().logFile());
        assertEquals(1, count(log, "wrong credentials from " + attacker + " within"), "one line per burst");
        assertFalse(log.contains("guess-"), "tried passwords are never logged");
    }

    @Test
    void theHashedAdminPasswordIsTheOnlyWayIn() {
        String me = client();
        assertEquals(200, asClient(me, "admin", SharedParley.ADMIN_PASSWORD, "/api/connections").status());
        assertEquals(401, asClient(me, "admin", SharedParley.ADMIN_PASSWORD_HASH, "/api/connections").status(),
                "the hash itself is not a password");
        Http.Response none = Http.of(SharedParley.server().baseUrl()).get("/api/connections");
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Basic"), none.toString());
    }

    @Test
    void bodiesAboveTheCapAre413BeforeAnythingElse() throws Exception {
        String base = SharedParley.server().baseUrl();
        // Declared too large: refused on the headers alone, before authentication and before the body is sent.
        URI uri = URI.create(base);
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /channel/sms/webhook/sms HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 31457280\r\n\r\n{\"results\":[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readHead(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }
        // Chunked (no length): cut off while being read.
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base + "/channel/sms/webhook/sms"))
                        .header("Content-Type", "application/json").headers(InfobipSmsIT.INFOBIP_BASIC.entrySet().stream()
                                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("larger than 1048576 bytes"), chunked.body());
        // Just under the cap: read and judged as usual (here: not a valid payload, so a 400 with a reason).
        String nearly = "{\"results\":[],\"pad\":\"" + "a".repeat(1_000_000) + "\"}";
        Http.Response ok = SharedParley.anonymous().post("/channel/sms/webhook/sms", nearly, "application/json",
                InfobipSmsIT.INFOBIP_BASIC);
        assertTrue(ok.status() < 500 && ok.status() != 413, ok.toString());
        // The admin API has the same cap (HTTP/1.1: java.net.http's h2c upgrade stalls large bodies on Grizzly).
        HttpResponse<String> admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base + "/api/chatbots/huge")).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/yaml")
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                (SharedParley.ADMIN_USER + ":" + SharedParley.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                        .PUT(HttpRequest.BodyPublishers.ofString("x".repeat(1_100_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, admin.statusCode(), admin.body());
        assertEquals(404, SharedParley.admin().get("/api/chatbots/huge").status(), "nothing was saved");
    }

    @Test
    void aStormOfRejectedWebhooksIsOneLogEntryWithItsCount() {
        String conn = "outonly";
        int before = logEntries(conn).size();
        String body = InfobipSmsIT.inboundJson("storm-1", "41790000099", "hello");
        for (int i = 0; i < 40; i++) {
            Http.Response r = SharedParley.anonymous().post("/channel/" + conn + "/webhook/sms", body, "application/json",
                    i % 2 == 0 ? Map.of() : Map.of("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("infobip:wrong-" + i).getBytes(StandardCharsets.UTF_8))));
            assertEquals(401, r.status());
        }
        JsonObject burst = Await.value(Duration.ofSeconds(15), () -> {
            JsonArray entries = logEntries(conn);
            for (int i = 0; i < entries.size() - before; i++) {
                JsonObject e = entries.getJsonObject(i);
                if (e.getString("message").contains("rejected 40 times")) return e;
            }
            return null;
        }, "the burst's entry shows the count");
        assertEquals("WARN", burst.getString("level"));
        assertTrue(burst.getString("message").contains("(401)"), burst.toString());
        assertEquals(before + 1, logEntries(conn).size(), "one entry for 40 rejections");
    }

    private static JsonArray logEntries(String connection) {
        return SharedParley.admin().get("/api/connections/" + connection + "/logs?limit=500").jsonArray();
    }

    /** Bodies a fuzzer would send, with VALID credentials so they reach the parsers. */
    static List<String> malformedCorpus() {
        List<String> c = new ArrayList<>(List.of("", " ", "null", "true", "0", "-1e999999", "\"text\"", "[]", "[[[]]]",
                "{", "}", "{\"results\":", "{\"results\":null}", "{\"results\":{}}", "{\"results\":[null,1,\"x\",[]]}",
                "{\"results\":[{\"messageId\":{},\"from\":[],\"text\":123,\"receivedAt\":\"yesterday\"}]}",
                "{\"results\":[{\"messageId\":\"m\",\"from\":\"" + "9".repeat(5000) + "\",\"text\":\"hi\"}]}",
                "{\"results\":[{\"messageId\":\"m\",\"from\":\"+41 79\",\"to\":null,\"text\":null,\"receivedAt\":\"2026-13-45T99:99:99\"}]}",
                "{\"results\":[{\"status\":{\"groupName\":7},\"messageId\":null}]}",
                "{\"ticket_id\":null}", "{\"ticket_id\":{},\"external_id\":[]}", "{\"ticket_id\":\"1e400\",\"external_id\":\"-0\"}",
                "{\"events\":[{\"type\":\"conversation:message\",\"payload\":null}]}",
                "{\"events\":\"all\"}", "{\"events\":[{\"payload\":{\"message\":{\"content\":{\"type\":42}}}}]}",
                "{\"a\":1,\"a\":2}", "\u0000\u0001\u0002", "\uFEFF{\"results\":[]}", "{\"results\":[]}\u0000garbage",
                "<xml/>", "results=1&x=2", "\"\\ud800\"", "{\"results\":[{\"text\":\"\\ud800\\udc00\\ud800\"}]}"));
        c.add("[".repeat(100_000) + "]".repeat(100_000));
        c.add("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000));
        c.add("{\"results\":[" + "{},".repeat(20_000) + "{}]}");
        return c;
    }

    @Test
    void malformedBodiesOnEveryWebhookNeverGetA5xxOrAStackTrace() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/channel/sms/webhook/sms", "infobip");
        routes.put("/channel/sms/webhook/dlr", "infobip");
        routes.put("/channel/sms/webhook/click", "infobip");
        routes.put("/channel/zvector/webhook/ticket", "zendesk");
        routes.put("/channel/zmsg/webhook/messaging", "sunshine");
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (Map.Entry<String, String> route : routes.entrySet()) {
            for (String body : malformedCorpus()) {
                Map<String, String> auth = switch (route.getValue()) {
                    case "infobip" -> InfobipSmsIT.INFOBIP_BASIC;
                    case "zendesk" -> {
                        String ts = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
                        yield Map.of("X-Zendesk-Webhook-Signature", ZendeskIT.sign(SharedParley.ZENDESK_HOOK_SECRET, ts + body),
                                "X-Zendesk-Webhook-Signature-Timestamp", ts);
                    }
                    default -> Map.of("X-API-Key", "sc-it-hook-secret");
                };
                Http.Response r = SharedParley.anonymous().post(route.getKey(), body, "application/json", auth);
                calls++;
                if (r.status() >= 500 || JAVA_LEAK.matcher(r.body()).find()) {
                    failures.add(r.status() + " " + route.getKey() + " <- " + abbreviate(body) + " : " + abbreviate(r.body()));
                }
            }
        }
        assertEquals(List.of(), failures, calls + " calls");
    }

    @Test
    void errorBodiesNameNoJavaClass() {
        Http admin = SharedParley.admin();
        List<Http.Response> answers = List.of(
                admin.get("/api/sessions/abc"),
                admin.get("/api/sessions/99999999999999999999999"),
                admin.postJson("/api/sessions/1/reply", "{not json"),
                admin.postJson("/api/sessions/1/reply", "[1,2]"),
                admin.postJson("/api/chatbots/acme/activate", "{\"gracePeriod\":42,"),
                admin.get("/api/connections/sms/logs?limit=abc"),
                admin.send("DELETE", "/api/connections/sms", null, null, Map.of()),
                admin.send("PUT", "/api/knowledge/articles/x/y", "{\"title\":", "application/json", Map.of()),
                admin.send("PATCH", "/api/sessions", "{}", "application/json", Map.of()),
                admin.send("POST", "/api/sessions/1/reply", "<a/>", "application/xml", Map.of()));
        for (Http.Response r : answers) {
            assertTrue(r.status() >= 400 && r.status() < 500, r.toString());
            assertFalse(JAVA_LEAK.matcher(r.body()).find(), "names Java: " + r);
            assertTrue(r.json().getString("error").length() > 3, r.toString());
        }
        assertEquals(404, answers.get(0).status());
    }

    @Test
    void withoutASecretsKeyAConnectionThatMustStoreASecretIsInErrorNamingTheProperty() throws Exception {
        Map<String, String> config = new LinkedHashMap<>(SharedParley.config(SharedParley.wireMock().baseUrl()));
        config.remove("parley.secrets.key");
        // With the drop-in connectors, so the echo connector's media copy (connection mediaecho) runs here too.
        try (ParleyServer keyless = ParleyServer.builder().name("keyless").config(config)
                .addLib(dev.parley.it.support.ItPaths.spiJar(), dev.parley.it.echo.EchoConnectorJar.build()).build().start()) {
            Http admin = Http.of(keyless.baseUrl()).withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
            // The Zendesk sandbox auto-registers at start and must keep the webhook's signing secret.
            JsonObject zsandbox = Await.value(Duration.ofSeconds(60), () -> {
                JsonObject c = admin.get("/api/connections/zsandbox").json();
                return "ERROR".equals(c.getString("state")) ? c : null;
            }, "zsandbox in ERROR");
            String reason = zsandbox.toString();
            assertTrue(reason.contains("parley.secrets.key"), reason);
            // Connections that store no secret are unaffected.
            Await.until(Duration.ofSeconds(60), () -> "RUNNING".equals(admin.get("/api/connections/sandbox").json()
                    .getString("state")), "sandbox RUNNING");

            // Media: copies are kept, but no link is made, and /media refuses even a link signed with some key.
            MediaIT.Fetched up = MediaIT.upload(keyless.baseUrl(), "keyless".getBytes(StandardCharsets.UTF_8), "image/png",
                    "k.png", true);
            assertEquals(201, up.status(), up.toString());
            assertFalse(up.json().containsKey("link"), up.toString());
            assertTrue(up.json().getString("linkError").contains("parley.secrets.key"), up.toString());
            String id = up.json().getString("id");
            long later = Instant.now().getEpochSecond() + 600;
            MediaIT.Fetched refused = MediaIT.fetch("GET", keyless.baseUrl() + "/media/" + id + "?expires=" + later
                    + "&sig=" + MediaIT.sign(id, Long.toString(later)));
            assertEquals(403, refused.status(), refused.toString());
            assertEquals(1, count(keyless.log(), "media links are disabled and /media refuses every request"),
                    "said once, at start");
            // A connector asking for a link is told what to set (the echo connector's verify makes one).
            JsonObject mediaEcho = Await.value(Duration.ofSeconds(60), () -> {
                JsonObject c = admin.get("/api/connections/mediaecho").json();
                return "ERROR".equals(c.getString("state")) ? c : null;
            }, "mediaecho in ERROR");
            assertTrue(mediaEcho.getString("stateReason").contains("parley.secrets.key"), mediaEcho.toString());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) break;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
    }
}
