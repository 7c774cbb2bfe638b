package dev.parley.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zendesk as the help desk, end to end through the real server: Rasa (WireMock) hands an SMS customer off,
 * Zendesk (WireMock, exact requests checked) gets one ticket, and signed Zendesk webhooks bring public agent
 * replies back to the customer's SMS.
 */
@ExtendWith(SharedParleyExtension.class)
class ZendeskIT {

    static final String ZD = "/zd/api/v2";
    private final Conversations sms = new Conversations("zsms");
    private WireMockServer wm;
    private Http admin;

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        this.admin = admin;
        SharedParley.resetWireMock();
        InfobipSmsIT.awaitRunning(admin, "zsms");
        InfobipSmsIT.awaitRunning(admin, "zdesk");
        wm.stubFor(post(urlPathEqualTo("/zrasa/webhooks/rest/webhook")).atPriority(9)
                .willReturn(okJson("[{\"recipient_id\":\"x\",\"text\":\"Bot answer.\"}]")));
        wm.stubFor(post(urlPathEqualTo("/zrasa/webhooks/rest/webhook")).atPriority(5)
                .withRequestBody(matchingJsonPath("$.message", containing("never arrived")))
                .willReturn(okJson("[{\"recipient_id\":\"x\",\"text\":\"Let me get a colleague.\"},"
                        + "{\"recipient_id\":\"x\",\"custom\":{\"parley\":\"handoff\",\"reason\":\"parcel lost\","
                        + "\"summary\":\"Order A-77 never arrived\",\"sentiment\":\"negative\",\"language\":\"en\","
                        + "\"fields\":{\"order_number\":\"A-77\",\"product\":\"phone\",\"colour\":\"red\"}}}]")));
        wm.stubFor(post(urlPathEqualTo(ZD + "/users/create_or_update")).atPriority(5)
                .withHeader("Authorization", equalTo(SharedParley.zendeskAuth()))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"user\":{\"id\":555,\"name\":\"jane.doe@example.com\",\"role\":\"end-user\"}}")));
    }

    @Test
    void aHandoffBecomesOneTicketAndOnlyPublicAgentRepliesReachTheCustomer() {
        String me = "447911123501";
        long ticketId = 8101;
        ticketAccepted(ticketId);
        sms.customerWrites(me, "hello");
        assertEquals("Bot answer.", sms.awaitTexts(me, 1).get(0));
        sms.customerWrites(me, "my parcel never arrived, write me at jane.doe@example.com");
        long sessionId = sms.latestSession(me).orElseThrow();

        LoggedRequest create = Await.value(SharedParley.PATIENCE, () -> ticketPosts(sessionId).stream().findFirst().orElse(null), "ticket");
        assertTrue(create.getHeader("Idempotency-Key").matches("parley-handoff-\\d+"), create.getHeader("Idempotency-Key"));
        assertEquals(SharedParley.zendeskAuth(), create.getHeader("Authorization"));
        JsonObject ticket = HandoffIT.json(create).getJsonObject("ticket");
        assertEquals(555, ticket.getJsonNumber("requester_id").intValue());
        assertEquals(String.valueOf(sessionId), ticket.getString("external_id"));
        List<String> tags = strings(ticket.getJsonArray("tags"));
        assertTrue(tags.containsAll(List.of("parley_channel_zsms", "parley_sentiment_negative", "parley_handed_off",
                "parley_i_itmain")), tags.toString());
        Map<Long, String> fields = ticket.getJsonArray("custom_fields").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(f -> f.getJsonNumber("id").longValue(), f -> f.getString("value")));
        assertEquals(Map.of(360001L, "A-77", 360002L, "phone"), fields, "mapped AI fields only; 'colour' is unmapped");
        JsonObject comment = ticket.getJsonObject("comment");
        assertFalse(comment.getBoolean("public"), "the transcript is an internal note");
        assertTrue(comment.getString("body").contains("View session in Parley: " + SharedParley.server().baseUrl()
                + "/console/sessions/" + sessionId), comment.getString("body"));
        assertTrue(comment.getString("body").contains("my parcel never arrived"), "the transcript is in the first comment");
        JsonObject requester = HandoffIT.json(wm.findAll(postRequestedFor(urlPathEqualTo(ZD + "/users/create_or_update"))
                .withRequestBody(containing("jane.doe@example.com"))).get(0)).getJsonObject("user");
        assertEquals("jane.doe@example.com", requester.getString("email"), "the email the customer wrote");
        Await.until(SharedParley.PATIENCE, () -> logs("zdesk").contains("colour"), "the unmapped field is logged");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(sms.session(me)).contains("HANDOFF_OPENED"), "opened");

        // While handed off, what the customer writes is added to the ticket as their public comment.
        sms.customerWrites(me, "any news?");
        LoggedRequest relay = Await.value(SharedParley.PATIENCE, () -> wm.findAll(putRequestedFor(urlPathEqualTo(ZD + "/tickets/" + ticketId))
                .withRequestBody(containing("any news?"))).stream().findFirst().orElse(null), "relayed comment");
        JsonObject relayed = HandoffIT.json(relay).getJsonObject("ticket").getJsonObject("comment");
        assertTrue(relayed.getBoolean("public"));
        assertEquals(555, relayed.getJsonNumber("author_id").intValue());

        // The agent answers publicly and writes an internal note; the trigger's webhook only says "ticket changed".
        ticketState(ticketId, sessionId, "open");
        comments(ticketId, "{\"id\":1,\"author_id\":9001,\"public\":false,\"body\":\"Transcript...\",\"plain_body\":\"Transcript...\",\"created_at\":\"" + Instant.now().minusSeconds(60) + "\"},"
                + "{\"id\":2,\"author_id\":555,\"public\":true,\"body\":\"any news?\",\"plain_body\":\"any news?\",\"created_at\":\"" + Instant.now().minusSeconds(30) + "\"},"
                + "{\"id\":3,\"author_id\":777,\"public\":false,\"body\":\"INTERNAL: VIP customer\",\"plain_body\":\"INTERNAL: VIP customer\",\"created_at\":\"" + Instant.now().minusSeconds(20) + "\"},"
                + "{\"id\":4,\"author_id\":777,\"public\":true,\"body\":\"Your parcel is on its way.\",\"plain_body\":\"Your parcel is on its way.\",\"created_at\":\"" + Instant.now().minusSeconds(10) + "\"}");
        wm.stubFor(get(urlPathEqualTo(ZD + "/users/777")).willReturn(okJson("{\"user\":{\"id\":777,\"name\":\"Dana\",\"role\":\"agent\"}}")));
        String hook = "{\"ticket_id\":\"" + ticketId + "\",\"external_id\":\"" + sessionId + "\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        long start = System.nanoTime();
        zendeskCalls("zdesk", hook, SharedParley.ZENDESK_HOOK_SECRET, Instant.now()).expect(200);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "answers well within Zendesk's 10 s");
        Await.until(SharedParley.PATIENCE, () -> sms.textsTo(me).contains("Your parcel is on its way."), "agent reply relayed");

        // The same comment delivered again (a second webhook call) reaches the customer once.
        int reads = wm.findAll(getRequestedFor(urlPathEqualTo(ZD + "/tickets/" + ticketId + "/comments"))).size();
        zendeskCalls("zdesk", hook, SharedParley.ZENDESK_HOOK_SECRET, Instant.now().plusSeconds(1)).expect(200);
        Await.until(SharedParley.PATIENCE, () -> wm.findAll(getRequestedFor(urlPathEqualTo(ZD + "/tickets/" + ticketId + "/comments"))).size() > reads,
                "second pull");
        sleep(1500);
        List<String> texts = sms.textsTo(me);
        assertEquals(1, texts.stream().filter("Your parcel is on its way."::equals).count(), texts.toString());
        assertFalse(texts.stream().anyMatch(t -> t.contains("VIP") || t.contains("Transcript") || t.equals("any news?")),
                "internal notes, Parley's own note and the customer's own comment never reach the customer: " + texts);

        // Solved in Zendesk: the session is resolved and the bot speaks again.
        ticketState(ticketId, sessionId, "solved");
        zendeskCalls("zdesk", hook.replace("\"open\"", "\"solved\"").replace("agent_comment", "solved"),
                SharedParley.ZENDESK_HOOK_SECRET, Instant.now()).expect(200);
        Await.until(SharedParley.PATIENCE, () -> "RESOLVED".equals(sms.session(me).getJsonObject("session").getString("state")), "resolved");
    }

    @Test
    void webhookCallsAreCheckedAndEveryRefusalSaysWhy() {
        // The documented test vector (secret used as-is, timestamp + body) passes the signature check: the
        // 400 is about the payload, which lacks external_id.
        Http.Response vector = SharedParley.anonymous().post("/channel/zvector/webhook/ticket", "{\"ticket_id\":\"123\"}",
                "application/json", Map.of("X-Zendesk-Webhook-Signature", "S7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=",
                        "X-Zendesk-Webhook-Signature-Timestamp", "2026-01-01T00:00:00Z"));
        assertEquals(400, vector.status(), vector.body());
        assertTrue(vector.body().contains("external_id"), vector.body());
        Http.Response altered = SharedParley.anonymous().post("/channel/zvector/webhook/ticket", "{\"ticket_id\":\"124\"}",
                "application/json", Map.of("X-Zendesk-Webhook-Signature", "S7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=",
                        "X-Zendesk-Webhook-Signature-Timestamp", "2026-01-01T00:00:00Z"));
        assertEquals(401, altered.status(), altered.body());

        String body = "{\"ticket_id\":\"999999\",\"external_id\":\"1\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        assertEquals(401, SharedParley.anonymous().post("/channel/zdesk/webhook/ticket", body, "application/json", Map.of()).status(),
                "unsigned");
        Http.Response stale = zendeskCalls("zdesk", body, SharedParley.ZENDESK_HOOK_SECRET, Instant.now().minus(1, ChronoUnit.HOURS));
        assertEquals(401, stale.status(), stale.body());
        Http.Response wrongSecret = zendeskCalls("zdesk", body, "not-the-secret", Instant.now());
        assertEquals(401, wrongSecret.status());
        assertFalse(wrongSecret.body().contains(SharedParley.ZENDESK_HOOK_SECRET));

        Http.Response noTicket = zendeskCalls("zdesk", "{\"external_id\":\"1\"}", SharedParley.ZENDESK_HOOK_SECRET, Instant.now());
        assertEquals(400, noTicket.status());
        assertTrue(noTicket.body().contains("ticket_id"), noTicket.body());
        Http.Response unknown = zendeskCalls("zdesk", body, SharedParley.ZENDESK_HOOK_SECRET, Instant.now());
        assertEquals(422, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("999999"), unknown.body());
        assertFalse(unknown.body().contains("Exception"), "no stack trace: " + unknown.body());
        Await.until(SharedParley.PATIENCE, () -> logs("zdesk").contains("999999"), "the unknown ticket is logged");
        assertEquals(404, zendeskCalls("nope", body, SharedParley.ZENDESK_HOOK_SECRET, Instant.now()).status());
    }

    @Test
    void anOutageAndARateLimitAreRetriedWithOneIdempotencyKeyAndOneTicket() {
        String me = "447911123502";
        String scenario = "zd-outage";
        wm.stubFor(post(urlPathEqualTo(ZD + "/tickets")).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("limited"));
        wm.stubFor(post(urlPathEqualTo(ZD + "/tickets")).inScenario(scenario).whenScenarioStateIs("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"TooManyRequests\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo(ZD + "/tickets")).inScenario(scenario).whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withHeader("x-idempotency-lookup", "miss").withBody("{\"ticket\":{\"id\":8201,\"status\":\"new\"}}")));
        sms.customerWrites(me, "my parcel never arrived, mail me: sam@example.com");
        long sessionId = Await.value(SharedParley.PATIENCE, () -> sms.latestSession(me).orElse(null), "session");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(sms.session(me)).contains("HANDOFF_OPENED"), "opened");
        List<LoggedRequest> posts = ticketPosts(sessionId);
        assertEquals(3, posts.size(), "503, 429, then 201");
        assertEquals(1, posts.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        assertEquals(1, posts.stream().map(LoggedRequest::getBodyAsString).distinct().count(), "the same request each time");
        long waited = Duration.between(posts.get(1).getLoggedDate().toInstant(), posts.get(2).getLoggedDate().toInstant()).toMillis();
        assertTrue(waited >= 900, "Retry-After: 1 honoured, waited " + waited + " ms");
    }

    @Test
    void aContactWithoutEmailGetsAClearHandoffErrorAndNoTicket() {
        String me = "447911123503";
        sms.customerWrites(me, "my parcel never arrived");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(sms.session(me)).contains("HANDOFF_FAILED"), "failed");
        String detail = Conversations.timelineEntry(sms.session(me), "HANDOFF_FAILED").orElseThrow().getString("detail");
        assertTrue(detail.contains("email"), detail);
        long sessionId = sms.latestSession(me).orElseThrow();
        assertTrue(ticketPosts(sessionId).isEmpty());
        List<String> texts = sms.textsTo(me);
        assertFalse(texts.stream().anyMatch(t -> t.contains("will reply here")), "never promised a human: " + texts);
    }

    @Test
    void helpCenterSyncKeepsOnlyPublishedUnrestrictedArticlesResumesFromItsCursorAndReconcilesDeletions() {
        // The sync at start (empty Help Center) has run, so the calls below are the only ones.
        Await.until(SharedParley.PATIENCE, () -> {
            JsonObject knowledge = admin.get("/api/connections/zdesk").json().getJsonObject("knowledge");
            return knowledge != null && knowledge.containsKey("lastRunAt");
        }, "the first sync ran");
        String first = "{\"articles\":[" + article(101, "Opening hours", "<p>We are open <b>9&ndash;17</b>.</p>", false, null)
                + "," + article(102, "Draft pricing", "<p>secret</p>", true, null)
                + "," + article(103, "Partner terms", "<p>partners only</p>", false, 42L)
                + "," + article(104, "Returns", "<p>30 days</p>", false, null)
                + "],\"next_page\":null,\"end_time\":1700000000,\"count\":4}";
        String second = "{\"articles\":[" + article(101, "Opening hours", "<p>old</p>", true, null)
                + "],\"next_page\":null,\"end_time\":1700000500,\"count\":1}";
        wm.stubFor(get(urlPathEqualTo(ZD + "/help_center/incremental/articles")).atPriority(4)
                .withQueryParam("start_time", equalTo("1700000000")).willReturn(okJson(second)));
        wm.stubFor(get(urlPathEqualTo(ZD + "/help_center/incremental/articles")).atPriority(5)
                .willReturn(okJson(first)));
        admin.post("/api/connections/zdesk/sync").expect(200);
        assertEquals(List.of("101", "104"), articleIds(), "draft and segment-restricted articles are not used");
        JsonObject view = admin.get("/api/connections/zdesk").json();
        assertEquals(2, view.getJsonObject("knowledge").getInt("articles"), view.toString());

        admin.post("/api/connections/zdesk/sync").expect(200);
        assertEquals(1, wm.findAll(getRequestedFor(urlPathEqualTo(ZD + "/help_center/incremental/articles"))
                .withQueryParam("start_time", equalTo("1700000000"))).size(), "the second sync starts at the stored cursor");
        assertEquals(List.of("104"), articleIds(), "unpublished since: removed");

        // 104 was deleted in Zendesk: the incremental export never says so; a full sync removes it.
        wm.stubFor(get(urlPathEqualTo(ZD + "/help_center/incremental/articles")).atPriority(3)
                .withQueryParam("start_time", equalTo("0")).willReturn(okJson("{\"articles\":["
                        + article(101, "Opening hours", "<p>old</p>", true, null) + "],\"next_page\":null,\"end_time\":1700000600,\"count\":1}")));
        admin.post("/api/connections/zdesk/sync?full=true").expect(200);
        assertEquals(List.of(), articleIds(), "a full sync drops what Zendesk no longer lists");
        Await.until(SharedParley.PATIENCE, () -> logs("zdesk").contains("Help Center sync (full)"), "sync logged");
    }

    @Test
    void theRateCapHoldsUnderABurstShared() throws Exception {
        InfobipSmsIT.awaitRunning(admin, "zburst");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> admin.withTimeout(Duration.ofSeconds(60)).post("/api/connections/zburst/verify")));
            }
            for (Future<Http.Response> f : calls) {
                f.get().expect(200);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Instant> at = wm.findAll(getRequestedFor(urlPathEqualTo(ZD + "/users/me"))).stream()
                .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
        assertTrue(at.size() >= 8, "every verify called Zendesk: " + at.size());
        for (int i = 3; i < at.size(); i++) {
            long gap = Duration.between(at.get(i - 3), at.get(i)).toMillis();
            assertTrue(gap >= 1900, "4 requests within " + gap + " ms: the cap of 3 per 2 s was exceeded");
        }
    }

    @Test
    void setupRegistersTheSignedWebhookAndTriggersAndUnregisterRemovesThem() {
        InfobipSmsIT.awaitRunning(admin, "zsetup");
        String hookId = "01HITSETUPWEBHOOK0000000000";
        String endpoint = SharedParley.server().baseUrl() + "/channel/zsetup/webhook/ticket";
        wm.stubFor(get(urlPathEqualTo(ZD + "/webhooks")).willReturn(okJson("{\"webhooks\":[]}")));
        wm.stubFor(post(urlPathEqualTo(ZD + "/webhooks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"webhook\":{\"id\":\"" + hookId + "\",\"endpoint\":\""
                        + endpoint + "\",\"status\":\"active\"}}")));
        wm.stubFor(get(urlPathEqualTo(ZD + "/webhooks/" + hookId)).willReturn(okJson("{\"webhook\":{\"id\":\"" + hookId
                + "\",\"endpoint\":\"" + endpoint + "\",\"status\":\"active\"}}")));
        wm.stubFor(get(urlPathEqualTo(ZD + "/webhooks/" + hookId + "/signing_secret"))
                .willReturn(okJson("{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-registered-secret\"}}")));
        String[][] triggers = {{"agent reply", "31"}, {"solved", "32"}, {"customer comment", "33"}};
        for (String[] t : triggers) {
            wm.stubFor(post(urlPathEqualTo(ZD + "/triggers")).withRequestBody(matchingJsonPath("$.trigger.title", containing(t[0])))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"trigger\":{\"id\":" + t[1] + "}}")));
            wm.stubFor(get(urlPathEqualTo(ZD + "/triggers/" + t[1])).willReturn(okJson("{\"trigger\":{\"id\":" + t[1]
                    + ",\"active\":true,\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + hookId + "\",\"{}\"]}]}}")));
            wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(ZD + "/triggers/" + t[1]))
                    .willReturn(aResponse().withStatus(204)));
        }
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(ZD + "/webhooks/" + hookId))
                .willReturn(aResponse().withStatus(204)));

        JsonObject before = admin.get("/api/connections/zsetup/setup").expect(200).json();
        assertFalse(before.getBoolean("complete"), before.toString());
        JsonObject registered = admin.post("/api/connections/zsetup/setup").expect(200).json();
        assertTrue(registered.getBoolean("complete"), registered.toString());
        JsonObject webhook = HandoffIT.json(wm.findAll(postRequestedFor(urlPathEqualTo(ZD + "/webhooks"))).get(0)).getJsonObject("webhook");
        assertEquals(endpoint, webhook.getString("endpoint"));
        assertTrue(webhook.getString("name").contains("itsetup"), "named per installation: " + webhook);
        assertEquals("conditional_ticket_events", webhook.getJsonArray("subscriptions").getString(0));
        List<LoggedRequest> created = wm.findAll(postRequestedFor(urlPathEqualTo(ZD + "/triggers")));
        assertEquals(3, created.size(), "agent reply, solved and (assist=true) customer comment");
        for (LoggedRequest r : created) {
            JsonObject trigger = HandoffIT.json(r).getJsonObject("trigger");
            assertTrue(trigger.getString("title").contains("itsetup"), trigger.getString("title"));
            String conditions = trigger.getJsonObject("conditions").toString();
            assertTrue(conditions.contains("parley_i_itsetup") || conditions.contains("parley_handed_off"), conditions);
            assertEquals(hookId, trigger.getJsonArray("actions").getJsonObject(0).getJsonArray("value").getString(0));
        }
        assertTrue(HandoffIT.json(created.stream().filter(r -> r.getBodyAsString().contains("agent reply")).findFirst().orElseThrow())
                .toString().contains("comment_is_public"), "only public comments are sent");
        JsonObject view = admin.get("/api/connections/zsetup").json();
        assertTrue(view.getJsonObject("setup").getBoolean("complete"), view.toString());
        assertFalse(view.toString().contains("zd-registered-secret"), "the signing secret is never shown");

        // Zendesk now signs with the registered webhook's secret, which Parley read and kept.
        String body = "{\"ticket_id\":\"424242\",\"external_id\":\"1\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        assertEquals(422, zendeskCalls("zsetup", body, "zd-registered-secret", Instant.now()).status(), "authentic, unknown ticket");

        JsonObject stopped = admin.post("/api/connections/zsetup/stop?unregister=true").expect(200).json();
        assertEquals("STOPPED", stopped.getString("state"), stopped.toString());
        for (String[] t : triggers) {
            wm.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo(ZD + "/triggers/" + t[1])));
        }
        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo(ZD + "/webhooks/" + hookId)));
        Await.until(SharedParley.PATIENCE, () -> logs("zsetup").toLowerCase().contains("unregister"), "logged");
        admin.post("/api/connections/zsetup/start").expect(200);
        InfobipSmsIT.awaitRunning(admin, "zsetup");
        assertFalse(admin.get("/api/connections/zsetup/setup").expect(200).json().getBoolean("complete"),
                "nothing left registered after unregister");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void ticketAccepted(long ticketId) {
        wm.stubFor(post(urlPathEqualTo(ZD + "/tickets")).atPriority(5)
                .withHeader("Authorization", equalTo(SharedParley.zendeskAuth()))
                .withHeader("Idempotency-Key", matching("parley-handoff-\\d+"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withHeader("x-idempotency-lookup", "miss")
                        .withBody("{\"ticket\":{\"id\":" + ticketId + ",\"status\":\"new\",\"requester_id\":555}}")));
        wm.stubFor(put(urlPathEqualTo(ZD + "/tickets/" + ticketId)).atPriority(5)
                .willReturn(okJson("{\"ticket\":{\"id\":" + ticketId + "}}")));
        wm.stubFor(put(urlPathEqualTo(ZD + "/tickets/" + ticketId + "/tags")).atPriority(5)
                .willReturn(okJson("{\"tags\":[]}")));
        ticketState(ticketId, 0, "new");
    }

    private void ticketState(long ticketId, long sessionId, String status) {
        wm.stubFor(get(urlPathEqualTo(ZD + "/tickets/" + ticketId)).atPriority(5)
                .willReturn(okJson("{\"ticket\":{\"id\":" + ticketId + ",\"status\":\"" + status + "\",\"requester_id\":555,"
                        + "\"external_id\":\"" + sessionId + "\",\"subject\":\"Handoff\",\"tags\":[\"parley_handed_off\",\"parley_i_itmain\"]}}")));
    }

    private void comments(long ticketId, String items) {
        wm.stubFor(get(urlPathEqualTo(ZD + "/tickets/" + ticketId + "/comments")).atPriority(5)
                .willReturn(okJson("{\"comments\":[" + items + "],\"next_page\":null,\"count\":4}")));
    }

    private List<LoggedRequest> ticketPosts(long sessionId) {
        return wm.findAll(postRequestedFor(urlPathEqualTo(ZD + "/tickets"))
                .withRequestBody(matchingJsonPath("$.ticket.external_id", equalTo(String.valueOf(sessionId)))));
    }

    static String article(long id, String title, String html, boolean draft, Long segment) {
        return "{\"id\":" + id + ",\"title\":\"" + title + "\",\"body\":\"" + html.replace("\"", "\\\"") + "\",\"locale\":\"en-us\","
                + "\"html_url\":\"https://acme.zendesk.com/hc/en-us/articles/" + id + "\",\"draft\":" + draft
                + ",\"user_segment_id\":" + segment + ",\"updated_at\":\"2023-11-14T22:13:20Z\"}";
    }

    private List<String> articleIds() {
        return admin.get("/api/knowledge/articles?source=zdesk").jsonArray().stream()
                .map(v -> v.asJsonObject().getString("articleId")).sorted().toList();
    }

    static List<String> strings(JsonArray a) {
        return a.stream().map(v -> ((jakarta.json.JsonString) v).getString()).toList();
    }

    static String logs(String connection) {
        return SharedParley.admin().get("/api/connections/" + connection + "/logs?limit=300").body();
    }

    /** A Zendesk webhook call: base64(HMAC-SHA256(secret, timestamp + body)). */
    static Http.Response zendeskCalls(String connection, String body, String secret, Instant at) {
        return zendeskCallsOn(connection, body, secret, at);
    }

    static Http.Response zendeskCallsOn(String connection, String body, String secret, Instant at) {
        String timestamp = at.truncatedTo(ChronoUnit.SECONDS).toString();
        return SharedParley.anonymous().post("/channel/" + connection + "/webhook/ticket", body, "application/json",
                Map.of("X-Zendesk-Webhook-Signature", sign(secret, timestamp + body),
                        "X-Zendesk-Webhook-Signature-Timestamp", timestamp));
    }

    static String sign(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
