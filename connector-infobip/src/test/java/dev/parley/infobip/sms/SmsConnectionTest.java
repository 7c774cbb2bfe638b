package dev.parley.infobip.sms;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.FakeResponse;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.spi.util.Jsons;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsConnectionTest {

    private static final String KEY = "sk-test-key-123456";
    private static final String E401 = """
            {"errorCode":"E401","description":"The request lacks valid authentication credentials for the requested resource.",
             "action":"Check the resources and adjust authentication credentials.","violations":[],"resources":[]}""";
    private static final String LEGACY_401 =
            "{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Unauthorized\"}}}";
    private static final String E403 = """
            {"errorCode":"E403","description":"Insufficient permissions to access the requested resource.",
             "action":"x","violations":[],"resources":[{"name":"API Scopes","url":"https://x"}]}""";
    private static final String SENT = """
            {"bulkId":"2034072219640523072","messages":[{"messageId":"2250be2d4219-abc",
              "status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED",
                        "description":"Message sent to next instance"},
              "destination":"41793026727","details":{"messageCount":1}}]}""";

    private final FakeApi api = new FakeApi();

    private Connection open(FakeContext ctx) {
        api.into(ctx);
        return new InfobipSmsConnector().open(ctx);
    }

    private Connection open() {
        return open(FakeContext.valid());
    }

    private static void noSecrets(Throwable e) {
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.getMessage().contains("hook-secret-pw"), e.getMessage());
    }

    // ---- verify -------------------------------------------------------------------------------

    @Test
    void verifyOk() {
        FakeContext ctx = FakeContext.valid();
        api.answer(200, "{\"balance\":12.5,\"currency\":\"EUR\"}").answer(200, "{\"results\":[]}");
        assertEquals("Infobip account reachable at acme.api.infobip.com; balance 12.5 EUR", open(ctx).verify());
        assertEquals("App " + KEY, api.calls.get(0).authorization());
        assertEquals(List.of("balance", "logs?limit=1"), api.calls.stream().map(FakeApi.Call::method).toList());
        assertFalse(ctx.allLogs().contains("WARN"), ctx.allLogs());
    }

    @Test
    void verifyOkWarnsWhenTheKeyCannotReadSmsLogs() {
        FakeContext ctx = FakeContext.valid();
        api.answer(200, "{\"balance\":12.5,\"currency\":\"EUR\"}").answer(403, E403);
        assertEquals("Infobip account reachable at acme.api.infobip.com; balance 12.5 EUR", open(ctx).verify());
        assertTrue(ctx.logs.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("sms:logs:read")
                && l.contains("at least once")), ctx.allLogs());
    }

    @Test
    void verifyOkIgnoresOtherSmsLogsFailures() {
        FakeContext ctx = FakeContext.valid();
        api.answer(200, "{\"balance\":1,\"currency\":\"EUR\"}").answer(503, "")
                .answer(200, "{\"balance\":1,\"currency\":\"EUR\"}").answer(() -> {
                    throw new ProcessingException(new ConnectException("Connection refused"));
                });
        Connection c = open(ctx);
        assertTrue(c.verify().startsWith("Infobip account reachable"));
        assertTrue(c.verify().startsWith("Infobip account reachable"));
        assertFalse(ctx.allLogs().contains("WARN"), ctx.allLogs());
    }

    @Test
    void diagnoseIsTheKeyCheckAsAFindingWithoutLogging() {
        FakeContext ctx = FakeContext.valid();
        api.answer(200, "{\"balance\":12.5,\"currency\":\"EUR\"}").answer(401, E401);
        Connection c = open(ctx);
        List<dev.parley.spi.Finding> ok = ((dev.parley.spi.Diagnosable) c).diagnose();
        assertEquals(List.of(dev.parley.spi.Finding.ok("sms.api-key",
                "Infobip account reachable at acme.api.infobip.com; balance 12.5 EUR")), ok);
        assertEquals(List.of("balance"), api.calls.stream().map(FakeApi.Call::method).toList(), "no logs probe");
        List<dev.parley.spi.Finding> refused = ((dev.parley.spi.Diagnosable) c).diagnose();
        assertEquals(dev.parley.spi.Finding.Severity.ERROR, refused.get(0).severity());
        assertTrue(refused.get(0).cause().startsWith("Infobip rejected the API key (401"), refused.toString());
        assertFalse(refused.toString().contains(KEY), refused.toString());
        assertFalse(ctx.allLogs().contains("WARN"), ctx.allLogs());
    }

    @Test
    void verify401LegacyAndNewStyle() {
        api.answer(401, LEGACY_401).answer(401, E401);
        Connection c = open();
        PermanentException legacy = assertThrows(PermanentException.class, c::verify);
        assertEquals("Infobip rejected the API key (401 UNAUTHORIZED: Unauthorized); check api-key and base-url",
                legacy.getMessage());
        PermanentException modern = assertThrows(PermanentException.class, c::verify);
        assertTrue(modern.getMessage().startsWith("Infobip rejected the API key (401 E401: The request lacks"),
                modern.getMessage());
        noSecrets(modern);
    }

    @Test
    void verify403FallsBackToSmsLogs() {
        api.answer(403, E403).answer(200, "{\"results\":[]}");
        String line = open().verify();
        assertTrue(line.contains("acme.api.infobip.com"), line);
        assertEquals(List.of("balance", "logs?limit=1"), api.calls.stream().map(FakeApi.Call::method).toList());
    }

    @Test
    void verify403Twice_okButWarns() {
        FakeContext ctx = FakeContext.valid();
        api.answer(403, E403).answer(403, E403);
        String line = open(ctx).verify();
        assertTrue(line.contains("not confirmed"), line);
        assertTrue(ctx.logs.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("send scope")), ctx.allLogs());
    }

    @Test
    void verifyRetryableOn5xxAnd429() {
        api.answer(() -> new FakeResponse(503, "").header("Retry-After", "30"))
                .answer(429, "{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\"}");
        Connection c = open();
        RetryableException e = assertThrows(RetryableException.class, c::verify);
        assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        RetryableException r = assertThrows(RetryableException.class, c::verify);
        assertTrue(r.getMessage().contains("E429: Too many requests sent."), r.getMessage());
    }

    @Test
    void verifyNetworkErrorNamesHostNotKey() {
        api.answer(() -> {
            throw new ProcessingException(new ConnectException("Connection refused"));
        });
        RetryableException e = assertThrows(RetryableException.class, open()::verify);
        assertTrue(e.getMessage().contains("acme.api.infobip.com"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        noSecrets(e);
    }

    @Test
    void verifyOther4xxIsPermanent() {
        api.answer(404, "{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Not found\"}}}");
        PermanentException e = assertThrows(PermanentException.class, open()::verify);
        assertTrue(e.getMessage().contains("HTTP 404 NOT_FOUND: Not found"), e.getMessage());
    }

    // ---- send ---------------------------------------------------------------------------------

    private SendReceipt send(Connection c, String to, String text) {
        return ((Channel) c).send(new OutboundMessage("ref-1", to, text));
    }

    @Test
    void sendPostsTheV3BodyWithTokenUrls() {
        api.answer(200, SENT);
        Connection c = open();
        SendReceipt receipt = send(c, "+41793026727", "Hi, see https://shop.example/x");
        assertEquals(new SendReceipt("2250be2d4219-abc", DeliveryStatus.SENT, "PENDING_ACCEPTED"), receipt);

        FakeApi.Call call = api.calls.get(0);
        assertEquals("App " + KEY, call.authorization());
        JsonObject body = (JsonObject) Jsons.parse(call.body());
        JsonObject m = body.getJsonArray("messages").getJsonObject(0);
        assertEquals("Parley", m.getString("sender"));
        assertEquals("41793026727", m.getJsonArray("destinations").getJsonObject(0).getString("to"));
        assertEquals("ref-1", m.getJsonArray("destinations").getJsonObject(0).getString("messageId"));
        String dlr = m.getJsonObject("webhooks").getJsonObject("delivery").getString("url");
        assertEquals("https://parley.example/channel/sms1/webhook/dlr?token="
                + WebhookAuth.token("hook-secret-pw", "sms1", "dlr"), dlr);
        assertEquals("https://parley.example/channel/sms1/webhook/click?token="
                        + WebhookAuth.token("hook-secret-pw", "sms1", "click"),
                body.getJsonObject("options").getJsonObject("tracking").getString("trackingUrl"));
        assertFalse(call.body().contains("hook-secret-pw"));
    }

    @Test
    void sendWithoutWebhookAuthHasNoToken() {
        api.answer(200, SENT);
        send(open(FakeContext.valid().with("webhook-auth", "none").with("webhook-password", null)
                .with("env.INFOBIP_SHORT_DOMAIN", "https://go.example.com/")), "41793026727", "www.example.com");
        JsonObject body = (JsonObject) Jsons.parse(api.calls.get(0).body());
        assertEquals("https://parley.example/channel/sms1/webhook/dlr", body.getJsonArray("messages").getJsonObject(0)
                .getJsonObject("webhooks").getJsonObject("delivery").getString("url"));
        assertEquals("go.example.com", body.getJsonObject("options").getJsonObject("tracking").getString("customDomain"));
    }

    @Test
    void sendTruncatesLongText() {
        api.answer(200, SENT);
        send(open(), "41793026727", "x".repeat(2000));
        JsonObject body = (JsonObject) Jsons.parse(api.calls.get(0).body());
        assertEquals(1600, body.getJsonArray("messages").getJsonObject(0).getJsonObject("content")
                .getString("text").length());
    }

    @Test
    void sendFallsBackToReferenceWithoutMessageId() {
        api.answer(200, "");
        assertEquals("ref-1", send(open(), "41793026727", "hi").providerMessageId());
    }

    @Test
    void sendRejectedStatusIsPermanent() {
        api.answer(200, """
                {"messages":[{"messageId":"m","status":{"groupId":5,"groupName":"REJECTED","id":12,
                  "name":"REJECTED_NOT_ENOUGH_CREDITS","description":"Not enough credits"}}]}""");
        PermanentException e = assertThrows(PermanentException.class, () -> send(open(), "41793026727", "hi"));
        assertTrue(e.getMessage().contains("REJECTED_NOT_ENOUGH_CREDITS") && e.getMessage().contains("Not enough credits"),
                e.getMessage());
    }

    @Test
    void send429HonoursRetryAfter() {
        api.answer(() -> new FakeResponse(429, "{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\"}")
                .header("Retry-After", "Mon, 01 Jan 2024 10:00:42 GMT"));
        RetryableException e = assertThrows(RetryableException.class, () -> send(open(), "41793026727", "hi"));
        assertEquals(Duration.ofSeconds(42), e.retryAfter().orElseThrow());
        assertTrue(e.getMessage().contains("Infobip") && e.getMessage().contains("HTTP 429")
                && e.getMessage().contains("Too many requests sent."), e.getMessage());
    }

    @Test
    void send429IsLeftToTheOutboxEvenWithAShortRetryAfter() {
        // The outbox retries it no sooner than the Retry-After, counts the attempt and shows it in the timeline.
        api.answer(() -> new FakeResponse(429, "{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\"}")
                .header("Retry-After", "1")).answer(200, SENT);
        RetryableException e = assertThrows(RetryableException.class, () -> send(open(), "41793026727", "hi"));
        assertEquals(Duration.ofSeconds(1), e.retryAfter().orElseThrow());
        assertEquals(1, api.calls.size());
    }

    @Test
    void verifyWaitsOutAShortRateLimitInLine() {
        // A read: a brief throttle must not fail the connection's start (ERROR, then a restart later).
        api.answer(() -> new FakeResponse(429, "").header("Retry-After", "0"))
                .answer(200, "{\"balance\":1,\"currency\":\"EUR\"}").answer(200, "{\"results\":[]}");
        assertTrue(open().verify().contains("balance 1 EUR"));
        assertEquals(List.of("balance", "balance", "logs?limit=1"), api.calls.stream().map(FakeApi.Call::method).toList());
    }

    @Test
    void send5xxAndNetworkAreRetryable() {
        api.answer(502, "<html>bad gateway</html>").answer(() -> {
            throw new ProcessingException("java.net.SocketTimeoutException: Read timed out");
        });
        Connection c = open();
        RetryableException e = assertThrows(RetryableException.class, () -> send(c, "41793026727", "hi"));
        assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
        assertTrue(e.retryAfter().isEmpty());
        assertThrows(RetryableException.class, () -> send(c, "41793026727", "hi"));
    }

    @Test
    void send4xxIsPermanentWithProviderText() {
        api.answer(400, """
                {"errorCode":"E400","description":"Request cannot be processed.","action":"x",
                 "violations":[{"property":"messages[0].content.text","violation":"must not be blank"}],"resources":[]}""")
                .answer(401, LEGACY_401).answer(403, E403)
                .answer(400, """
                        {"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request",
                         "validationErrors":{"content.text":["size must be between 1 and 4096"]}}}}""");
        Connection c = open();
        PermanentException bad = assertThrows(PermanentException.class, () -> send(c, "41793026727", "hi"));
        assertTrue(bad.getMessage().contains("Infobip") && bad.getMessage().contains("HTTP 400 E400")
                && bad.getMessage().contains("messages[0].content.text: must not be blank"), bad.getMessage());
        PermanentException auth = assertThrows(PermanentException.class, () -> send(c, "41793026727", "hi"));
        assertTrue(auth.getMessage().contains("HTTP 401 UNAUTHORIZED: Unauthorized"), auth.getMessage());
        PermanentException scope = assertThrows(PermanentException.class, () -> send(c, "41793026727", "hi"));
        assertTrue(scope.getMessage().contains("HTTP 403 E403"), scope.getMessage());
        PermanentException legacy = assertThrows(PermanentException.class, () -> send(c, "41793026727", "hi"));
        assertTrue(legacy.getMessage().contains("content.text: size must be between 1 and 4096"), legacy.getMessage());
        noSecrets(legacy);
    }

    @Test
    void sendRefusesBadRecipientBeforeCallingInfobip() {
        assertThrows(PermanentException.class, () -> send(open(), "079 302 67 27", "hi"));
        assertTrue(api.calls.isEmpty());
    }

    @Test
    void normalizeAddress() {
        assertEquals("+41793026727", ((Channel) open()).normalizeAddress("41793026727"));
    }

    @Test
    void providerTextEchoingTheKeyIsRedacted() {
        api.answer(400, "{\"errorCode\":\"E400\",\"description\":\"bad header App " + KEY + "\"}");
        PermanentException e = assertThrows(PermanentException.class, () -> send(open(), "41793026727", "hi"));
        noSecrets(e);
    }

    // ---- webhooks -----------------------------------------------------------------------------

    private static WebhookRequest webhook(String kind, String authorization, String token, String body) {
        Map<String, List<String>> h = authorization == null ? Map.of() : Map.of("Authorization", List.of(authorization));
        Map<String, List<String>> q = token == null ? Map.of() : Map.of("token", List.of(token));
        return new WebhookRequest(kind, h, q, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void receiveChecksAuthBeforeParsing() {
        WebhookReceiver r = (WebhookReceiver) open();
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                () -> r.receive(webhook("sms", null, null, "not json")));
        assertEquals(401, e.status());
        e = assertThrows(WebhookRejectedException.class,
                () -> r.receive(webhook("sms", basic("infobip", "wrong"), null, "{}")));
        assertEquals(401, e.status());
    }

    @Test
    void receiveSmsWithBasic() {
        WebhookReceiver r = (WebhookReceiver) open();
        WebhookReceiver.WebhookBatch batch = r.receive(webhook("sms", basic("infobip", "hook-secret-pw"), null,
                "{\"results\":[{\"messageId\":\"1\",\"from\":\"41793026727\",\"to\":\"Parley\",\"text\":\"hi\"}]}"));
        assertEquals(1, batch.events().size());
    }

    @Test
    void receiveDlrAndClickWithToken() {
        FakeContext ctx = FakeContext.valid();
        WebhookReceiver r = (WebhookReceiver) open(ctx);
        WebhookReceiver.WebhookBatch dlr = r.receive(webhook("dlr", null, WebhookAuth.token("hook-secret-pw", "sms1", "dlr"),
                "{\"results\":[{\"messageId\":\"ref-1\",\"status\":{\"groupId\":3,\"groupName\":\"DELIVERED\",\"name\":\"DELIVERED_TO_HANDSET\"}}]}"));
        assertEquals(DeliveryStatus.DELIVERED, ((InboundEvent.DeliveryReported) dlr.events().get(0)).status());
        WebhookReceiver.WebhookBatch click = r.receive(webhook("click", null,
                WebhookAuth.token("hook-secret-pw", "sms1", "click"),
                "{\"notificationType\":\"CLICKED\",\"messageId\":\"ref-1\",\"url\":\"https://a.example\"}"));
        assertNull(((InboundEvent.LinkClicked) click.events().get(0)).at());
        InboundEvent.LinkClicked clicked = (InboundEvent.LinkClicked) click.events().get(0);
        assertEquals("ref-1", clicked.providerMessageId());
        assertEquals("https://a.example", clicked.url());
        assertEquals(401, assertThrows(WebhookRejectedException.class, () -> r.receive(webhook("sms", null,
                WebhookAuth.token("hook-secret-pw", "sms1", "sms"), "{\"results\":[]}"))).status());
    }

    @Test
    void receiveUnknownKind() {
        WebhookReceiver r = (WebhookReceiver) open();
        assertEquals(404, assertThrows(WebhookRejectedException.class,
                () -> r.receive(webhook("whatsapp", basic("infobip", "hook-secret-pw"), null, "{}"))).status());
        assertEquals(401, assertThrows(WebhookRejectedException.class,
                () -> r.receive(webhook("whatsapp", null, null, "{}"))).status());
    }

    @Test
    void receiveWithoutAuthWhenNone() {
        WebhookReceiver r = (WebhookReceiver) open(FakeContext.valid().with("webhook-auth", "none"));
        assertEquals(1, r.receive(webhook("sms", null, null,
                "{\"results\":[{\"messageId\":\"1\",\"from\":\"41793026727\"}]}")).events().size());
    }
}
