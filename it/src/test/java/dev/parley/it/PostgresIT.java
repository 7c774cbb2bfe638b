package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.Postgres;
import dev.parley.it.support.PostgresParley;
import dev.parley.it.support.SharedParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The core flows on PostgreSQL: a Parley with the shared server's config, its datasource on the JVM's
 * embedded PostgreSQL 15 ({@link PostgresParley#first()}), and the driver shipped inside parley.war (nothing on
 * the server's class path). Inbound SMS and bot reply, duplicate deliveries, a handoff and the agent's reply, an outbox retry,
 * the chatbot lifecycle, and the admin API's authentication.
 */
@ExtendWith(PostgresParley.class)
class PostgresIT {

    private static WireMockServer wm;
    private static Postgres.Database db;
    private static ParleyServer parley;
    private static Http admin;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        parley = PostgresParley.first();
        wm = PostgresParley.wireMock();
        db = PostgresParley.database();
        anonymous = Http.of(parley.baseUrl());
        admin = PostgresParley.admin(parley);
    }

    @AfterAll
    static void report() {
        reportAbortedTransactions();
    }

    /** What the runtime's duplicate claims leave in the logs (reported, not asserted: the claim is being reworked). */
    private static void reportAbortedTransactions() {
        String needle = "current transaction is aborted";
        long inPostgres = Postgres.log().lines().filter(l -> l.contains(needle)).count();
        long inPayara = parley.log().lines().filter(l -> l.contains(needle)).count();
        long duplicateKeys = Postgres.log().lines().filter(l -> l.contains("duplicate key value")).count();
        System.out.printf("[it] PostgresIT logs: '%s' %d x in %s, %d x in %s; 'duplicate key value' %d x in PostgreSQL's log (so far)%n",
                needle, inPostgres, Postgres.logFile(), inPayara, parley.logFile(), duplicateKeys);
    }

    @Test
    void theSchemaIsMigratedOnPostgres() {
        assertEquals(List.of(true), db.column("SELECT bool_and(success) FROM flyway_schema_history"));
        assertTrue(db.count("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL") >= 4);
    }

    @Test
    void mediaIsKeptAsByteaAndServedFromPostgres() throws Exception {
        assertEquals(List.of("bytea"), db.column("SELECT data_type FROM information_schema.columns "
                + "WHERE table_name = 'stored_media' AND column_name = 'content'"));
        byte[] png = MediaIT.random(70_000);
        MediaIT.Fetched up = MediaIT.upload(parley.baseUrl(), png, "image/png", "pg.png", true);
        assertEquals(201, up.status(), up.toString());
        assertEquals(MediaIT.sha256(png), up.json().getString("sha256"));
        MediaIT.Fetched got = MediaIT.fetch("GET", up.json().getString("link"));
        assertEquals(200, got.status(), got.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(png, got.body());
        assertEquals("image/png", got.header("Content-Type"));
        assertEquals(1, db.count("SELECT count(*) FROM stored_media WHERE id = '" + up.json().getString("id")
                + "' AND octet_length(content) = 70000"));
        // The connector's copy, stored twice under one key through the SPI (ON CONFLICT DO NOTHING): one row.
        InfobipSmsIT.awaitRunning(admin, "mediaecho");
        admin.post("/api/connections/mediaecho/verify").expect(200);
        assertEquals(1, db.count("SELECT count(*) FROM stored_media WHERE connection_id = 'mediaecho' "
                + "AND media_key = 'https://provider.example/media/it-1'"));
        String[] echo = MediaIT.mediaEcho(admin.get("/api/connections/mediaecho").json().getString("stateReason"));
        assertEquals(echo[0], echo[1]);
        org.junit.jupiter.api.Assertions.assertArrayEquals("media through the SPI".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                MediaIT.fetch("GET", echo[3]).body());
    }

    @Test
    void anInboundSmsIsAnsweredByTheEmbeddedBot() {
        InfobipSmsIT.awaitRunning(admin, "sms");
        Conversations sms = Conversations.on(parley, wm, "sms");
        sms.customerWrites("41790101001", "What are your hours?");
        assertEquals(List.of("We are open 9-17."), sms.awaitTexts("41790101001", 1));
        Await.until(SharedParley.PATIENCE, () -> "SENT".equals(outbound(sms.session("41790101001")).get(0).getString("status")),
                "reply SENT");
        JsonObject session = sms.session("41790101001");
        assertEquals("it", session.getJsonObject("session").getString("agentId"));
        assertEquals("What are your hours?", session.getJsonArray("messages").getJsonObject(0).getString("text"));
    }

    @Test
    void aWhatsAppImageIsCopiedIntoPostgresAndServedAtItsSignedLink() throws Exception {
        InfobipSmsIT.awaitRunning(admin, "wasb");
        Http sandbox = anonymous.withHeader("Authorization", "App sandbox-key");
        String me = "41790101051";
        sandbox.postJson("/sandbox/wasb/customer/" + me + "/image", "{\"caption\":\"the broken part\"}").expect(200);
        JsonObject attachment = Await.value(SharedParley.PATIENCE, () -> {
            var sessions = admin.get("/api/sessions?connection=wasb&contact=%2B" + me).expect(200).jsonArray();
            if (sessions.isEmpty()) return null;
            JsonObject s = admin.get("/api/sessions/" + sessions.getJsonObject(0).getJsonNumber("id").longValue()).expect(200).json();
            JsonObject in = s.getJsonArray("messages").getJsonObject(0);
            return in.containsKey("content") && in.get("content") instanceof JsonObject c && c.containsKey("attachments")
                    ? c.getJsonArray("attachments").getJsonObject(0) : null;
        }, "the image stored with its message");
        assertEquals("IMAGE", attachment.getString("kind"));
        assertEquals(1, db.count("SELECT count(*) FROM stored_media WHERE id = '" + attachment.getString("mediaId") + "'"));
        java.net.http.HttpResponse<byte[]> fetched = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(attachment.getString("link"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertEquals(attachment.getJsonNumber("sizeBytes").longValue(), fetched.body().length);
        assertEquals("image/png", fetched.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aDuplicateDeliveryAnswers200AndYieldsOneReply() throws Exception {
        InfobipSmsIT.awaitRunning(admin, "sms");
        Conversations sms = Conversations.on(parley, wm, "sms");
        Http.Response first = sms.deliver("pg-dup-1", "41790102001", "hello").expect(200);
        assertEquals(1, first.json().getInt("accepted"));
        sms.awaitTexts("41790102001", 1);
        Http.Response again = sms.deliver("pg-dup-1", "41790102001", "hello").expect(200);
        assertEquals(0, again.json().getInt("accepted"), again.body());
        assertEquals(1, again.json().getInt("duplicates"), again.body());

        // ... and eight copies of another message at the same moment.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        int accepted = 0;
        try {
            List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> sms.deliver("pg-dup-2", "41790102002", "hello"), pool));
            }
            for (CompletableFuture<Http.Response> c : calls) {
                Http.Response r = c.get();
                assertEquals(200, r.status(), r.toString());
                accepted += r.json().getInt("accepted");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, accepted, "exactly one of the concurrent deliveries is accepted");
        sms.awaitTexts("41790102002", 1);
        InfobipSmsIT.quietly(2000);
        for (String me : List.of("41790102001", "41790102002")) {
            assertEquals(1, sms.textsTo(me).size(), "one reply to " + me);
            assertEquals(1, inbound(sms.session(me)).size(), "one stored message from " + me);
        }
    }

    @Test
    void aHandoffReachesTheDeskAndTheAgentsReplyComesBack() {
        HandoffIT.deskAccepts(wm);
        InfobipSmsIT.awaitRunning(admin, "care");
        InfobipSmsIT.awaitRunning(admin, "desk");
        Conversations care = Conversations.on(parley, wm, "care");
        String me = "447911190301";
        care.customerWrites(me, "I want to talk to a human about my broken order");
        LoggedRequest ticket = Await.value(SharedParley.PATIENCE,
                () -> HandoffIT.tickets(wm, "+" + me).stream().findFirst().orElse(null), "ticket");
        long sessionId = care.latestSession(me).orElseThrow();
        assertEquals(String.valueOf(sessionId), HandoffIT.json(ticket).getString("sessionId"));
        assertTrue(care.awaitTexts(me, 1).get(0).contains("a member of our team will reply here"));

        String reply = "{\"id\":\"pg-ev-" + sessionId + "\",\"ticket\":\"T-" + sessionId + "\",\"text\":\"Hi, Ann here.\",\"agent\":\"Ann\"}";
        anonymous.post("/channel/desk/webhook/reply", reply, "application/json", Map.of()).expect(200);
        assertEquals("Hi, Ann here.", care.awaitTexts(me, 2).get(1));
    }

    @Test
    void aSendRefusedWith503IsRetriedAndSentOnce() {
        InfobipSmsIT.awaitRunning(admin, "sms");
        String me = "41790104001";
        wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(me)))
                .inScenario("pg-unavailable").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503)));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+" + me).add("text", "parcel").build())
                .expect(202);
        Conversations sms = Conversations.on(parley, wm, "sms");
        Await.until(SharedParley.PATIENCE, () -> "SENT".equals(outbound(sms.session(me)).get(0).getString("status")), "SENT after the 503");
        InfobipSmsIT.quietly(1500);
        assertEquals(2, wm.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(me)))).size(),
                "one refused attempt, one accepted");
        List<String> kinds = Conversations.timelineKinds(sms.session(me));
        assertTrue(kinds.contains("SEND_RETRY") && kinds.contains("SENT"), kinds.toString());
    }

    @Test
    void aChatbotIsSavedValidatedActivatedAndAnswers() {
        InfobipSmsIT.awaitRunning(admin, "bots");
        JsonObject saved = admin.send("PUT", "/api/chatbots/pgbot", ChatbotLifecycleIT.definition("PgBot", "Hi from PgBot."),
                "application/yaml", Map.of()).expect(200).json();
        assertTrue(saved.getBoolean("valid"), saved.toString());
        assertEquals(0, admin.post("/api/chatbots/pgbot/validate").expect(200).json().getJsonArray("errors").size());
        admin.postJson("/api/chatbots/pgbot/activate", "{}").expect(200);
        assertEquals("ACTIVE", admin.get("/api/chatbots/pgbot").expect(200).json().getJsonObject("bot").getString("state"));

        Conversations bots = Conversations.on(parley, wm, "bots");
        bots.customerWrites("447911190501", "hello");
        assertTrue(bots.awaitTexts("447911190501", 1).get(0).startsWith("Hi from PgBot."));
        bots.customerWrites("447911190501", "1");
        assertEquals("We are open 9-17.", bots.awaitTexts("447911190501", 2).get(1));
    }

    @Test
    void theAdminApiRefusesCallsWithoutTheRightCredentials() {
        assertEquals(401, anonymous.get("/api/sessions").status());
        assertEquals(401, anonymous.withBasic(SharedParley.ADMIN_USER, "guess").get("/api/connections").status());
        admin.get("/api/sessions").expect(200);
    }

    private static List<JsonObject> outbound(JsonObject session) {
        return messages(session, "OUT");
    }

    private static List<JsonObject> inbound(JsonObject session) {
        return messages(session, "IN");
    }

    private static List<JsonObject> messages(JsonObject session, String direction) {
        return session.getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals(direction)).toList();
    }
}
