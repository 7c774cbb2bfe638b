package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Infobip SMS end to end through the real WAR on Payara Micro, Infobip stood in by WireMock: inbound
 * webhook, the agent's reply at Infobip's send API (exact path, auth header, JSON body), dedup, delivery
 * reports, the phone and length rules, link tracking, retries and the give-up cap.
 * Each test uses its own phone numbers, so tests never see each other's traffic.
 */
@ExtendWith(SharedParleyExtension.class)
class InfobipSmsIT {

    static final String WEBHOOK = "/channel/sms/webhook/";
    static final Map<String, String> INFOBIP_BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));
    static final Duration PATIENCE = SharedParley.PATIENCE;

    WireMockServer infobip;
    Http admin;
    Http anonymous;

    @BeforeEach
    void setUp(WireMockServer infobip, Http admin) {
        this.infobip = infobip;
        this.admin = admin;
        this.anonymous = SharedParley.anonymous();
        awaitRunning(admin, "sms");
    }

    static void awaitRunning(Http admin, String connection) {
        Await.until(Duration.ofSeconds(60), () -> "RUNNING".equals(
                admin.get("/api/connections/" + connection).json().getString("state")), connection + " RUNNING");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    static String inboundJson(String... messageIdFromText) {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < messageIdFromText.length; i += 3) {
            if (results.length() > 0) results.append(',');
            results.append(Json.createObjectBuilder()
                    .add("messageId", messageIdFromText[i]).add("from", messageIdFromText[i + 1])
                    .add("to", "447491163443").add("text", messageIdFromText[i + 2])
                    .add("cleanText", messageIdFromText[i + 2]).add("keyword", "")
                    .add("receivedAt", "2026-11-21T16:00:00.000+0000").add("smsCount", 1)
                    .add("price", Json.createObjectBuilder().add("pricePerMessage", 0).add("currency", "EUR"))
                    .build());
        }
        return "{\"results\":[" + results + "],\"messageCount\":" + messageIdFromText.length / 3
                + ",\"pendingMessageCount\":0}";
    }

    Http.Response postWebhook(String kind, String json) {
        return anonymous.post(WEBHOOK + kind, json, "application/json", INFOBIP_BASIC);
    }

    List<LoggedRequest> sendsTo(String digits) {
        return infobip.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(digits))));
    }

    static JsonObject body(LoggedRequest r) {
        return Json.createReader(new StringReader(r.getBodyAsString())).readObject();
    }

    static JsonObject firstMessage(LoggedRequest r) {
        return body(r).getJsonArray("messages").getJsonObject(0);
    }

    JsonObject session(String e164) {
        JsonArray sessions = admin.get("/api/sessions?connection=sms&contact=" + e164.replace("+", "%2B")).expect(200).jsonArray();
        assertEquals(1, sessions.size(), "one session for " + e164 + ": " + sessions);
        return admin.get("/api/sessions/" + sessions.getJsonObject(0).getJsonNumber("id").longValue()).expect(200).json();
    }

    JsonObject outboundMessage(String e164) {
        return session(e164).getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals("OUT")).findFirst().orElseThrow();
    }

    List<String> timelineKinds(String e164) {
        return session(e164).getJsonArray("timeline").stream().map(v -> v.asJsonObject().getString("kind")).toList();
    }

    LoggedRequest awaitOneSend(String digits) {
        return Await.value(PATIENCE, () -> sendsTo(digits).size() == 1 ? sendsTo(digits).get(0) : null,
                "one send to " + digits);
    }

    static void quietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- inbound -> reply ----------------------------------------------------------------------------

    @Test
    void anInboundSmsIsAnsweredThroughInfobipsSendApi() {
        Http.Response r = postWebhook("sms", inboundJson("in-1001", "41790001001", "What are your hours?")).expect(200);
        assertEquals(1, r.json().getInt("accepted"));

        LoggedRequest send = awaitOneSend("41790001001");
        assertEquals("App it-infobip-key", send.getHeader("Authorization"));
        assertTrue(send.getHeader("Content-Type").startsWith("application/json"), send.getHeader("Content-Type"));
        JsonObject m = firstMessage(send);
        assertEquals("InfoSMS", m.getString("sender"));
        assertEquals("We are open 9-17.", m.getJsonObject("content").getString("text"));
        JsonObject destination = m.getJsonArray("destinations").getJsonObject(0);
        assertFalse(destination.getString("messageId").isBlank(), "Parley sets its own message id");
        JsonObject delivery = m.getJsonObject("webhooks").getJsonObject("delivery");
        assertTrue(delivery.getString("url").startsWith(SharedParley.server().baseUrl() + "/channel/sms/webhook/dlr?token="),
                delivery.getString("url"));
        assertTrue(delivery.getBoolean("intermediateReport"));
        assertTrue(delivery.getBoolean("notify"));
        assertFalse(body(send).containsKey("options"), "no link, so no tracking options");

        Await.until(PATIENCE, () -> "SENT".equals(outboundMessage("+41790001001").getString("status")), "reply SENT");
        JsonObject session = session("+41790001001");
        assertEquals("it", session.getJsonObject("session").getString("agentId"));
        assertEquals("What are your hours?", session.getJsonArray("messages").getJsonObject(0).getString("text"));
    }

    @Test
    void everyResultOfABatchIsProcessedAndAMalformedOneDoesNotLoseTheOthers() {
        String batch = "{\"results\":["
                + inboundJson("in-2001", "41790002001", "hi").replaceAll("^\\{\"results\":\\[|\\],\"messageCount.*$", "") + ","
                + "{\"from\":\"41790002002\",\"text\":\"no message id\"},"
                + inboundJson("in-2003", "41790002003", "hours?").replaceAll("^\\{\"results\":\\[|\\],\"messageCount.*$", "")
                + "],\"messageCount\":3,\"pendingMessageCount\":0}";
        Http.Response r = postWebhook("sms", batch).expect(200);
        assertEquals(2, r.json().getInt("accepted"), r.body());
        assertEquals(1, r.json().getJsonArray("skipped").size(), r.body());

        awaitOneSend("41790002001");
        awaitOneSend("41790002003");
        assertEquals("We are open 9-17.", firstMessage(sendsTo("41790002003").get(0)).getJsonObject("content").getString("text"));
        assertEquals(0, sendsTo("41790002002").size());
        // Skips are folded into the connection's current burst of rejections, rewritten within a sweep.
        Await.until(Duration.ofSeconds(10), () -> admin.get("/api/connections/sms/logs").expect(200).body()
                .contains("results[1]"), "the skipped item is in the connection log");
    }

    @Test
    void aDuplicateDeliveryIsIgnored() {
        String json = inboundJson("in-3001", "41790003001", "hello");
        assertEquals(1, postWebhook("sms", json).expect(200).json().getInt("accepted"));
        awaitOneSend("41790003001");
        Http.Response again = postWebhook("sms", json).expect(200);
        assertEquals(0, again.json().getInt("accepted"));
        assertEquals(1, again.json().getInt("duplicates"));
        quietly(2000);
        assertEquals(1, sendsTo("41790003001").size(), "one reply");
        long inbound = session("+41790003001").getJsonArray("messages").stream()
                .filter(m -> m.asJsonObject().getString("direction").equals("IN")).count();
        assertEquals(1, inbound, "one session message");
    }

    @Test
    void duplicatesArrivingAtTheSameMomentGiveOneReply() throws Exception {
        String json = inboundJson("in-4001", "41790004001", "hello");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> postWebhook("sms", json), pool));
            }
            int accepted = 0;
            for (CompletableFuture<Http.Response> c : calls) {
                Http.Response r = c.get();
                assertEquals(200, r.status(), r.toString());
                accepted += r.json().getInt("accepted");
            }
            assertEquals(1, accepted, "exactly one of the concurrent deliveries is accepted");
        } finally {
            pool.shutdownNow();
        }
        awaitOneSend("41790004001");
        quietly(2000);
        assertEquals(1, sendsTo("41790004001").size(), "one reply");
    }

    // ---- authentication ------------------------------------------------------------------------------

    @Test
    void webhooksWithoutTheRightCredentialsAre401AndStoreNothing() {
        String json = inboundJson("in-5001", "41790005001", "hello");
        Http.Response missing = anonymous.post(WEBHOOK + "sms", json, "application/json", Map.of());
        assertEquals(401, missing.status());
        Http.Response wrong = anonymous.post(WEBHOOK + "sms", json, "application/json", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("infobip:guess".getBytes(StandardCharsets.UTF_8))));
        assertEquals(401, wrong.status());
        assertTrue(wrong.json().getString("error").contains("credentials"), wrong.body());
        assertFalse(wrong.body().contains("it-hook-secret"));
        quietly(1000);
        assertEquals(0, sendsTo("41790005001").size());
        assertEquals(0, admin.get("/api/sessions?contact=%2B41790005001").jsonArray().size());
        // The same message with the right credentials is then accepted: the 401s claimed nothing.
        assertEquals(1, postWebhook("sms", json).expect(200).json().getInt("accepted"));
    }

    @Test
    void unknownConnectionsAndGarbageAnswerClearly() {
        Http.Response unknown = anonymous.post("/channel/nope/webhook/sms", "{}", "application/json", INFOBIP_BASIC);
        assertEquals(404, unknown.status());
        Http.Response garbage = postWebhook("sms", "this is not json");
        assertEquals(400, garbage.status());
        assertFalse(garbage.body().contains("Exception"), "no stack trace: " + garbage.body());
        assertTrue(garbage.json().containsKey("error"));
    }

    // ---- delivery reports ----------------------------------------------------------------------------

    static String dlr(String messageId, int groupId, String groupName, String name, String errorName, int errorGroupId) {
        return "{\"results\":[{\"bulkId\":\"b\",\"messageId\":\"" + messageId + "\",\"to\":\"41790006001\","
                + "\"sentAt\":\"2026-11-21T16:00:00.000+0000\",\"doneAt\":\"2026-11-21T16:00:05.000+0000\",\"smsCount\":1,"
                + "\"status\":{\"groupId\":" + groupId + ",\"groupName\":\"" + groupName + "\",\"id\":5,\"name\":\"" + name
                + "\",\"description\":\"d\"},"
                + "\"error\":{\"groupId\":" + errorGroupId + ",\"groupName\":\"x\",\"id\":1,\"name\":\"" + errorName
                + "\",\"description\":\"" + errorName.toLowerCase() + " happened\",\"permanent\":true}}]}";
    }

    @Test
    void deliveryReportsMoveTheStatusForwardOnly() {
        postWebhook("sms", inboundJson("in-6001", "41790006001", "hello")).expect(200);
        String messageId = firstMessage(awaitOneSend("41790006001")).getJsonArray("destinations").getJsonObject(0).getString("messageId");
        Await.until(PATIENCE, () -> "SENT".equals(outboundMessage("+41790006001").getString("status")), "SENT");

        postWebhook("dlr", dlr(messageId, 3, "DELIVERED", "DELIVERED_TO_HANDSET", "NO_ERROR", 0)).expect(200);
        assertEquals("DELIVERED", outboundMessage("+41790006001").getString("status"));
        // A late intermediate report must not move it back.
        postWebhook("dlr", dlr(messageId, 1, "PENDING", "PENDING_ENROUTE", "NO_ERROR", 0)).expect(200);
        assertEquals("DELIVERED", outboundMessage("+41790006001").getString("status"));
        assertTrue(timelineKinds("+41790006001").contains("STATUS_IGNORED"), "the ignored report is visible");
    }

    @Test
    void aFailedDeliveryKeepsTheProvidersErrorAndOutOfOrderReportsSettleRight() {
        postWebhook("sms", inboundJson("in-7001", "41790007001", "hello")).expect(200);
        String messageId = firstMessage(awaitOneSend("41790007001")).getJsonArray("destinations").getJsonObject(0).getString("messageId");
        // The final report arrives before the intermediate one.
        postWebhook("dlr", dlr(messageId, 2, "UNDELIVERABLE", "UNDELIVERABLE_NOT_DELIVERED", "EC_ABSENT_SUBSCRIBER", 1)).expect(200);
        postWebhook("dlr", dlr(messageId, 1, "PENDING", "PENDING_ENROUTE", "NO_ERROR", 0)).expect(200);
        JsonObject m = outboundMessage("+41790007001");
        assertEquals("UNDELIVERABLE", m.getString("status"));
        assertTrue(m.getString("error").contains("EC_ABSENT_SUBSCRIBER"), m.toString());
    }

    @Test
    void reportsMayAuthenticateWithTheTokenInTheCallbackUrl() {
        postWebhook("sms", inboundJson("in-8001", "41790008001", "hello")).expect(200);
        JsonObject m = firstMessage(awaitOneSend("41790008001"));
        String url = m.getJsonObject("webhooks").getJsonObject("delivery").getString("url");
        String pathAndQuery = url.substring(SharedParley.server().baseUrl().length());
        String messageId = m.getJsonArray("destinations").getJsonObject(0).getString("messageId");
        String report = dlr(messageId, 3, "DELIVERED", "DELIVERED_TO_HANDSET", "NO_ERROR", 0);

        assertEquals(401, anonymous.post(pathAndQuery.replaceAll("token=[^&]*", "token=forged"), report, "application/json", Map.of()).status());
        assertEquals(401, anonymous.post(WEBHOOK + "sms?" + pathAndQuery.substring(pathAndQuery.indexOf("token")),
                inboundJson("in-8002", "41790008002", "x"), "application/json", Map.of()).status(), "the token is for reports only");
        anonymous.post(pathAndQuery, report, "application/json", Map.of()).expect(200);
        Await.until(PATIENCE, () -> "DELIVERED".equals(outboundMessage("+41790008001").getString("status")), "DELIVERED");
    }

    // ---- outbound rules ------------------------------------------------------------------------------

    @Test
    void longMessagesAreCutTo1600CharactersEndingWithAnEllipsis() {
        String text = "x".repeat(1700);
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790009001").add("text", text).build())
                .expect(202);
        String sent = firstMessage(awaitOneSend("41790009001")).getJsonObject("content").getString("text");
        assertEquals(1600, sent.length());
        assertTrue(sent.endsWith("..."));
        assertEquals("x".repeat(1597), sent.substring(0, 1597));
    }

    @Test
    void aTemplateSendToSmsIsRefusedBeforeAnythingIsQueued() {
        Http.Response r = admin.postJson("/api/connections/sms/messages", "{\"to\":\"+41790009101\",\"template\":"
                + "{\"name\":\"order_update\",\"language\":\"en\",\"placeholders\":[\"Ada\"]}}");
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.json().getString("error").contains("does not send templates"), r.body());
        for (String bad : List.of("{\"to\":\"+41790009101\",\"template\":{\"name\":\"x\"}}",
                "{\"to\":\"+41790009101\",\"text\":\"hi\",\"template\":{\"name\":\"x\",\"language\":\"en\"}}",
                "{\"to\":\"+41790009101\",\"template\":{\"name\":\"x\",\"language\":\"en\",\"placeholders\":[1]}}",
                "{\"to\":\"+41790009101\",\"template\":\"x\"}")) {
            Http.Response refused = admin.postJson("/api/connections/sms/messages", bad);
            assertEquals(400, refused.status(), bad + " -> " + refused);
        }
        assertEquals(0, admin.get("/api/sessions?contact=%2B41790009101").jsonArray().size(), "nothing queued");
    }

    @Test
    void recipientsWithSpacesDashesOrParenthesesAreRefusedAndNotSent() {
        for (String bad : List.of("123-456-7890", "(123) 456-7890", "+41 79 000 10 02")) {
            Http.Response r = admin.postJson("/api/connections/sms/messages",
                    Json.createObjectBuilder().add("to", bad).add("text", "hi").build());
            assertEquals(400, r.status(), bad + " -> " + r);
            assertTrue(r.json().getString("error").contains("international format"), r.body());
        }
        // Digits without '+' are fine; the '+' is added.
        Http.Response ok = admin.postJson("/api/connections/sms/messages",
                Json.createObjectBuilder().add("to", "41790010001").add("text", "hi").build()).expect(202);
        assertEquals("QUEUED", ok.json().getString("status"));
        assertEquals("41790010001", firstMessage(awaitOneSend("41790010001")).getJsonArray("destinations").getJsonObject(0).getString("to"));
        assertEquals(1, admin.get("/api/sessions?contact=%2B41790010001").jsonArray().size());
        quietly(500);
        assertTrue(infobip.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("1234567890")))).isEmpty());
    }

    @Test
    void linksAreShortenedAndTrackedOnTheCustomDomainAndClicksReachTheLog() {
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790011001")
                .add("text", "See https://example.com/offer for details").build()).expect(202);
        LoggedRequest send = awaitOneSend("41790011001");
        JsonObject tracking = body(send).getJsonObject("options").getJsonObject("tracking");
        assertTrue(tracking.getBoolean("shortenUrl"));
        assertTrue(tracking.getBoolean("trackClicks"));
        assertEquals("sho.rt", tracking.getString("customDomain"));
        String trackingUrl = tracking.getString("trackingUrl");
        assertTrue(trackingUrl.contains("/channel/sms/webhook/click?token="), trackingUrl);

        String messageId = firstMessage(send).getJsonArray("destinations").getJsonObject(0).getString("messageId");
        String click = "{\"notificationType\":\"CLICKED\",\"recipient\":\"41790011001\",\"url\":\"https://example.com/offer\","
                + "\"sendDateTime\":1795292000000,\"messageId\":\"" + messageId + "\",\"bulkId\":\"b\",\"callbackData\":\"x\"}";
        anonymous.post(trackingUrl.substring(SharedParley.server().baseUrl().length()), click, "application/json", Map.of()).expect(200);
        String logs = admin.get("/api/connections/sms/logs").expect(200).body();
        assertTrue(logs.contains("link clicked: https://example.com/offer"), logs);
        assertTrue(timelineKinds("+41790011001").contains("LINK_CLICKED"));
    }

    // ---- provider failures ---------------------------------------------------------------------------

    @Test
    void a429IsRetriedAfterRetryAfterAndTheMessageIsSentOnce() {
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("41790012001")))
                .inScenario("throttled").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\",\"action\":\"\",\"violations\":[],\"resources\":[]}")));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790012001").add("text", "hi").build())
                .expect(202);
        Await.until(PATIENCE, () -> "SENT".equals(outboundMessage("+41790012001").getString("status")), "SENT after the 429");
        List<LoggedRequest> sends = sendsTo("41790012001");
        assertEquals(2, sends.size(), "one throttled attempt, one accepted");
        Duration gap = Duration.between(sends.get(0).getLoggedDate().toInstant(), sends.get(1).getLoggedDate().toInstant());
        assertTrue(gap.toMillis() >= 950, "Retry-After: 1 honoured, waited " + gap);
        List<String> kinds = timelineKinds("+41790012001");
        assertTrue(kinds.contains("SEND_RETRY") && kinds.contains("SENT"), kinds.toString());
        quietly(1500);
        assertEquals(2, sendsTo("41790012001").size(), "nothing sent after the success");
    }

    @Test
    void a500ForeverEndsFailedAfterTheCapWithTheProvidersErrorVisible() {
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("41790013001")))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"GENERAL_ERROR\",\"text\":\"Something went wrong\"}}}")));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790013001").add("text", "hi").build())
                .expect(202);
        JsonObject m = Await.value(PATIENCE, () -> {
            JsonObject o = outboundMessage("+41790013001");
            return "FAILED".equals(o.getString("status")) ? o : null;
        }, "FAILED after the cap");
        assertEquals(3, sendsTo("41790013001").size(), "parley.outbox.max-attempts=3 in the shared config");
        assertTrue(m.getString("error").contains("Something went wrong"), m.toString());
        assertTrue(m.getString("error").contains("3 attempts"), m.toString());
        quietly(1500);
        assertEquals(3, sendsTo("41790013001").size(), "no attempt after giving up");
    }

    @Test
    void aRefusedMessageFailsAtOnceWithoutRetry() {
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("41790014001")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":\"E400\",\"description\":\"Request cannot be processed.\",\"action\":\"Check the syntax\","
                                + "\"violations\":[{\"property\":\"messages[0].content.text\",\"violation\":\"must not be blank\"}],\"resources\":[]}")));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790014001").add("text", "hi").build())
                .expect(202);
        JsonObject m = Await.value(PATIENCE, () -> {
            JsonObject o = outboundMessage("+41790014001");
            return "FAILED".equals(o.getString("status")) ? o : null;
        }, "FAILED");
        assertTrue(m.getString("error").contains("must not be blank"), m.toString());
        quietly(1000);
        assertEquals(1, sendsTo("41790014001").size(), "a 400 is not retried");
    }

    @Test
    void aConnectionWithoutAgentStillSendsButDoesNotAnswer() {
        awaitRunning(admin, "outonly");
        Http.Response r = admin.postJson("/api/connections/outonly/messages",
                Json.createObjectBuilder().add("to", "+41790015001").add("text", "campaign").build()).expect(202);
        assertTrue(r.json().getJsonNumber("messageId").longValue() > 0);
        awaitOneSend("41790015001");
        anonymous.post("/channel/outonly/webhook/sms", inboundJson("in-15002", "41790015002", "hello"), "application/json",
                INFOBIP_BASIC).expect(200);
        quietly(1500);
        assertEquals(0, sendsTo("41790015002").size(), "no agent, no reply");
        JsonArray sessions = admin.get("/api/sessions?connection=outonly&contact=%2B41790015002").jsonArray();
        assertEquals(1, sessions.size(), "the inbound message is still kept");
        JsonObject s = sessions.getJsonObject(0);
        assertTrue(!s.containsKey("agentId") || s.isNull("agentId"), "no agent on the session: " + s);
    }
}
