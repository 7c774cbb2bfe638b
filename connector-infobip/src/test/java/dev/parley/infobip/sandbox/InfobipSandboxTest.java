package dev.parley.infobip.sandbox;

import dev.parley.spi.util.Jsons;
import dev.parley.infobip.FakeContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfobipSandboxTest {

    private static final Map<String, List<String>> AUTH = Map.of("authorization", List.of("App test-key"));
    private static final String DLR_URL = "https://parley.example/channel/sms1/webhook/dlr?token=tok123";

    private static final URI INBOUND = URI.create("https://parley.example/channel/sms1/webhook/sms");

    private record Post(URI url, String json, String authorization) {
    }

    private final FakeContext ctx = new FakeContext();
    private final LinkedBlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private volatile int postStatus = 200;
    private final InfobipSandbox sandbox = new InfobipSandbox(ctx, "test-key", "Parley", INBOUND, "infobip", "hook-pw",
            this::post);

    private int post(URI url, String json, String authorization) throws IOException {
        posts.add(new Post(url, json, authorization));
        if (postStatus < 0) throw new IOException("Connection refused");
        return postStatus;
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        ctx.shutdown();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(SandboxResponse r) {
        return (JsonObject) Jsons.parse(r.json());
    }

    private static String sendBody(String to) {
        return """
                {"messages":[{"sender":"Parley","destinations":[{"to":"%s","messageId":"ref-1"}],
                  "content":{"text":"Hi https://a.example"},
                  "webhooks":{"delivery":{"url":"%s","intermediateReport":true,"notify":true},
                              "contentType":"application/json","callbackData":"ref-1"}}],
                 "options":{"tracking":{"shortenUrl":true,"trackClicks":true,"trackingUrl":"https://t","removeProtocol":false}}}
                """.formatted(to, DLR_URL);
    }

    @Test
    void everyCallNeedsTheKey() {
        for (Map<String, List<String>> h : List.of(Map.<String, List<String>>of(),
                Map.of("Authorization", List.of("App wrong")), Map.of("Authorization", List.of("Basic test-key")),
                Map.of("Authorization", List.of("App ")))) {
            SandboxResponse r = sandbox.handle("GET", "/account/1/balance", h, new byte[0]);
            assertEquals(401, r.status());
            assertEquals("E401", json(r).getString("errorCode"));
        }
        assertEquals(200, sandbox.handle("GET", "/account/1/balance",
                Map.of("AUTHORIZATION", List.of("app test-key")), new byte[0]).status());
    }

    @Test
    void balance() {
        SandboxResponse r = sandbox.handle("GET", "/account/1/balance", AUTH, null);
        assertEquals(200, r.status());
        assertEquals(100.0, json(r).getJsonNumber("balance").doubleValue());
        assertEquals("EUR", json(r).getString("currency"));
    }

    @Test
    void unknownPathIsLegacy404() {
        SandboxResponse r = sandbox.handle("GET", "/sms/2/text/advanced", AUTH, null);
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", json(r).getJsonObject("requestError").getJsonObject("serviceException")
                .getString("messageId"));
    }

    @Test
    void sendValidates() {
        SandboxResponse r = sandbox.handle("POST", "/sms/3/messages", AUTH,
                b("{\"messages\":[{\"destinations\":[{\"to\":\"\"}],\"content\":{}}]}"));
        assertEquals(400, r.status());
        JsonObject body = json(r);
        assertEquals("E400", body.getString("errorCode"));
        assertEquals(List.of("messages[0].destinations[0].to", "messages[0].content.text"),
                body.getJsonArray("violations").stream().map(v -> v.asJsonObject().getString("property")).toList());
        assertEquals(400, sandbox.handle("POST", "/sms/3/messages", AUTH, b("{\"messages\":[]}")).status());
        assertEquals(400, sandbox.handle("POST", "/sms/3/messages", AUTH, b("nope")).status());
        assertEquals(0, json(sandbox.handle("GET", "/messages", AUTH, null)).getJsonArray("messages").size());
    }

    @Test
    void sendRecordsAnswersAndReportsDelivery() throws Exception {
        SandboxResponse r = sandbox.handle("POST", "/sms/3/messages", AUTH, b(sendBody("41793026727")));
        assertEquals(200, r.status());
        JsonObject m = json(r).getJsonArray("messages").getJsonObject(0);
        assertEquals("ref-1", m.getString("messageId"));
        assertEquals("PENDING_ACCEPTED", m.getJsonObject("status").getString("name"));
        assertEquals(1, m.getJsonObject("status").getInt("groupId"));
        assertEquals("41793026727", m.getString("destination"));
        assertNotNull(json(r).getString("bulkId"));

        JsonObject recorded = json(sandbox.handle("GET", "/messages", AUTH, null)).getJsonArray("messages").getJsonObject(0);
        assertEquals("41793026727", recorded.getString("to"));
        assertEquals("Parley", recorded.getString("sender"));
        assertEquals("Hi https://a.example", recorded.getString("text"));
        assertEquals(DLR_URL, recorded.getString("deliveryUrl"));
        assertEquals("https://t", recorded.getJsonObject("tracking").getString("trackingUrl"));
        assertEquals("2024-01-01T10:00:00.000+0000", recorded.getString("receivedAt"));

        Post post = posts.poll(5, TimeUnit.SECONDS);
        assertNotNull(post, "delivery report posted");
        assertEquals(URI.create(DLR_URL), post.url());
        JsonObject report = ((JsonObject) Jsons.parse(post.json())).getJsonArray("results").getJsonObject(0);
        assertEquals("ref-1", report.getString("messageId"));
        assertEquals("DELIVERED", report.getJsonObject("status").getString("groupName"));
        assertEquals("NO_ERROR", report.getJsonObject("error").getString("name"));
        assertEquals(1, report.getInt("messageCount"));
        assertNotNull(report.getString("doneAt"));
        waitUntil(() -> sandbox.pendingReports() == 0);

        assertEquals(200, sandbox.handle("DELETE", "/messages", AUTH, null).status());
        assertEquals(0, json(sandbox.handle("GET", "/messages", AUTH, null)).getJsonArray("messages").size());
    }

    @Test
    void failedReportPostIsLoggedWithoutToken() throws Exception {
        postStatus = -1;
        sandbox.handle("POST", "/sms/3/messages", AUTH, b(sendBody("41793026727")));
        assertNotNull(posts.poll(5, TimeUnit.SECONDS));
        waitUntil(() -> ctx.allLogs().contains("WARN SANDBOX: could not post"));
        assertFalse(ctx.allLogs().contains("tok123"), ctx.allLogs());
    }

    @Test
    void closeCancelsPendingReports() throws Exception {
        sandbox.handle("POST", "/sms/3/messages", AUTH, b(sendBody("41793026727")));
        assertEquals(1, sandbox.pendingReports());
        sandbox.close();
        assertEquals(0, sandbox.pendingReports());
        assertNull(posts.poll(600, TimeUnit.MILLISECONDS));
    }

    @Test
    void noReportWhenNotifyIsFalse() throws Exception {
        sandbox.handle("POST", "/sms/3/messages", AUTH, b(sendBody("41793026727").replace("\"notify\":true", "\"notify\":false")));
        assertEquals(0, sandbox.pendingReports());
    }

    // ---- the customer side ----------------------------------------------------------------------

    @Test
    void aCustomersTextIsPostedToTheInboundWebhookAsInfobipPostsIt() throws Exception {
        SandboxResponse r = sandbox.handle("POST", "/customer/+41793026727/text", AUTH, b("{\"text\":\"What are your hours?\"}"));
        assertEquals(200, r.status(), r.json());
        String messageId = json(r).getString("messageId");
        assertEquals(200, json(r).getInt("webhookStatus"));
        assertEquals(INBOUND.toString(), json(r).getString("webhook"));

        Post post = posts.poll(1, TimeUnit.SECONDS);
        assertNotNull(post, "inbound webhook posted");
        assertEquals(INBOUND, post.url());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(b("infobip:hook-pw")), post.authorization());
        JsonObject payload = (JsonObject) Jsons.parse(post.json());
        assertEquals(1, payload.getInt("messageCount"));
        assertEquals(0, payload.getInt("pendingMessageCount"));
        JsonObject result = payload.getJsonArray("results").getJsonObject(0);
        assertEquals(messageId, result.getString("messageId"));
        assertEquals("41793026727", result.getString("from"), "digits, no +, as Infobip sends them");
        assertEquals("Parley", result.getString("to"));
        assertEquals("What are your hours?", result.getString("text"));
        assertEquals("2024-01-01T10:00:00.000+0000", result.getString("receivedAt"));

        // Parley's own SMS webhook parser reads it as the customer's message.
        var events = dev.parley.infobip.webhook.SmsWebhooks.sms(b(post.json())).events();
        var received = (dev.parley.spi.InboundEvent.MessageReceived) events.get(0);
        assertEquals(List.of(messageId, "41793026727", "Parley", "What are your hours?"),
                List.of(received.providerMessageId(), received.from(), received.to(), received.text()));
        assertTrue(ctx.allLogs().contains("SANDBOX: customer SMS message " + messageId), ctx.allLogs());
    }

    @Test
    void aCustomersTextNeedsTheKeyANumberAndText() {
        assertEquals(401, sandbox.handle("POST", "/customer/41793026727/text", Map.of(), b("{\"text\":\"hi\"}")).status());
        for (String from : List.of("4179302672x", "+41 79 302 67 27", "123", "4179302672712345678")) {
            SandboxResponse r = sandbox.handle("POST", "/customer/" + from + "/text", AUTH, b("{\"text\":\"hi\"}"));
            assertEquals(400, r.status(), from);
            assertEquals("from", json(r).getJsonArray("violations").getJsonObject(0).getString("property"));
            assertTrue(json(r).getJsonArray("violations").getJsonObject(0).getString("violation").contains("international format"));
        }
        for (String body : List.of("{}", "{\"text\":\"  \"}", "{\"text\":5}", "{\"text\":\"" + "x".repeat(4097) + "\"}")) {
            SandboxResponse r = sandbox.handle("POST", "/customer/41793026727/text", AUTH, b(body));
            assertEquals(400, r.status(), body);
            assertEquals("text", json(r).getJsonArray("violations").getJsonObject(0).getString("property"), body);
        }
        assertEquals(400, sandbox.handle("POST", "/customer/41793026727/text", AUTH, b("not json")).status());
        assertEquals(405, sandbox.handle("GET", "/customer/41793026727/text", AUTH, null).status());
        assertEquals(404, sandbox.handle("POST", "/customer/41793026727/image", AUTH, b("{}")).status());
        assertTrue(posts.isEmpty(), "nothing was posted: " + posts);
    }

    @Test
    void aRefusedOrUnreachableWebhookIsA502WithTheReasonAndNoAuthWhenWebhookAuthIsOff() throws Exception {
        postStatus = 401;
        SandboxResponse refused = sandbox.handle("POST", "/customer/41793026727/text", AUTH, b("{\"text\":\"hi\"}"));
        assertEquals(502, refused.status());
        assertEquals(401, json(refused).getInt("webhookStatus"));
        assertEquals("Parley's inbound webhook answered HTTP 401", json(refused).getString("error"));
        postStatus = -1;
        SandboxResponse down = sandbox.handle("POST", "/customer/41793026727/text", AUTH, b("{\"text\":\"hi\"}"));
        assertEquals(502, down.status());
        assertEquals(0, json(down).getInt("webhookStatus"));
        posts.clear();

        postStatus = 200;
        try (InfobipSandbox open = new InfobipSandbox(ctx, "test-key", "Parley", INBOUND, "infobip", null, this::post)) {
            assertEquals(200, open.handle("POST", "/customer/41793026727/text", AUTH, b("{\"text\":\"hi\"}")).status());
            assertNull(posts.poll(1, TimeUnit.SECONDS).authorization(), "webhook-auth=none: no Authorization");
        }
        try (InfobipSandbox nowhere = new InfobipSandbox(ctx, "test-key", "Parley", null, "infobip", "pw", this::post)) {
            assertEquals(409, nowhere.handle("POST", "/customer/41793026727/text", AUTH, b("{\"text\":\"hi\"}")).status());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met in time");
            Thread.sleep(10);
        }
    }
}
