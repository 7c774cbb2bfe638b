package dev.parley.infobip.sandbox;

import dev.parley.infobip.http.MediaCopier;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.infobip.whatsapp.WhatsAppWebhooks;
import dev.parley.spi.Attachment;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WhatsApp stand-in: Infobip's auth, validation and answers (checked against Infobip's published spec), Meta's
 * 24-hour window in the reports, templates, media behind the key with an expiring CDN link, and the customer side,
 * whose webhook posts Parley's own parser reads as the events they stand for.
 */
class WhatsAppSandboxTest {

    private static final String KEY = "test-key";
    private static final String SENDER = "447796344125";
    private static final String CUSTOMER = "41793026727";
    private static final URI INBOUND = URI.create("https://parley.example/channel/sms1/webhook/inbound");
    private static final String NOTIFY = "https://parley.example/channel/sms1/webhook/dlr?token=tok123";
    private static final String BASE = "https://parley.example/sandbox/sms1";
    private static final Map<String, List<String>> AUTH = Map.of("Authorization", List.of("App " + KEY),
            "Content-Type", List.of("application/json"));
    private static final JsonObject EXAMPLES = examples();
    private static final OpenApiInteractionValidator SPEC = OpenApiInteractionValidator
            .createForInlineApiSpecification(InfobipSpecValidator.spec("/openapi/infobip-whatsapp.json")).build();

    private record Post(URI url, String json, String authorization) {
        JsonObject body() {
            return Jsons.parse(json).asJsonObject();
        }

        JsonObject result() {
            return body().getJsonArray("results").getJsonObject(0);
        }
    }

    private final FakeContext ctx = new FakeContext();
    private final LinkedBlockingQueue<Post> reports = new LinkedBlockingQueue<>();
    private final List<Post> inbound = new CopyOnWriteArrayList<>();
    private volatile int inboundStatus = 200;
    private volatile boolean inboundFails;
    private volatile int reportStatus = 200;
    private final WhatsAppSandbox sandbox = new WhatsAppSandbox(ctx, KEY, SENDER, INBOUND, "infobip", "hook-pw", this::post);

    {
        sandbox.delays(Duration.ofMillis(30), Duration.ofMillis(30)); // the real ones in reportsComeAfterTheirDelays
    }

    private int post(URI url, String json, String authorization) throws IOException {
        Post p = new Post(url, json, authorization);
        if (url.equals(INBOUND)) {
            inbound.add(p);
            if (inboundFails) throw new IOException("Connection refused");
            return inboundStatus;
        }
        reports.add(p);
        if (reportStatus < 0) throw new IOException("Connection refused");
        return reportStatus;
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        ctx.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static JsonObject examples() {
        try (InputStream in = WhatsAppSandboxTest.class.getResourceAsStream("/infobip/whatsapp-webhook-examples.json")) {
            return Jsons.parse(in.readAllBytes()).asJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] b(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(SandboxResponse r) {
        return Jsons.parse(r.json()).asJsonObject();
    }

    private SandboxResponse call(String method, String path, String body) {
        return sandbox.handle(method, path, AUTH, b(body));
    }

    /** A call of Infobip's API that the published spec allows: checked against it, made, and the answer checked. */
    private SandboxResponse api(String method, String path, String body) {
        SandboxResponse r = allowed(method, path, body);
        assertResponseMatchesSpec(method, path, r);
        return r;
    }

    /** A call that the published spec allows, made. */
    private SandboxResponse allowed(String method, String path, String body) {
        assertEquals(java.util.Optional.empty(), InfobipSpecValidator.check(method, path, AUTH, body));
        return call(method, path, body);
    }

    /** The sandbox's answer has the status, headers and body the published spec documents for it. */
    private static void assertResponseMatchesSpec(String method, String path, SandboxResponse r) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(r.status());
        r.headers().forEach(response::withHeader);
        if (r.json() != null && !r.json().isEmpty()) response.withContentType("application/json").withBody(r.json());
        ValidationReport report = SPEC.validateResponse(path, Request.Method.valueOf(method), response.build());
        List<String> errors = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
        assertEquals(List.of(), errors, method + " " + path + " answered " + r.status() + " " + r.json());
    }

    private static String legacyId(SandboxResponse r) {
        return json(r).getJsonObject("requestError").getJsonObject("serviceException").getString("messageId");
    }

    private static String legacyText(SandboxResponse r) {
        return json(r).getJsonObject("requestError").getJsonObject("serviceException").getString("text");
    }

    private static List<String> invalid(SandboxResponse r) {
        assertEquals(400, r.status(), r.json());
        assertEquals("BAD_REQUEST", legacyId(r));
        return List.copyOf(json(r).getJsonObject("requestError").getJsonObject("serviceException")
                .getJsonObject("validationErrors").keySet());
    }

    private static String textBody(String to, String messageId) {
        return """
                {"from":"%s","to":"%s","messageId":"%s","content":{"text":"Hello from Parley","previewUrl":false},
                 "callbackData":"cb-1","notifyUrl":"%s"}""".formatted(SENDER, to, messageId, NOTIFY);
    }

    private static String templateBody(String to, String messageId, String name, String language, String... placeholders) {
        String values = java.util.Arrays.stream(placeholders).map(p -> "\"" + p + "\"").collect(Collectors.joining(","));
        return """
                {"messages":[{"from":"%s","to":"%s","messageId":"%s",
                  "content":{"templateName":"%s","templateData":{"body":{"placeholders":[%s]}},"language":"%s"},
                  "notifyUrl":"%s"}],"bulkId":"bulk-1"}""".formatted(SENDER, to, messageId, name, values, language, NOTIFY);
    }

    /** The customer writes; answers the inbound payload the sandbox posted to Parley. */
    private Post customer(String from, String action, String body) {
        int before = inbound.size();
        SandboxResponse r = call("POST", "/customer/" + from + "/" + action, body);
        assertEquals(200, r.status(), r.json());
        assertEquals(before + 1, inbound.size());
        Post p = inbound.get(before);
        assertEquals(p.result().getString("messageId"), json(r).getString("messageId"));
        assertEquals(200, json(r).getInt("webhookStatus"));
        return p;
    }

    private Post nextReport() throws InterruptedException {
        Post p = reports.poll(5, TimeUnit.SECONDS);
        assertNotNull(p, "a report was posted");
        assertEquals(URI.create(NOTIFY), p.url());
        assertNull(p.authorization(), "reports go to the notifyUrl, whose token is the credential");
        return p;
    }

    private InboundEvent.DeliveryReported parsedReport(Post p) {
        WebhookBatch batch = WhatsAppWebhooks.reports(b(p.json()));
        assertEquals(List.of(), batch.skipped());
        return (InboundEvent.DeliveryReported) batch.events().get(0);
    }

    private JsonObject recorded(int i) {
        return json(call("GET", "/messages", null)).getJsonArray("messages").getJsonObject(i);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met in time");
            Thread.sleep(10);
        }
    }

    /** The path below the sandbox of one of its absolute URLs. */
    private static String below(String url) {
        assertTrue(url.startsWith(BASE + "/"), url);
        return url.substring(BASE.length());
    }

    /** Every key of {@code actual} is in the spec's example, with a value of the same JSON type, all the way down. */
    private static void assertShapeWithin(JsonValue actual, JsonValue documented, String where) {
        assertEquals(kind(documented), kind(actual), where + " has another JSON type than in the spec's example");
        if (actual instanceof JsonObject a) {
            for (String k : a.keySet()) {
                assertTrue(documented.asJsonObject().containsKey(k), where + "." + k + " is not in the spec's example");
                assertShapeWithin(a.get(k), documented.asJsonObject().get(k), where + "." + k);
            }
        } else if (actual instanceof JsonArray a && !a.isEmpty()) {
            for (int i = 0; i < a.size(); i++) assertShapeWithin(a.get(i), documented.asJsonArray().get(0), where + "[" + i + "]");
        }
    }

    private static String kind(JsonValue v) {
        return switch (v.getValueType()) {
            case TRUE, FALSE -> "boolean";
            default -> v.getValueType().name();
        };
    }

    private static void assertInboundShape(Post p, String type) {
        JsonObject example = EXAMPLES.getJsonObject("inbound").getJsonObject("Received WhatsApp " + type + " message");
        assertNotNull(example, type);
        assertShapeWithin(p.body(), example, "inbound " + type);
        JsonObject r = p.result();
        for (String required : List.of("from", "to", "integrationType", "receivedAt", "messageId", "message", "price", "contact")) {
            assertTrue(r.containsKey(required), "required " + required + " in " + r);
        }
        assertEquals(type, r.getJsonObject("message").getString("type"));
        assertEquals("WHATSAPP", r.getString("integrationType"));
        assertEquals(SENDER, r.getString("to"));
        assertTrue(r.getString("receivedAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}"), r.getString("receivedAt"));
        assertTrue(r.getString("messageId").startsWith("wamid."), r.getString("messageId"));
        assertEquals(1, p.body().getInt("messageCount"));
        assertEquals(0, p.body().getInt("pendingMessageCount"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(b("infobip:hook-pw")), p.authorization());
    }

    // ---- auth, routing, balance -----------------------------------------------------------------

    @Test
    void everyApiCallNeedsTheKeyAndIsRefusedInInfobipsStyle() {
        List<String> paths = List.of("GET /account/1/balance", "POST /whatsapp/1/message/text", "POST /whatsapp/1/message/template",
                "GET /whatsapp/2/senders/" + SENDER + "/templates", "GET /whatsapp/1/senders/" + SENDER + "/media/x",
                "HEAD /whatsapp/1/senders/" + SENDER + "/media/x", "POST /customer/" + CUSTOMER + "/text", "GET /messages",
                "DELETE /messages", "GET /nowhere");
        for (Map<String, List<String>> h : List.of(Map.<String, List<String>>of(),
                Map.of("Authorization", List.of("App wrong")), Map.of("Authorization", List.of("Basic " + KEY)),
                Map.of("Authorization", List.of("App ")), Map.of("Authorization", List.of("App " + KEY + "x")))) {
            for (String call : paths) {
                String[] mp = call.split(" ");
                SandboxResponse r = sandbox.handle(mp[0], mp[1], h, b("{\"text\":\"hi\"}"));
                assertEquals(401, r.status(), call);
                assertEquals("UNAUTHORIZED", legacyId(r), call);
                assertEquals("Unauthorized", legacyText(r), call);
                assertFalse(r.json().contains(KEY), "the key is never echoed");
            }
        }
        assertResponseMatchesSpec("POST", "/whatsapp/1/message/text",
                sandbox.handle("POST", "/whatsapp/1/message/text", Map.of(), new byte[0]));
        assertEquals(200, sandbox.handle("GET", "/account/1/balance", Map.of("AUTHORIZATION", List.of("app " + KEY)),
                new byte[0]).status());
        assertTrue(inbound.isEmpty());
    }

    @Test
    void balanceUnknownPathsAndMethods() {
        SandboxResponse balance = call("GET", "/account/1/balance", null);
        assertEquals(200, balance.status());
        assertEquals(100.0, json(balance).getJsonNumber("balance").doubleValue());
        assertEquals("EUR", json(balance).getString("currency"));

        SandboxResponse unknown = call("POST", "/whatsapp/1/message/image", "{}");
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", legacyId(unknown));
        SandboxResponse method = call("GET", "/whatsapp/1/message/text", null);
        assertEquals(405, method.status());
        assertEquals("METHOD_NOT_ALLOWED", legacyId(method));
        assertEquals(405, call("PUT", "/customer/" + CUSTOMER + "/text", "{}").status());
        assertEquals(404, call("POST", "/customer/" + CUSTOMER + "/video", "{}").status());
        assertEquals(200, call("GET", "/account/1/balance/?x=1", null).status(), "a trailing slash and a query are ignored");
        assertEquals(413, call("POST", "/whatsapp/1/message/text", "x".repeat(WhatsAppSandbox.MAX_BODY + 1)).status());
    }

    // ---- text sends and the 24-hour window -------------------------------------------------------

    @Test
    void textValidationFollowsTheSpec() {
        String ok = textBody(CUSTOMER, "m-1");
        JsonObject good = Jsons.parse(ok).asJsonObject();
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("{}", List.of("from", "to", "content"));
        cases.put(with(good, "from", "4".repeat(25)), List.of("from"));
        cases.put(with(good, "to", "4".repeat(151)), List.of("to"));
        cases.put(with(good, "to", 41793026727L), List.of("to"));
        cases.put(with(good, "messageId", "m".repeat(201)), List.of("messageId"));
        cases.put(with(good, "notifyUrl", "https://x/" + "a".repeat(2040)), List.of("notifyUrl"));
        cases.put(with(good, "callbackData", "c".repeat(4001)), List.of("callbackData"));
        cases.put(with(good, "content", Jsons.BUILDERS.createObjectBuilder().add("text", "t".repeat(4097)).build()), List.of("content.text"));
        cases.put(with(good, "content", Jsons.BUILDERS.createObjectBuilder().add("text", "").build()), List.of("content.text"));
        cases.put(with(good, "content", Jsons.BUILDERS.createObjectBuilder().add("text", 7).build()), List.of("content.text"));
        cases.put(with(good, "content", Jsons.BUILDERS.createObjectBuilder().add("text", "x").add("previewUrl", "yes").build()),
                List.of("content.previewUrl"));
        cases.put(with(good, "context", Jsons.BUILDERS.createObjectBuilder().build()), List.of("context.replyToMessageId"));
        cases.put(with(good, "context", Jsons.BUILDERS.createArrayBuilder().build()), List.of("context"));
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            assertTrue(InfobipSpecValidator.check("POST", "/whatsapp/1/message/text", AUTH, c.getKey()).isPresent(),
                    "the spec refuses it as well: " + c.getKey());
            SandboxResponse r = call("POST", "/whatsapp/1/message/text", c.getKey());
            assertEquals(c.getValue(), invalid(r), c.getKey());
            assertResponseMatchesSpec("POST", "/whatsapp/1/message/text", r);
        }
        // Beyond the schema: WhatsApp recipients are digits (international, no +) or a user id.
        assertEquals(List.of("to"), invalid(call("POST", "/whatsapp/1/message/text", with(good, "to", "+41793026727"))));
        assertEquals(List.of("to"), invalid(call("POST", "/whatsapp/1/message/text", with(good, "to", "41 79 302"))));
        assertEquals(List.of("body"), invalid(call("POST", "/whatsapp/1/message/text", "nope")));
        assertEquals(List.of("body"), invalid(call("POST", "/whatsapp/1/message/text", "[]")));
        assertEquals(List.of("body"), invalid(call("POST", "/whatsapp/1/message/text", "")));
        assertEquals(0, json(call("GET", "/messages", null)).getJsonArray("messages").size());
        assertTrue(reports.isEmpty());
    }

    private static String with(JsonObject o, String key, Object value) {
        var b = Jsons.BUILDERS.createObjectBuilder(o);
        if (value instanceof String s) b.add(key, s);
        else if (value instanceof Long l) b.add(key, l);
        else b.add(key, (JsonValue) value);
        return b.build().toString();
    }

    @Test
    void freeTextToACustomerWhoNeverWroteIsAcceptedThenUndeliverableWithNoSession() throws Exception {
        SandboxResponse r = api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "ref-1"));
        assertEquals(200, r.status());
        JsonObject answer = json(r);
        assertEquals(CUSTOMER, answer.getString("to"));
        assertEquals(1, answer.getInt("messageCount"));
        assertEquals("ref-1", answer.getString("messageId"));
        JsonObject status = answer.getJsonObject("status");
        assertEquals(1, status.getInt("groupId"));
        assertEquals("PENDING", status.getString("groupName"));
        assertEquals(7, status.getInt("id"));
        assertEquals("PENDING_ENROUTE", status.getString("name"), "send answers never carry the final status");

        Post dlr = nextReport();
        JsonObject report = dlr.result();
        assertEquals("ref-1", report.getString("messageId"));
        assertEquals(2, report.getJsonObject("status").getInt("groupId"));
        assertEquals("UNDELIVERABLE", report.getJsonObject("status").getString("groupName"));
        JsonObject error = report.getJsonObject("error");
        assertEquals(7010, error.getInt("id"));
        assertEquals("EC_NO_SESSION", error.getString("name"));
        assertEquals(1, error.getInt("groupId"));
        assertEquals("HANDSET_ERRORS", error.getString("groupName"));
        assertTrue(error.getBoolean("permanent"));
        assertFalse(error.getString("description").isBlank());
        assertShapeWithin(dlr.body(), EXAMPLES.getJsonObject("dlr").getJsonObject("Delivery reports"), "dlr");

        InboundEvent.DeliveryReported parsed = parsedReport(dlr);
        assertEquals(DeliveryStatus.UNDELIVERABLE, parsed.status());
        assertTrue(parsed.error().startsWith(WhatsAppWebhooks.OUTSIDE_WINDOW), parsed.error());

        waitUntil(() -> sandbox.pendingReports() == 0);
        assertNull(reports.poll(200, TimeUnit.MILLISECONDS), "an undelivered message is never seen");
        JsonObject listed = recorded(0);
        assertEquals("UNDELIVERABLE", listed.getJsonObject("status").getString("groupName"));
        assertEquals("EC_NO_SESSION", listed.getJsonObject("error").getString("name"));
        assertEquals("Hello from Parley", listed.getString("text"));
        assertEquals("cb-1", listed.getString("callbackData"));
        assertFalse(listed.isNull("reportedAt"));
        assertTrue(listed.isNull("seenAt"));
        assertTrue(ctx.allLogs().contains("7010 EC_NO_SESSION"), ctx.allLogs());
    }

    @Test
    void freeTextInsideTheWindowIsDeliveredThenSeen() throws Exception {
        customer(CUSTOMER, "text", "{\"text\":\"Hi, where is my order?\",\"name\":\"Ada\"}");
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "ref-2"));

        Post dlr = nextReport();
        assertEquals("DELIVERED", dlr.result().getJsonObject("status").getString("groupName"));
        assertEquals(5, dlr.result().getJsonObject("status").getInt("id"));
        assertEquals("NO_ERROR", dlr.result().getJsonObject("error").getString("name"));
        assertEquals("Ada", dlr.result().getJsonObject("contact").getString("name"));
        assertEquals(CUSTOMER, dlr.result().getJsonObject("contact").getString("phoneNumber"));
        assertShapeWithin(dlr.body(), EXAMPLES.getJsonObject("dlr").getJsonObject("Delivery reports"), "dlr");
        assertEquals(DeliveryStatus.DELIVERED, parsedReport(dlr).status());
        assertNull(parsedReport(dlr).error());

        Post seen = nextReport();
        JsonObject s = seen.result();
        assertEquals("ref-2", s.getString("messageId"));
        assertEquals(CUSTOMER, s.getString("from"));
        assertEquals(SENDER, s.getString("to"));
        assertNotNull(s.getString("sentAt"));
        assertNotNull(s.getString("seenAt"));
        assertFalse(s.containsKey("status"));
        assertShapeWithin(seen.body(), EXAMPLES.getJsonObject("seen").getJsonObject("Seen reports"), "seen");
        assertEquals(DeliveryStatus.SEEN, parsedReport(seen).status());

        waitUntil(() -> !recorded(0).isNull("seenAt"));
        assertEquals("DELIVERED", recorded(0).getJsonObject("status").getString("groupName"));
    }

    @Test
    void theWindowIsTwentyFourHoursFromTheCustomersLastMessage() throws Exception {
        customer(CUSTOMER, "text", "{\"text\":\"hi\"}");
        ctx.now = FakeContext.NOW.plus(Duration.ofHours(24)).minusMillis(1);
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "just-in-time"));
        assertEquals("DELIVERED", nextReport().result().getJsonObject("status").getString("groupName"));
        nextReport(); // seen

        ctx.now = FakeContext.NOW.plus(Duration.ofHours(24));
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "too-late"));
        assertEquals("EC_NO_SESSION", nextReport().result().getJsonObject("error").getString("name"));

        customer(CUSTOMER, "text", "{\"text\":\"me again\"}"); // a new message opens it again
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "again"));
        assertEquals("DELIVERED", nextReport().result().getJsonObject("status").getString("groupName"));
    }

    @Test
    void ageWindowShowsAClosedWindowWithoutWaitingADay() throws Exception {
        assertEquals(404, call("POST", "/customer/" + CUSTOMER + "/age-window", "{\"hours\":25}").status(),
                "a customer who never wrote has no window to age");
        customer(CUSTOMER, "text", "{\"text\":\"hi\",\"name\":\"Ada\"}");
        JsonObject open = json(call("GET", "/customer/" + CUSTOMER, null));
        assertTrue(open.getBoolean("windowOpen"));
        assertEquals("2024-01-02T10:00:00.000+0000", open.getString("windowClosesAt"));

        SandboxResponse aged = call("POST", "/customer/" + CUSTOMER + "/age-window", "{\"hours\":25}");
        assertEquals(200, aged.status(), aged.json());
        assertFalse(json(aged).getBoolean("windowOpen"));
        assertEquals("2023-12-31T09:00:00.000+0000", json(aged).getString("lastInboundAt"));
        assertEquals("Ada", json(aged).getJsonObject("contact").getString("name"));
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "closed"));
        assertEquals(7010, nextReport().result().getJsonObject("error").getInt("id"));

        assertEquals(200, call("POST", "/customer/" + CUSTOMER + "/age-window", "").status(), "25 hours by default");
        assertEquals(List.of("hours"), invalid(call("POST", "/customer/" + CUSTOMER + "/age-window", "{\"hours\":-1}")));
        assertEquals(List.of("hours"), invalid(call("POST", "/customer/" + CUSTOMER + "/age-window", "{\"hours\":\"25\"}")));
        assertEquals(404, call("GET", "/customer/4100000000", null).status());
    }

    // ---- templates ------------------------------------------------------------------------------

    @Test
    void aKnownTemplateIsDeliveredWithoutAnOpenWindow() throws Exception {
        SandboxResponse r = api("POST", "/whatsapp/1/message/template", templateBody(CUSTOMER, "t-1", "welcome", "en", "Ada"));
        assertEquals(200, r.status(), r.json());
        assertEquals("bulk-1", json(r).getString("bulkId"));
        JsonObject m = json(r).getJsonArray("messages").getJsonObject(0);
        assertEquals("t-1", m.getString("messageId"));
        assertEquals(CUSTOMER, m.getString("to"));
        assertEquals("PENDING_ENROUTE", m.getJsonObject("status").getString("name"));

        Post dlr = nextReport();
        assertEquals("DELIVERED", dlr.result().getJsonObject("status").getString("groupName"));
        assertEquals("bulk-1", dlr.result().getString("bulkId"));
        assertEquals(DeliveryStatus.SEEN, parsedReport(nextReport()).status());
        JsonObject listed = recorded(0);
        assertEquals("TEMPLATE", listed.getString("type"));
        assertEquals("welcome", listed.getJsonObject("template").getString("name"));
        assertEquals(List.of("Ada"), listed.getJsonObject("template").getJsonArray("placeholders").getValuesAs(
                jakarta.json.JsonString::getString));
    }

    @Test
    void unknownTemplatesLanguagesAndPlaceholderCountsAreReportedUndeliverable() throws Exception {
        record Case(String name, String language, List<String> placeholders, int error, String errorName) {
        }
        List<Case> cases = List.of(
                new Case("no_such_template", "en", List.of(), 7009, "EC_INVALID_TEMPLATE"),
                new Case("order_update", "de", List.of("Ada", "42"), 7009, "EC_INVALID_TEMPLATE"),
                new Case("order_update", "en_GB", List.of("Ada"), 7008, "EC_INVALID_TEMPLATE_ARGS"),
                new Case("welcome", "en", List.of(), 7008, "EC_INVALID_TEMPLATE_ARGS"));
        for (Case c : cases) {
            SandboxResponse r = api("POST", "/whatsapp/1/message/template",
                    templateBody(CUSTOMER, c.name(), c.name(), c.language(), c.placeholders().toArray(String[]::new)));
            assertEquals(200, r.status(), "accepted; the report says why not: " + c);
            JsonObject report = nextReport().result();
            assertEquals("UNDELIVERABLE", report.getJsonObject("status").getString("groupName"), c.toString());
            assertEquals(c.error(), report.getJsonObject("error").getInt("id"), c.toString());
            assertEquals(c.errorName(), report.getJsonObject("error").getString("name"), c.toString());
            assertTrue(report.getJsonObject("error").getBoolean("permanent"));
        }
        for (Case ok : List.of(new Case("order_update", "en", List.of("Ada", "42"), 0, null),
                new Case("order_update", "en_GB", List.of("Ada", "42"), 0, null),
                new Case("appointment_reminder", "en", List.of("Monday", "10:00"), 0, null))) {
            api("POST", "/whatsapp/1/message/template",
                    templateBody(CUSTOMER, "ok", ok.name(), ok.language(), ok.placeholders().toArray(String[]::new)));
            assertEquals("DELIVERED", nextReport().result().getJsonObject("status").getString("groupName"), ok.toString());
            nextReport(); // seen
        }
    }

    @Test
    void templateValidationFollowsTheSpec() {
        String good = templateBody(CUSTOMER, "t", "welcome", "en", "Ada");
        assertEquals(List.of("messages"), invalid(call("POST", "/whatsapp/1/message/template", "{}")));
        assertEquals(List.of("messages"), invalid(call("POST", "/whatsapp/1/message/template", "{\"messages\":[]}")));
        assertEquals(List.of("messages"), invalid(call("POST", "/whatsapp/1/message/template", "{\"messages\":{}}")));
        assertEquals(List.of("messages[0]"), invalid(call("POST", "/whatsapp/1/message/template", "{\"messages\":[7]}")));
        assertEquals(List.of("messages[0].from", "messages[0].to", "messages[0].content"),
                invalid(call("POST", "/whatsapp/1/message/template", "{\"messages\":[{}]}")));
        String[][] broken = {
                {"\"templateName\":\"welcome\"", "\"templateName\":\"Welcome\"", "messages[0].content.templateName"},
                {"\"templateName\":\"welcome\"", "\"templateName\":\"wel-come\"", "messages[0].content.templateName"},
                {"\"language\":\"en\"", "\"language\":\" \"", "messages[0].content.language"},
                {"\"placeholders\":[\"Ada\"]", "\"placeholders\":null", "messages[0].content.templateData.body.placeholders"},
                {"\"placeholders\":[\"Ada\"]", "\"placeholders\":[\"\"]", "messages[0].content.templateData.body.placeholders[0]"},
                {"\"placeholders\":[\"Ada\"]", "\"placeholders\":[1]", "messages[0].content.templateData.body.placeholders[0]"},
                {"\"templateData\":{\"body\":{\"placeholders\":[\"Ada\"]}}", "\"templateData\":{}", "messages[0].content.templateData.body"},
                {"\"bulkId\":\"bulk-1\"", "\"bulkId\":\"" + "b".repeat(101) + "\"", "bulkId"},
        };
        for (String[] c : broken) {
            String body = good.replace(c[0], c[1]);
            assertTrue(!body.equals(good), c[1]);
            assertEquals(List.of(c[2]), invalid(call("POST", "/whatsapp/1/message/template", body)), body);
        }
        assertEquals(0, json(call("GET", "/messages", null)).getJsonArray("messages").size());
    }

    @Test
    void theSendersTemplatesAreListedAsTheSpecHasThem() {
        SandboxResponse r = allowed("GET", "/whatsapp/2/senders/" + SENDER + "/templates", null);
        assertEquals(200, r.status());
        // The validator refuses this response's schema itself (its discriminators' properties are not required, which
        // OpenAPI asks), so the answer is held against the spec's own example instead.
        JsonObject example = Jsons.parse(InfobipSpecValidator.spec("/openapi/infobip-whatsapp.json")).asJsonObject()
                .getJsonObject("paths").getJsonObject("/whatsapp/2/senders/{sender}/templates").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("200").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("examples").getJsonObject("Text template").getJsonObject("value");
        assertShapeWithin(json(r), example, "templates");
        assertEquals(example.getJsonArray("templates").getJsonObject(0).keySet(),
                json(r).getJsonArray("templates").getJsonObject(0).keySet());
        JsonArray templates = json(r).getJsonArray("templates");
        assertEquals(List.of("welcome en", "order_update en", "order_update en_GB", "appointment_reminder en"),
                templates.stream().map(t -> t.asJsonObject().getString("name") + " " + t.asJsonObject().getString("language")).toList());
        JsonObject welcome = templates.getJsonObject(0);
        assertEquals("APPROVED", welcome.getString("status"));
        assertTrue(welcome.getJsonObject("structure").getJsonObject("body").getString("text").contains("{{1}}"));

        SandboxResponse other = api("GET", "/whatsapp/2/senders/15550001111/templates", null);
        assertEquals(404, other.status());
        assertEquals("NOT_FOUND", legacyId(other));
    }

    // ---- the customer side ----------------------------------------------------------------------

    private final List<String> copied = new ArrayList<>();
    private final List<SandboxResponse> downloads = new ArrayList<>();

    /** As the connection copies media: the Infobip URL with the key, then the CDN link it redirects to, without. */
    private final MediaCopier copier = (kind, url, caption) -> {
        copied.add(kind + " " + url);
        SandboxResponse redirect = api("GET", below(url), null);
        assertEquals(302, redirect.status());
        SandboxResponse file = sandbox.handle("GET", below(redirect.headers().get("Location")), Map.of(), new byte[0]);
        assertEquals(200, file.status());
        downloads.add(file);
        return new Attachment(kind, "copy-" + copied.size(), URI.create(url), file.headers().get("Content-Type"), null,
                (long) file.bytes().length, caption, null);
    };

    private InboundEvent.MessageReceived parsed(Post p) {
        WebhookBatch batch = WhatsAppWebhooks.inbound(b(p.json()), copier);
        assertEquals(List.of(), batch.skipped());
        assertEquals(1, batch.events().size());
        return (InboundEvent.MessageReceived) batch.events().get(0);
    }

    @Test
    void customerTextIsTheSpecsInboundWebhookAndParleyReadsIt() {
        Post p = customer(CUSTOMER, "text", "{\"text\":\"Where is my order?\",\"name\":\"Ada\"}");
        assertEquals(INBOUND, p.url());
        assertInboundShape(p, "TEXT");
        JsonObject contact = p.result().getJsonObject("contact");
        assertEquals("Ada", contact.getString("name"));
        assertEquals(CUSTOMER, contact.getString("phoneNumber"));
        assertEquals(0, p.result().getJsonObject("price").getInt("pricePerMessage"));

        InboundEvent.MessageReceived m = parsed(p);
        assertEquals(p.result().getString("messageId"), m.providerMessageId());
        assertEquals(CUSTOMER, m.from());
        assertEquals(SENDER, m.to());
        assertEquals("Where is my order?", m.text());
        assertEquals("Ada", m.contactName());
        assertEquals(FakeContext.NOW, m.receivedAt().toInstant());
        assertNull(m.content());

        // The name is remembered for the customer's next messages.
        assertEquals("Ada", parsed(customer(CUSTOMER, "text", "{\"text\":\"Hello?\"}")).contactName());
    }

    @Test
    void customerImageIsAPngBehindTheKeyAndAnExpiringCdnLink() throws Exception {
        Post p = customer(CUSTOMER, "image", "{\"caption\":\"the broken part\"}");
        assertInboundShape(p, "IMAGE");
        String url = p.result().getJsonObject("message").getString("url");
        assertTrue(url.startsWith(BASE + "/whatsapp/1/senders/" + SENDER + "/media/"), url);

        InboundEvent.MessageReceived m = parsed(p);
        assertEquals("the broken part", m.text());
        assertEquals("IMAGE", m.content().type());
        assertEquals("image/png", m.content().attachments().get(0).contentType());
        SandboxResponse file = downloads.get(0);
        assertNull(file.json());
        assertEquals("image/png", file.headers().get("Content-Type"));
        assertEquals(String.valueOf(file.bytes().length), file.headers().get("Content-Length"));
        assertTrue(file.bytes().length < 100, file.bytes().length + " bytes");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file.bytes()));
        assertEquals(2, image.getWidth());
        assertEquals(2, image.getHeight());
        assertEquals(0x25D366, image.getRGB(0, 0) & 0xFFFFFF);

        // HEAD is in Infobip's spec (200 with Content-Type and Content-Length, no body), not in the trimmed copy.
        SandboxResponse head = call("HEAD", below(url), null);
        assertEquals(200, head.status());
        assertEquals("image/png", head.headers().get("Content-Type"));
        assertEquals(String.valueOf(file.bytes().length), head.headers().get("Content-Length"));
        assertEquals(0, head.bytes().length);
    }

    @Test
    void customerDocumentIsASmallPdf() {
        Post p = customer(CUSTOMER, "document", "{\"caption\":\"Invoice 42\"}");
        assertInboundShape(p, "DOCUMENT");
        InboundEvent.MessageReceived m = parsed(p);
        assertEquals("DOCUMENT", m.content().type());
        assertEquals("Invoice 42", m.content().attachments().get(0).caption());
        byte[] pdf = downloads.get(0).bytes();
        assertEquals("application/pdf", downloads.get(0).headers().get("Content-Type"));
        assertEquals("inline; filename=\"sandbox-document.pdf\"", downloads.get(0).headers().get("Content-Disposition"));
        String text = new String(pdf, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("%PDF-1.4\n") && text.endsWith("%%EOF\n"), text);
        int xref = Integer.parseInt(text.substring(text.lastIndexOf("startxref\n") + 10, text.lastIndexOf("\n%%EOF")));
        assertTrue(text.startsWith("xref\n", xref), "startxref points at the xref table");
        assertTrue(text.startsWith("1 0 obj", Integer.parseInt(text.substring(xref + 29, xref + 39))), "object offsets are right");
        assertTrue(customer(CUSTOMER, "document", "").result().getJsonObject("message").containsKey("url"), "caption optional");
    }

    @Test
    void mediaExpiresAndCdnLinksExpireSooner() {
        String url = customer(CUSTOMER, "image", "").result().getJsonObject("message").getString("url");
        assertFalse(customer(CUSTOMER, "image", "").result().getJsonObject("message").containsKey("caption"));
        String cdn = below(api("GET", below(url), null).headers().get("Location"));
        assertTrue(cdn.matches("/cdn/[A-Za-z0-9_-]{32}"), cdn);

        ctx.now = FakeContext.NOW.plus(WhatsAppSandbox.CDN_TTL).minusMillis(1);
        assertEquals(200, sandbox.handle("GET", cdn, Map.of(), new byte[0]).status());
        ctx.now = FakeContext.NOW.plus(WhatsAppSandbox.CDN_TTL);
        SandboxResponse gone = sandbox.handle("GET", cdn, Map.of(), new byte[0]);
        assertEquals(404, gone.status());
        assertEquals("NOT_FOUND", legacyId(gone));
        String fresh = below(api("GET", below(url), null).headers().get("Location"));
        assertEquals(200, sandbox.handle("HEAD", fresh, Map.of(), new byte[0]).status(), "the media itself still lives");
        assertEquals(0, sandbox.handle("HEAD", fresh, Map.of(), new byte[0]).bytes().length);

        ctx.now = FakeContext.NOW.plus(WhatsAppSandbox.MEDIA_TTL).minusSeconds(1);
        String last = below(api("GET", below(url), null).headers().get("Location"));
        ctx.now = FakeContext.NOW.plus(WhatsAppSandbox.MEDIA_TTL);
        SandboxResponse expired = api("GET", below(url), null);
        assertEquals(404, expired.status(), "the spec's 'Media not found or expired'");
        assertEquals("", expired.json(), "without a body, as the spec has it");
        assertEquals(404, sandbox.handle("GET", last, Map.of(), new byte[0]).status(), "nor through a link still live");
        assertEquals(404, call("HEAD", below(url), null).status());
    }

    @Test
    void mediaNeedsTheKeyAndItsSenderButTheCdnLinkNone() {
        String url = customer(CUSTOMER, "image", "").result().getJsonObject("message").getString("url");
        assertEquals(401, sandbox.handle("GET", below(url), Map.of(), new byte[0]).status());
        assertEquals(404, api("GET", below(url).replace(SENDER, "15550001111"), null).status());
        assertEquals(404, api("GET", "/whatsapp/1/senders/" + SENDER + "/media/no-such-id", null).status());
        String cdn = below(api("GET", below(url), null).headers().get("Location"));
        // The link itself is the credential; a key sent along (the connection's MediaCopy sends it to a CDN on the
        // Infobip host's own origin, which the sandbox's is) changes nothing.
        assertEquals(200, sandbox.handle("GET", cdn, AUTH, new byte[0]).status());
        assertEquals(200, sandbox.handle("GET", cdn, Map.of("Authorization", List.of("App wrong")), new byte[0]).status());
        assertEquals(404, sandbox.handle("GET", "/cdn/guessed", Map.of(), new byte[0]).status());
        assertEquals(405, sandbox.handle("POST", cdn, Map.of(), new byte[0]).status());
    }

    @Test
    void buttonListAndLocationRepliesAreTheSpecsAndReachTheBotAsPostbacks() {
        Post button = customer(CUSTOMER, "button", "{\"id\":\"yes-1\",\"title\":\"Yes please\"}");
        assertInboundShape(button, "INTERACTIVE_BUTTON_REPLY");
        InboundEvent.MessageReceived b = parsed(button);
        assertEquals("Yes please", b.text());
        assertEquals("yes-1", b.content().postback());
        assertEquals("INTERACTIVE_BUTTON_REPLY", b.content().type());

        Post list = customer(CUSTOMER, "list", "{\"id\":\"row-2\",\"title\":\"Returns\",\"description\":\"Send it back\"}");
        assertInboundShape(list, "INTERACTIVE_LIST_REPLY");
        assertEquals("row-2", parsed(list).content().postback());
        assertEquals("Returns", parsed(list).text());
        assertFalse(customer(CUSTOMER, "list", "{\"id\":\"r\",\"title\":\"t\"}").result().getJsonObject("message")
                .containsKey("description"));

        Post location = customer(CUSTOMER, "location",
                "{\"latitude\":46.2044,\"longitude\":6.1432,\"name\":\"Shop\",\"address\":\"Rue du Rhone 1, Geneva\"}");
        assertInboundShape(location, "LOCATION");
        InboundEvent.MessageReceived l = parsed(location);
        assertEquals("Location: Shop, Rue du Rhone 1, Geneva (46.2044, 6.1432)", l.text());
        assertEquals(46.2044, Jsons.parse(l.content().structured()).asJsonObject().getJsonNumber("latitude").doubleValue());
        assertFalse(location.result().getJsonObject("contact").containsKey("name"), "a location's name is the place's");
    }

    @Test
    void aCustomerKnownOnlyByTheirUserIdHasNoPhoneNumber() throws Exception {
        Post p = customer("US.13491208655302741918", "text", "{\"text\":\"hi\",\"username\":\"ada.l\"}");
        assertInboundShape(p, "TEXT");
        assertEquals("US.13491208655302741918", p.result().getString("from"));
        JsonObject contact = p.result().getJsonObject("contact");
        assertFalse(contact.containsKey("phoneNumber"));
        assertEquals("US.13491208655302741918", contact.getString("userId"));
        assertEquals("ada.l", contact.getString("username"));
        InboundEvent.MessageReceived m = parsed(p);
        assertEquals("US.13491208655302741918", m.from());
        assertEquals("ada.l", m.contactName());

        // Parley answers to the user id, inside the window.
        api("POST", "/whatsapp/1/message/text", textBody("US.13491208655302741918", "u-1"));
        Post dlr = nextReport();
        assertEquals("DELIVERED", dlr.result().getJsonObject("status").getString("groupName"));
        assertFalse(dlr.result().getJsonObject("contact").containsKey("phoneNumber"));

        // A phone customer may carry a user id as well, as the spec's examples do.
        Post both = customer(CUSTOMER, "text", "{\"text\":\"hi\",\"userId\":\"US.1\",\"name\":\"Bo\"}");
        assertEquals(CUSTOMER, both.result().getJsonObject("contact").getString("phoneNumber"));
        assertEquals("US.1", both.result().getJsonObject("contact").getString("userId"));
        assertEquals(CUSTOMER, parsed(both).from());
    }

    @Test
    void customerInputIsValidated() {
        assertEquals(List.of("from"), invalid(call("POST", "/customer/+41793026727/text", "{\"text\":\"hi\"}")));
        assertEquals(List.of("text"), invalid(call("POST", "/customer/" + CUSTOMER + "/text", "{}")));
        assertEquals(List.of("text"), invalid(call("POST", "/customer/" + CUSTOMER + "/text", "{\"text\":5}")));
        assertEquals(List.of("body"), invalid(call("POST", "/customer/" + CUSTOMER + "/text", "[1]")));
        assertEquals(List.of("title"), invalid(call("POST", "/customer/" + CUSTOMER + "/button",
                "{\"id\":\"a\",\"title\":\"" + "t".repeat(21) + "\"}")));
        assertEquals(List.of("id", "title"), invalid(call("POST", "/customer/" + CUSTOMER + "/list", "{}")));
        assertEquals(List.of("latitude"), invalid(call("POST", "/customer/" + CUSTOMER + "/location",
                "{\"latitude\":91,\"longitude\":0}")));
        assertEquals(List.of("longitude"), invalid(call("POST", "/customer/" + CUSTOMER + "/location",
                "{\"latitude\":0,\"longitude\":\"east\"}")));
        assertEquals(List.of("userId"), invalid(call("POST", "/customer/" + CUSTOMER + "/text",
                "{\"text\":\"hi\",\"userId\":\"not an id\"}")));
        assertEquals(List.of("caption"), invalid(call("POST", "/customer/" + CUSTOMER + "/image", "{\"caption\":3}")));
        assertTrue(inbound.isEmpty());
        assertEquals(404, call("GET", "/customer/" + CUSTOMER, null).status(), "nothing was recorded");
    }

    @Test
    void whenParleyRefusesOrIsUnreachableTheCallerSeesItAndTheWindowOpensAnyway() throws Exception {
        inboundStatus = 401;
        SandboxResponse refused = call("POST", "/customer/" + CUSTOMER + "/text", "{\"text\":\"hi\"}");
        assertEquals(502, refused.status());
        assertEquals(401, json(refused).getInt("webhookStatus"));
        assertTrue(json(refused).getString("messageId").startsWith("wamid."));
        assertTrue(json(refused).getString("error").contains("HTTP 401"), refused.json());

        inboundFails = true;
        SandboxResponse down = call("POST", "/customer/" + CUSTOMER + "/text", "{\"text\":\"hi\"}");
        assertEquals(502, down.status());
        assertEquals(0, json(down).getInt("webhookStatus"));
        assertTrue(json(down).getString("error").contains("Connection refused"), down.json());
        assertTrue(ctx.allLogs().contains("failed: IOException: Connection refused"), ctx.allLogs());

        // The customer did write (Meta saw it), so the window is open.
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "w"));
        assertEquals("DELIVERED", nextReport().result().getJsonObject("status").getString("groupName"));
    }

    @Test
    void withoutWebhookAuthNoCredentialsAreSentAndWithoutAUrlNothingIs() {
        try (WhatsAppSandbox open = new WhatsAppSandbox(ctx, KEY, SENDER, INBOUND, "infobip", null, this::post)) {
            assertEquals(200, open.handle("POST", "/customer/" + CUSTOMER + "/text", AUTH, b("{\"text\":\"hi\"}")).status());
            assertNull(inbound.get(0).authorization());
        }
        try (WhatsAppSandbox nowhere = new WhatsAppSandbox(ctx, KEY, SENDER, null, "infobip", "pw", this::post)) {
            SandboxResponse r = nowhere.handle("POST", "/customer/" + CUSTOMER + "/text", AUTH, b("{\"text\":\"hi\"}"));
            assertEquals(409, r.status());
        }
    }

    // ---- recorded messages, reports, memory -----------------------------------------------------

    @Test
    void messagesAreListedAndCleared() throws Exception {
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "a"));
        api("POST", "/whatsapp/1/message/template", templateBody(CUSTOMER, "b", "welcome", "en", "Ada"));
        JsonArray all = json(call("GET", "/messages", null)).getJsonArray("messages");
        assertEquals(List.of("a TEXT", "b TEMPLATE"), all.stream()
                .map(v -> v.asJsonObject().getString("messageId") + " " + v.asJsonObject().getString("type")).toList());
        assertEquals(NOTIFY, all.getJsonObject(0).getString("notifyUrl"));
        assertEquals("2024-01-01T10:00:00.000+0000", all.getJsonObject(0).getString("sentAt"));
        assertEquals(200, call("DELETE", "/messages", null).status());
        assertEquals(0, json(call("GET", "/messages", null)).getJsonArray("messages").size());
    }

    @Test
    void aSendWithoutMessageIdGetsOneAndWithoutNotifyUrlNoReport() throws Exception {
        SandboxResponse r = api("POST", "/whatsapp/1/message/text",
                "{\"from\":\"" + SENDER + "\",\"to\":\"" + CUSTOMER + "\",\"content\":{\"text\":\"x\"}}");
        assertEquals(36, json(r).getString("messageId").length(), "a UUID");
        assertEquals(0, sandbox.pendingReports());
        SandboxResponse bad = api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "m").replace(NOTIFY, "ftp://x/y"));
        assertEquals(200, bad.status());
        assertEquals(0, sandbox.pendingReports());
        assertTrue(ctx.allLogs().contains("not an http(s) URL"), ctx.allLogs());
    }

    @Test
    void recordedMessagesCustomersAndMediaAreBounded() {
        String body = "{\"from\":\"" + SENDER + "\",\"to\":\"" + CUSTOMER + "\",\"content\":{\"text\":\"x\"}}";
        for (int i = 0; i < WhatsAppSandbox.MAX_RECORDED + 5; i++) call("POST", "/whatsapp/1/message/text", body);
        assertEquals(WhatsAppSandbox.MAX_RECORDED, json(call("GET", "/messages", null)).getJsonArray("messages").size());

        List<String> urls = new ArrayList<>();
        for (int i = 0; i < WhatsAppSandbox.MAX_MEDIA + 1; i++) {
            urls.add(customer(CUSTOMER, "image", "").result().getJsonObject("message").getString("url"));
        }
        assertEquals(404, call("GET", below(urls.get(0)), null).status(), "the oldest media is dropped");
        assertEquals(302, call("GET", below(urls.get(urls.size() - 1)), null).status());

        for (int i = 0; i <= WhatsAppSandbox.MAX_CUSTOMERS; i++) {
            assertEquals(200, call("POST", "/customer/" + (4100000000L + i) + "/text", "{\"text\":\"x\"}").status());
        }
        assertEquals(404, call("GET", "/customer/4100000000", null).status(), "the least recent customer is forgotten");
        assertEquals(200, call("GET", "/customer/" + (4100000000L + WhatsAppSandbox.MAX_CUSTOMERS), null).status());
    }

    @Test
    void aReplyContextIsAcceptedAndRequestTextCannotForgeLogLines() {
        JsonObject good = Jsons.parse(textBody(CUSTOMER, "m")).asJsonObject();
        assertEquals(200, api("POST", "/whatsapp/1/message/text", with(good, "context", Jsons.BUILDERS.createObjectBuilder()
                .add("replyToMessageId", "wamid.x").build())).status());
        assertEquals(200, allowed("POST", "/whatsapp/1/message/text", with(good, "messageId", "a\nINFO forged")).status());
        assertEquals(200, call("POST", "/whatsapp/1/message/template",
                templateBody(CUSTOMER, "t", "welcome", "en\\nINFO forged", "Ada")).status());
        assertFalse(ctx.allLogs().contains("\nINFO forged"), ctx.allLogs());
        assertTrue(ctx.allLogs().contains("a?INFO forged"), ctx.allLogs());
    }

    @Test
    void aFailedReportPostIsLoggedWithoutTheToken() throws Exception {
        reportStatus = -1;
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "f"));
        nextReport();
        waitUntil(() -> ctx.allLogs().contains("WARN SANDBOX: could not post the delivery report"));
        assertFalse(ctx.allLogs().contains("tok123"), ctx.allLogs());
        assertFalse(ctx.allLogs().contains(KEY), ctx.allLogs());
        assertFalse(ctx.allLogs().contains("hook-pw"), ctx.allLogs());
    }

    @Test
    void reportsComeAfterTheirDelays() throws Exception {
        sandbox.delays(WhatsAppSandbox.REPORT_DELAY, WhatsAppSandbox.SEEN_DELAY);
        customer(CUSTOMER, "text", "{\"text\":\"hi\"}");
        long start = System.nanoTime();
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "d"));
        assertNull(reports.poll(WhatsAppSandbox.REPORT_DELAY.toMillis() - 100, TimeUnit.MILLISECONDS));
        assertEquals("DELIVERED", nextReport().result().getJsonObject("status").getString("groupName"));
        Post seen = nextReport();
        assertTrue(seen.result().containsKey("seenAt"));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= WhatsAppSandbox.REPORT_DELAY.plus(WhatsAppSandbox.SEEN_DELAY).toMillis(), took + " ms");
    }

    @Test
    void closeCancelsPendingReports() throws Exception {
        sandbox.delays(WhatsAppSandbox.REPORT_DELAY, WhatsAppSandbox.SEEN_DELAY);
        api("POST", "/whatsapp/1/message/text", textBody(CUSTOMER, "c"));
        assertEquals(1, sandbox.pendingReports());
        sandbox.close();
        assertEquals(0, sandbox.pendingReports());
        assertNull(reports.poll(600, TimeUnit.MILLISECONDS));
    }

    /** Whatever arrives, the answer is never a 5xx (502 is only Parley's webhook refusing or unreachable). */
    @Test
    void noInputMakesItFail() {
        Random random = new Random(7);
        List<String> pieces = List.of("{", "}", "[", "]", "\"from\":", "\"to\":", "\"content\":", "\"text\":", "\"messages\":",
                "\"templateData\":", "\"body\":", "\"placeholders\":", "\"templateName\":", "\"language\":", "\"hours\":",
                "\"latitude\":", "\"id\":", "\"title\":", "null", "1e400", "-0", "\"\"", "\"x\"", ",", ":", "true", "\"" + CUSTOMER + "\"");
        List<String> paths = List.of("/whatsapp/1/message/text", "/whatsapp/1/message/template", "/customer/" + CUSTOMER + "/text",
                "/customer/" + CUSTOMER + "/location", "/customer/" + CUSTOMER + "/button", "/customer/" + CUSTOMER + "/list",
                "/customer/" + CUSTOMER + "/age-window", "/customer/" + CUSTOMER + "/image");
        inboundStatus = 200;
        for (int i = 0; i < 3000; i++) {
            StringBuilder body = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) body.append(pieces.get(random.nextInt(pieces.size())));
            String path = paths.get(random.nextInt(paths.size()));
            SandboxResponse r = call("POST", path, body.toString());
            assertTrue(r.status() < 500, path + " " + body + " -> " + r.status() + " " + r.json());
        }
    }
}
