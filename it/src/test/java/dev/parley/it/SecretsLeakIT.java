package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets never leak. Runs LAST (junit-platform.properties orders classes by {@link Order}), so it sees every
 * server log the suite produced: the shared server's, the private servers', the EAR domain's. Looks for every
 * configured test secret and every secret Parley obtained at run time (in clear and as Basic credentials) in those
 * logs, in every admin, health and metrics response, and in the database file itself.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(SharedParleyExtension.class)
class SecretsLeakIT {

    static final String SEALED_SECRET = "zd-sealed-secret-4711";
    static final String SEALED_HOOK = "01HSEALEDWEBHOOK4711XYZ0000";

    @BeforeAll
    static void registerAWebhookWhoseSecretParleyMustKeep() {
        Http admin = SharedParley.admin();
        WireMockServer wm = SharedParley.wireMock();
        InfobipSmsIT.awaitRunning(admin, "zsealed");
        String zd = "/zsealed/api/v2";
        String endpoint = SharedParley.server().baseUrl() + "/channel/zsealed/webhook/ticket";
        String hook = "{\"webhook\":{\"id\":\"" + SEALED_HOOK + "\",\"endpoint\":\"" + endpoint + "\",\"status\":\"active\"}}";
        wm.stubFor(post(urlPathEqualTo(zd + "/webhooks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(hook)));
        wm.stubFor(get(urlPathEqualTo(zd + "/webhooks/" + SEALED_HOOK)).willReturn(okJson(hook)));
        wm.stubFor(get(urlPathEqualTo(zd + "/webhooks/" + SEALED_HOOK + "/signing_secret"))
                .willReturn(okJson("{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"" + SEALED_SECRET + "\"}}")));
        String[][] triggers = {{"agent reply", "71"}, {"solved", "72"}};
        for (String[] t : triggers) {
            wm.stubFor(post(urlPathEqualTo(zd + "/triggers")).withRequestBody(matchingJsonPath("$.trigger.title", containing(t[0])))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"trigger\":{\"id\":" + t[1] + "}}")));
            wm.stubFor(get(urlPathEqualTo(zd + "/triggers/" + t[1])).willReturn(okJson("{\"trigger\":{\"id\":" + t[1]
                    + ",\"active\":true,\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + SEALED_HOOK + "\",\"{}\"]}]}}")));
        }
        JsonObject setup = admin.post("/api/connections/zsealed/setup").expect(200).json();
        assertTrue(setup.getBoolean("complete"), setup.toString());
        // Parley opens the sealed secret to check Zendesk's signature: authentic (422: no such ticket), not 401.
        String body = "{\"ticket_id\":\"424242\",\"external_id\":\"1\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        assertEquals(422, ZendeskIT.zendeskCallsOn("zsealed", body, SEALED_SECRET, Instant.now()).status());
        assertEquals(401, ZendeskIT.zendeskCallsOn("zsealed", body, "not-the-secret", Instant.now()).status());
    }

    /** Every secret the suite configured or Parley was handed, and their Basic-credential forms. */
    static Set<String> secrets() {
        Set<String> s = new LinkedHashSet<>(List.of(SharedParley.ADMIN_PASSWORD, SharedParley.ADMIN_PASSWORD_HASH,
                SharedParley.SECRETS_KEY, "it-infobip-key", "it-hook-secret", "revoked-key", SharedParley.ZENDESK_TOKEN,
                SharedParley.ZENDESK_HOOK_SECRET, "sc-it-key-secret", "sc-it-hook-secret", "sk-it-very-secret",
                "sandbox-token", "sandbox-hook", "zd-registered-secret", SEALED_SECRET));
        for (String basic : List.of("admin:" + SharedParley.ADMIN_PASSWORD, "infobip:it-hook-secret",
                "app_it_key:sc-it-key-secret", SharedParley.ZENDESK_EMAIL + "/token:" + SharedParley.ZENDESK_TOKEN)) {
            s.add(Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return s;
    }

    @Test
    void noSecretInAnyServerLog() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(ItPaths.targetDir())) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(logs.stream().anyMatch(p -> p.getFileName().toString().equals("shared-micro.log")), "logs found: " + logs);
        Set<String> found = new TreeSet<>();
        for (Path log : logs) {
            for (String secret : secrets()) {
                if (contains(log, secret)) found.add(secret + " in " + log.getFileName());
            }
        }
        assertEquals(Set.of(), found);
    }

    @Test
    void noSecretInAnyAdminHealthOrMetricsResponse() {
        Http admin = SharedParley.admin();
        List<String> paths = new ArrayList<>(List.of("/api/connections", "/api/sessions", "/api/chatbots",
                "/api/knowledge/articles", "/health", "/health/ready", "/metrics", "/openapi"));
        for (JsonValue v : admin.get("/api/connections").jsonArray()) {
            String id = v.asJsonObject().getString("id");
            paths.add("/api/connections/" + id);
            paths.add("/api/connections/" + id + "/logs?limit=1000");
            paths.add("/api/connections/" + id + "/setup");
            if (v.asJsonObject().getBoolean("sandbox", false)) {
                // The console's way into a sandbox: the server adds the provider's credentials, and must not show them.
                for (String read : List.of("/messages", "/agent/tickets", "/agent/contacts", "/console/conversations",
                        "/api/v2/webhooks", "/api/v2/triggers", "/api/v2/users/me")) {
                    paths.add("/api/sandbox/" + id + read);
                }
            }
        }
        JsonArray sessions = admin.get("/api/sessions?limit=100").jsonArray();
        sessions.forEach(v -> paths.add("/api/sessions/" + v.asJsonObject().getJsonNumber("id").longValue()));
        Set<String> found = new TreeSet<>();
        int sandboxReads = 0;
        for (String path : paths) {
            Http.Response r = admin.get(path);
            if (path.startsWith("/api/sandbox/") && r.status() == 200) sandboxReads++;
            String body = r.body();
            for (String secret : secrets()) {
                if (body.contains(secret)) found.add(secret + " in " + path);
            }
        }
        assertTrue(paths.size() > 50, "scanned " + paths.size() + " responses");
        assertTrue(sandboxReads >= 5, "the sandboxes answered the console's reads: " + sandboxReads);
        assertEquals(Set.of(), found);
    }

    @Test
    void registeredSecretsAreNotInTheDatabaseInClearText() {
        Path db = ItPaths.targetDir().resolve(SharedParley.server().name() + "-db").resolve("parley.mv.db");
        // The webhook id sits in the same table in clear: it proves the file scan sees what the store wrote.
        Await.until(Duration.ofSeconds(15), () -> contains(db, SEALED_HOOK), "the webhook id in " + db);
        for (String secret : List.of(SEALED_SECRET, "zd-registered-secret")) {
            assertTrue(!contains(db, secret), secret + " is stored in clear text in " + db);
        }
    }

    /** Streams the file (it may be large) with an overlap, so a needle across two reads is still found. */
    private static boolean contains(Path file, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[1 << 20];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int kept = 0;
            int read;
            while ((read = in.readNBytes(buf, kept, buf.length - kept)) > 0) {
                int len = kept + read;
                if (indexOf(buf, len, n) >= 0) return true;
                kept = Math.min(n.length - 1, len);
                System.arraycopy(buf, len - kept, buf, 0, kept);
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] data, int len, byte[] n) {
        outer:
        for (int i = 0; i + n.length <= len; i++) {
            for (int j = 0; j < n.length; j++) {
                if (data[i + j] != n[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
