package dev.parley.zendesk.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.ZendeskSettings;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskSandboxTest {

    private static final String AUTH_VALUE = "Basic " + Base64.getEncoder().encodeToString(
            (SandboxTestContext.EMAIL + "/token:" + SandboxTestContext.TOKEN).getBytes(StandardCharsets.UTF_8));
    private static final Map<String, List<String>> AUTH = Map.of("Authorization", List.of(AUTH_VALUE));
    private static final String TAG = "parley_i_demo";

    /** What the webhook target received. */
    private record Received(String path, String signature, String timestamp, String contentType, String body) {
    }

    private final SandboxTestContext ctx = new SandboxTestContext();
    private final ZendeskSettings settings = ZendeskSettings.from(ctx);
    private final ZendeskSandbox sandbox = new ZendeskSandbox(ctx, settings);
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer target;

    @AfterEach
    void tearDown() {
        sandbox.close();
        ctx.shutdown();
        if (target != null) target.stop(0);
    }

    @Test
    void aRestartedStandInNeverHandsOutATicketOrCommentIdAgain() {
        long ticket = handoffTicket("s-before");
        long comment = json(call("GET", "/agent/tickets/" + ticket, null)).getJsonObject("ticket").getJsonArray("comments")
                .getJsonObject(0).getJsonNumber("id").longValue();
        // Parley remembers ids in its database; the stand-in forgets everything when its connection restarts.
        SandboxTestContext later = new SandboxTestContext(SandboxTestContext.NOW.plusSeconds(60));
        ZendeskSandbox restarted = new ZendeskSandbox(later, ZendeskSettings.from(later));
        try {
            long user = json(restarted.handle("POST", "/api/v2/users/create_or_update", AUTH,
                    "{\"user\":{\"name\":\"Jo\",\"email\":\"jo@example.com\"}}".getBytes(StandardCharsets.UTF_8)))
                    .getJsonObject("user").getJsonNumber("id").longValue();
            SandboxResponse r = restarted.handle("POST", "/api/v2/tickets", AUTH,
                    ticketBody(user, "s-after", "\"" + TAG + "\"").getBytes(StandardCharsets.UTF_8));
            JsonObject again = json(restarted.handle("GET", "/agent/tickets/"
                    + json(r).getJsonObject("ticket").getJsonNumber("id").longValue(), AUTH, new byte[0])).getJsonObject("ticket");
            assertTrue(again.getJsonNumber("id").longValue() > ticket, again.toString());
            assertTrue(again.getJsonArray("comments").getJsonObject(0).getJsonNumber("id").longValue() > comment, again.toString());
        } finally {
            restarted.close();
            later.shutdown();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private SandboxResponse call(String method, String path, String body) {
        return sandbox.handle(method, path, AUTH, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private SandboxResponse call(String method, String path, String body, Map<String, List<String>> headers) {
        return sandbox.handle(method, path, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject json(SandboxResponse r) {
        return (JsonObject) Jsons.parse(r.json());
    }

    private long requester(String email) {
        SandboxResponse r = call("POST", "/api/v2/users/create_or_update",
                "{\"user\":{\"name\":\"Jane Doe\",\"email\":\"" + email + "\",\"role\":\"end-user\"},\"skip_verify_email\":true}");
        assertTrue(r.status() == 200 || r.status() == 201, r.json());
        return json(r).getJsonObject("user").getJsonNumber("id").longValue();
    }

    private static String ticketBody(long requesterId, String session, String tags) {
        return "{\"ticket\":{\"subject\":\"Refund request\",\"requester_id\":" + requesterId + ",\"external_id\":\"" + session
                + "\",\"tags\":[" + tags + "],\"custom_fields\":[{\"id\":360001,\"value\":\"A-1\"}],"
                + "\"comment\":{\"body\":\"Summary... View session in Parley: https://parley.example/s/" + session
                + "\",\"public\":false}}}";
    }

    private long handoffTicket(String session) {
        long req = requester("jane@example.com");
        SandboxResponse r = sandbox.handle("POST", "/api/v2/tickets",
                Map.of("Authorization", List.of(AUTH_VALUE), "Idempotency-Key", List.of("handoff-" + session)),
                ticketBody(req, session, "\"parley_channel_sms\",\"parley_handed_off\",\"" + TAG + "\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status(), r.json());
        return json(r).getJsonObject("ticket").getJsonNumber("id").longValue();
    }

    private String startTarget() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Zendesk-Webhook-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Zendesk-Webhook-Signature-Timestamp"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.start();
        return "http://127.0.0.1:" + target.getAddress().getPort() + "/channel/desk1/webhook/ticket";
    }

    /** Registers the webhook and the three triggers as the contract describes; returns the signing secret. */
    private String register(String endpoint) {
        SandboxResponse w = call("POST", "/api/v2/webhooks", "{\"webhook\":{\"name\":\"Parley demo desk1\","
                + "\"description\":\"Managed by Parley\",\"status\":\"active\",\"endpoint\":\"" + endpoint + "\","
                + "\"http_method\":\"POST\",\"request_format\":\"json\",\"subscriptions\":[\"conditional_ticket_events\"]}}");
        assertEquals(201, w.status(), w.json());
        String id = json(w).getJsonObject("webhook").getString("id");
        assertTrue(id.matches("[0-9A-Z]{26}"), id);
        String tpl = "{\\\"ticket_id\\\":\\\"{{ticket.id}}\\\",\\\"external_id\\\":\\\"{{ticket.external_id}}\\\","
                + "\\\"status\\\":\\\"{{ticket.status}}\\\",\\\"event\\\":\\\"%s\\\"}";
        String agentReply = "{\"trigger\":{\"title\":\"Parley demo desk1: agent reply\",\"active\":true,\"conditions\":{\"all\":["
                + "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                + "{\"field\":\"comment_is_public\",\"operator\":\"is\",\"value\":\"true\"},"
                + "{\"field\":\"current_tags\",\"operator\":\"includes\",\"value\":\"" + TAG + "\"},"
                + "{\"field\":\"role\",\"operator\":\"is\",\"value\":\"agent\"}],\"any\":[]},"
                + "\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + id + "\",\"" + tpl.formatted("agent_comment") + "\"]}]}}";
        String solved = "{\"trigger\":{\"title\":\"Parley demo desk1: solved\",\"active\":true,\"conditions\":{\"all\":["
                + "{\"field\":\"status\",\"operator\":\"is\",\"value\":\"solved\"},"
                + "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                + "{\"field\":\"current_tags\",\"operator\":\"includes\",\"value\":\"" + TAG + "\"}],\"any\":[]},"
                + "\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + id + "\",\"" + tpl.formatted("solved") + "\"]}]}}";
        String assist = "{\"trigger\":{\"title\":\"Parley demo desk1: assist\",\"active\":true,\"conditions\":{\"all\":["
                + "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                + "{\"field\":\"comment_is_public\",\"operator\":\"is\",\"value\":\"true\"},"
                + "{\"field\":\"role\",\"operator\":\"is\",\"value\":\"end_user\"},"
                + "{\"field\":\"current_tags\",\"operator\":\"not_includes\",\"value\":\"parley_handed_off\"},"
                + "{\"field\":\"status\",\"operator\":\"less_than\",\"value\":\"solved\"}],\"any\":[]},"
                + "\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + id + "\",\"" + tpl.formatted("customer_comment") + "\"]}]}}";
        for (String t : List.of(agentReply, solved, assist)) {
            SandboxResponse r = call("POST", "/api/v2/triggers", t);
            assertEquals(201, r.status(), r.json());
        }
        SandboxResponse s = call("GET", "/api/v2/webhooks/" + id + "/signing_secret", null);
        assertEquals(200, s.status());
        assertEquals("sha256", json(s).getJsonObject("signing_secret").getString("algorithm"));
        return json(s).getJsonObject("signing_secret").getString("secret");
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertNothingPosted() throws InterruptedException {
        Received r = received.poll(700, TimeUnit.MILLISECONDS);
        assertNull(r, () -> "unexpected webhook post: " + r);
    }

    // ---- auth -----------------------------------------------------------------------------------

    @Test
    void everyCallNeedsTheConfiguredToken() {
        String wrongToken = "Basic " + Base64.getEncoder().encodeToString(
                (SandboxTestContext.EMAIL + "/token:wrong").getBytes(StandardCharsets.UTF_8));
        String wrongEmail = "Basic " + Base64.getEncoder().encodeToString(
                ("other@acme.example/token:" + SandboxTestContext.TOKEN).getBytes(StandardCharsets.UTF_8));
        for (Map<String, List<String>> h : List.of(Map.<String, List<String>>of(),
                Map.of("Authorization", List.of(wrongToken)), Map.of("Authorization", List.of(wrongEmail)),
                Map.of("Authorization", List.of("Bearer " + SandboxTestContext.TOKEN)),
                Map.of("Authorization", List.of("Basic !!notbase64")), Map.of("Authorization", List.of("Basic ")))) {
            SandboxResponse r = call("GET", "/api/v2/tickets/1", null, h);
            assertEquals(401, r.status(), h.toString());
            assertEquals("{\"error\":\"Couldn't authenticate you\"}", r.json());
        }
        // Header names in any case, as the runtime passes them.
        assertEquals(404, call("GET", "/api/v2/tickets/1", null, Map.of("authorization", List.of(AUTH_VALUE))).status());
        // Wrong credentials on users/me are a 401 too; no credentials at all answer the anonymous user.
        assertEquals(401, call("GET", "/api/v2/users/me", null, Map.of("Authorization", List.of(wrongToken))).status());
        assertEquals(401, call("GET", "/agent/tickets", null, Map.of()).status());
        SandboxResponse anonymous = call("GET", "/api/v2/users/me", null, Map.of());
        assertEquals(200, anonymous.status());
        assertTrue(json(anonymous).getJsonObject("user").isNull("id"));
        assertFalse(anonymous.json().contains(SandboxTestContext.TOKEN));
    }

    @Test
    void anAdminsCallCarriesTheConnectionsCredentialsInsteadOfTheAdminsButNeverReadsTheSigningSecret() {
        Map<String, List<String>> adminsHeaders = Map.of("authorization", List.of("Basic YWRtaW46ZGVtby1hZG1pbg=="),
                "Content-Type", List.of("application/json"));
        assertEquals(401, call("GET", "/agent/tickets", null, adminsHeaders).status(), "the admin's own are no Zendesk token");
        SandboxResponse created = sandbox.handleForAdmin("POST", "/agent/tickets",
                adminsHeaders, "{\"subject\":\"Help\",\"text\":\"My parcel\",\"email\":\"kim@example.com\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.json());
        SandboxResponse listed = sandbox.handleForAdmin("GET", "/agent/tickets", adminsHeaders, new byte[0]);
        assertEquals(200, listed.status(), listed.json());
        assertEquals(1, json(listed).getJsonArray("tickets").size());

        String id = json(call("POST", "/api/v2/webhooks", "{\"webhook\":{\"name\":\"w\",\"status\":\"active\","
                + "\"endpoint\":\"https://parley.example/channel/desk1/webhook/ticket\",\"http_method\":\"POST\","
                + "\"request_format\":\"json\",\"subscriptions\":[\"conditional_ticket_events\"]}}"))
                .getJsonObject("webhook").getString("id");
        String secret = json(call("GET", "/api/v2/webhooks/" + id + "/signing_secret", null))
                .getJsonObject("signing_secret").getString("secret");
        for (String path : List.of("/api/v2/webhooks/" + id + "/signing_secret", "/api/v2/webhooks/" + id + "/signing_secret.json?x=1",
                "/api/v2/webhooks/" + id + "/SIGNING_SECRET/")) {
            SandboxResponse refused = sandbox.handleForAdmin("GET", path, adminsHeaders, new byte[0]);
            assertEquals(403, refused.status(), path);
            assertFalse(refused.json().contains(secret), refused.json());
        }
        assertEquals(403, sandbox.handleForAdmin("POST", "/api/v2/webhooks/" + id + "/signing_secret", adminsHeaders,
                new byte[0]).status(), "nor resets it");
    }

    @Test
    void meIsTheConfiguredAdmin() {
        SandboxResponse r = call("GET", "/api/v2/users/me.json", null);
        assertEquals(200, r.status());
        JsonObject user = json(r).getJsonObject("user");
        assertEquals(1, user.getInt("id"));
        assertEquals(SandboxTestContext.EMAIL, user.getString("email"));
        assertEquals("admin", user.getString("role"));
        assertFalse(user.getBoolean("restricted_agent"));
    }

    @Test
    void unknownPathsAndWrongMethods() {
        SandboxResponse r = call("GET", "/api/v2/organizations", null);
        assertEquals(404, r.status());
        assertEquals("InvalidEndpoint", json(r).getString("error"));
        assertEquals(404, call("GET", "/nothing", null).status());
        assertEquals(405, call("DELETE", "/api/v2/users/me", null).status());
        assertEquals(405, call("POST", "/api/v2/tickets/1/comments", "{}").status());
        assertEquals(405, call("GET", "/agent/tickets/1/reply", null).status());
        SandboxResponse bad = call("POST", "/api/v2/tickets", "not json");
        assertEquals(400, bad.status());
        assertEquals(404, call("GET", "/api/v2/tickets/abc", null).status());
    }

    // ---- users ----------------------------------------------------------------------------------

    @Test
    void createOrUpdateMatchesByEmailThenExternalId() {
        SandboxResponse created = call("POST", "/api/v2/users/create_or_update",
                "{\"user\":{\"name\":\"Jane\",\"email\":\"jane@example.com\",\"role\":\"end-user\",\"phone\":\"+15135557611\"},"
                        + "\"skip_verify_email\":true}");
        assertEquals(201, created.status());
        long id = json(created).getJsonObject("user").getJsonNumber("id").longValue();
        assertEquals("https://parley.example/sandbox/desk1/api/v2/users/" + id + ".json", created.headers().get("Location"));

        SandboxResponse again = call("POST", "/api/v2/users/create_or_update",
                "{\"user\":{\"name\":\"Jane Doe\",\"email\":\"JANE@example.com\",\"external_id\":\"Bot-User-1\"}}");
        assertEquals(200, again.status());
        assertEquals(id, json(again).getJsonObject("user").getJsonNumber("id").longValue());
        assertEquals("Jane Doe", json(again).getJsonObject("user").getString("name"));

        SandboxResponse byExternal = call("POST", "/api/v2/users/create_or_update",
                "{\"user\":{\"name\":\"J\",\"external_id\":\"bot-user-1\"}}");
        assertEquals(200, byExternal.status());
        assertEquals(id, json(byExternal).getJsonObject("user").getJsonNumber("id").longValue());

        JsonObject shown = json(call("GET", "/api/v2/users/" + id, null)).getJsonObject("user");
        assertEquals("end-user", shown.getString("role"));
        assertEquals("+15135557611", shown.getString("phone"));
        assertEquals("bot-user-1", shown.getString("external_id"));
        assertEquals(404, call("GET", "/api/v2/users/99999", null).status());
        assertEquals(422, call("POST", "/api/v2/users/create_or_update", "{\"user\":{\"email\":\"nope\"}}").status());
    }

    // ---- tickets --------------------------------------------------------------------------------

    @Test
    void idempotencyKeyMissHitAndConflict() {
        long req = requester("jane@example.com");
        String body = ticketBody(req, "sess-1", "\"parley_channel_sms\",\"" + TAG + "\"");
        Map<String, List<String>> headers = Map.of("Authorization", List.of(AUTH_VALUE), "Idempotency-Key", List.of("k-1"));

        SandboxResponse first = call("POST", "/api/v2/tickets", body, headers);
        assertEquals(201, first.status(), first.json());
        assertEquals("miss", first.headers().get("x-idempotency-lookup"));
        JsonObject ticket = json(first).getJsonObject("ticket");
        long id = ticket.getJsonNumber("id").longValue();
        assertEquals("new", ticket.getString("status"));
        assertEquals(req, ticket.getJsonNumber("requester_id").longValue());
        assertEquals("sess-1", ticket.getString("external_id"));
        assertEquals("Refund request", ticket.getString("subject"));
        assertEquals(List.of("parley_channel_sms", TAG), ticket.getJsonArray("tags").getValuesAs(
                jakarta.json.JsonString::getString));
        assertEquals(360001, ticket.getJsonArray("custom_fields").getJsonObject(0).getInt("id"));

        SandboxResponse replay = call("POST", "/api/v2/tickets", body, headers);
        assertEquals(201, replay.status());
        assertEquals("hit", replay.headers().get("x-idempotency-lookup"));
        assertEquals(id, json(replay).getJsonObject("ticket").getJsonNumber("id").longValue());

        SandboxResponse conflict = call("POST", "/api/v2/tickets", body.replace("Refund", "Other"), headers);
        assertEquals(400, conflict.status());
        assertEquals("IdempotentRequestError", json(conflict).getString("error"));

        SandboxResponse noKey = call("POST", "/api/v2/tickets", body);
        assertEquals(201, noKey.status());
        assertNull(noKey.headers().get("x-idempotency-lookup"));
        assertNotEquals(id, json(noKey).getJsonObject("ticket").getJsonNumber("id").longValue());

        // Both tickets share the external id; the list finds them (query string passed by the runtime).
        JsonObject found = json(call("GET", "/api/v2/tickets?external_id=sess-1", null));
        assertEquals(2, found.getInt("count"));
        assertEquals(0, json(call("GET", "/api/v2/tickets?external_id=other", null)).getInt("count"));

        // The internal note with the session link is the first comment.
        JsonObject c = json(call("GET", "/api/v2/tickets/" + id + "/comments", null)).getJsonArray("comments").getJsonObject(0);
        assertFalse(c.getBoolean("public"));
        assertEquals(1, c.getInt("author_id"));
        assertTrue(c.getString("body").contains("View session in Parley: https://parley.example/s/sess-1"));
    }

    @Test
    void ticketValidation() {
        assertEquals(422, call("POST", "/api/v2/tickets", "{\"ticket\":{\"subject\":\"x\"}}").status());
        assertEquals(422, call("POST", "/api/v2/tickets",
                "{\"ticket\":{\"requester_id\":4242,\"comment\":{\"body\":\"x\"}}}").status());
        assertEquals(404, call("PUT", "/api/v2/tickets/77", "{\"ticket\":{\"status\":\"open\"}}").status());
        long id = handoffTicket("s");
        assertEquals(422, call("PUT", "/api/v2/tickets/" + id, "{\"ticket\":{\"status\":\"done\"}}").status());
        assertEquals(200, call("PUT", "/api/v2/tickets/" + id, "{\"ticket\":{\"status\":\"closed\"}}").status());
        SandboxResponse closed = call("PUT", "/api/v2/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"x\"}}}");
        assertEquals(422, closed.status());
        assertTrue(closed.json().contains("closed prevents ticket update"));
    }

    @Test
    void commentsInOrderWithAuthorsAndVisibility() {
        long id = handoffTicket("sess-2");
        long req = json(call("GET", "/api/v2/tickets/" + id, null)).getJsonObject("ticket").getJsonNumber("requester_id").longValue();
        assertEquals(200, call("PUT", "/api/v2/tickets/" + id,
                "{\"ticket\":{\"comment\":{\"body\":\"Where is my refund?\",\"public\":true,\"author_id\":" + req + "}}}").status());
        assertEquals(200, call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"Checking now\",\"agent\":\"Dana\"}").status());
        assertEquals(200, call("PUT", "/api/v2/tickets/" + id,
                "{\"ticket\":{\"comment\":{\"body\":\"Customer ended the chat\",\"public\":false}}}").status());

        JsonArray asc = json(call("GET", "/api/v2/tickets/" + id + "/comments?sort_order=asc", null)).getJsonArray("comments");
        assertEquals(4, asc.size());
        List<String> bodies = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < asc.size(); i++) {
            JsonObject c = asc.getJsonObject(i);
            assertEquals("Comment", c.getString("type"));
            assertEquals(c.getString("body"), c.getString("plain_body"));
            assertEquals("2026-01-01T00:00:00Z", c.getString("created_at"));
            assertTrue(c.getJsonNumber("id").longValue() > previous);
            previous = c.getJsonNumber("id").longValue();
            bodies.add(c.getString("body"));
        }
        assertEquals("Where is my refund?", bodies.get(1));
        assertEquals(req, asc.getJsonObject(1).getJsonNumber("author_id").longValue());
        assertTrue(asc.getJsonObject(1).getBoolean("public"));
        assertEquals("Checking now", bodies.get(2));
        long dana = asc.getJsonObject(2).getJsonNumber("author_id").longValue();
        JsonObject agent = json(call("GET", "/api/v2/users/" + dana, null)).getJsonObject("user");
        assertEquals("Dana", agent.getString("name"));
        assertEquals("agent", agent.getString("role"));
        assertFalse(asc.getJsonObject(3).getBoolean("public"));

        JsonArray desc = json(call("GET", "/api/v2/tickets/" + id + "/comments?sort_order=desc", null)).getJsonArray("comments");
        assertEquals("Customer ended the chat", desc.getJsonObject(0).getString("body"));
        assertEquals(asc.getJsonObject(0), desc.getJsonObject(3));
        assertEquals(400, call("GET", "/api/v2/tickets/" + id + "/comments?sort_order=sideways", null).status());

        // The agent's reply took the ticket from new to open; the same agent is reused.
        assertEquals("open", json(call("GET", "/api/v2/tickets/" + id, null)).getJsonObject("ticket").getString("status"));
        call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"Done\"}");
        JsonArray again = json(call("GET", "/api/v2/tickets/" + id + "/comments", null)).getJsonArray("comments");
        assertEquals(dana, again.getJsonObject(4).getJsonNumber("author_id").longValue());
    }

    @Test
    void tagsAddSetAndTicketTagUpdates() {
        long id = handoffTicket("sess-3");
        SandboxResponse r = call("PUT", "/api/v2/tickets/" + id + "/tags", "{\"tags\":[\"parley_resolved\",\"VIP Customer\"]}");
        assertEquals(200, r.status());
        assertEquals(List.of("parley_channel_sms", "parley_handed_off", TAG, "parley_resolved", "vip", "customer"),
                json(r).getJsonArray("tags").getValuesAs(jakarta.json.JsonString::getString));
        call("PUT", "/api/v2/tickets/" + id, "{\"ticket\":{\"additional_tags\":[\"x1\"],\"remove_tags\":[\"vip\",\"customer\"]}}");
        JsonArray tags = json(call("GET", "/api/v2/tickets/" + id, null)).getJsonObject("ticket").getJsonArray("tags");
        assertEquals(List.of("parley_channel_sms", "parley_handed_off", TAG, "parley_resolved", "x1"),
                tags.getValuesAs(jakarta.json.JsonString::getString));
    }

    // ---- triggers and webhooks ------------------------------------------------------------------

    @Test
    void agentReplyFiresTheWebhookSignedLikeZendesk() throws Exception {
        String endpoint = startTarget();
        String secret = register(endpoint);
        long id = handoffTicket("sess-4");
        assertNothingPosted(); // creation is update_type Create

        assertEquals(200, call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"Hi, Dana here\",\"public\":true}").status());
        Received post = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(post, "no webhook post; log: " + ctx.allLogs());
        assertEquals("/channel/desk1/webhook/ticket", post.path());
        assertEquals("{\"ticket_id\":\"" + id + "\",\"external_id\":\"sess-4\",\"status\":\"open\",\"event\":\"agent_comment\"}",
                post.body());
        assertEquals("2026-01-01T00:00:00Z", post.timestamp());
        assertEquals(hmac(secret, post.timestamp() + post.body()), post.signature());
        assertTrue(post.contentType().startsWith("application/json"));
        assertNothingPosted(); // exactly one trigger fired

        assertEquals(200, call("POST", "/agent/tickets/" + id + "/solve", null).status());
        Received solved = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(solved);
        assertEquals("{\"ticket_id\":\"" + id + "\",\"external_id\":\"sess-4\",\"status\":\"solved\",\"event\":\"solved\"}",
                solved.body());
        assertEquals(hmac(secret, solved.timestamp() + solved.body()), solved.signature());

        for (int i = 0; i < 50 && !ctx.allLogs().contains("answered 200"); i++) Thread.sleep(20);
        assertTrue(ctx.allLogs().contains("SANDBOX: webhook "), ctx.allLogs());
        assertTrue(ctx.allLogs().contains("answered 200"), ctx.allLogs());
        assertFalse(ctx.allLogs().contains(secret));
    }

    @Test
    void internalNotesAndRelayedCustomerMessagesDoNotFireTheAgentReplyTrigger() throws Exception {
        register(startTarget());
        long id = handoffTicket("sess-5");
        long req = json(call("GET", "/api/v2/tickets/" + id, null)).getJsonObject("ticket").getJsonNumber("requester_id").longValue();

        call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"note to self\",\"public\":false}");
        call("PUT", "/api/v2/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"Parley note\",\"public\":false}}}");
        call("PUT", "/api/v2/tickets/" + id,
                "{\"ticket\":{\"comment\":{\"body\":\"customer says hi\",\"public\":true,\"author_id\":" + req + "}}}");
        call("POST", "/agent/tickets/" + id + "/customer-comment", "{\"text\":\"still there?\"}");
        call("PUT", "/api/v2/tickets/" + id + "/tags", "{\"tags\":[\"parley_x\"]}");
        // handed_off tickets are excluded from assist, and none of the above is an agent's public reply
        assertNothingPosted();
    }

    @Test
    void assistTriggerFiresOnACustomersOwnTicket() throws Exception {
        String secret = register(startTarget());
        SandboxResponse created = call("POST", "/agent/tickets",
                "{\"subject\":\"Broken zipper\",\"text\":\"My bag's zipper broke\",\"email\":\"sam@example.com\"}");
        assertEquals(201, created.status(), created.json());
        long id = json(created).getJsonObject("ticket").getJsonNumber("id").longValue();
        assertNothingPosted(); // a new ticket is update_type Create

        call("POST", "/agent/tickets/" + id + "/customer-comment", "{\"text\":\"Any news?\"}");
        Received post = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(post);
        assertEquals("{\"ticket_id\":\"" + id + "\",\"external_id\":\"\",\"status\":\"new\",\"event\":\"customer_comment\"}",
                post.body());
        assertEquals(hmac(secret, post.timestamp() + post.body()), post.signature());

        // Once solved, a customer comment reopens the ticket and assist fires again (status open < solved).
        call("POST", "/agent/tickets/" + id + "/solve", "{\"agent\":\"Lee\"}");
        assertNothingPosted(); // no installation tag: the solved trigger ignores it
        call("POST", "/agent/tickets/" + id + "/customer-comment", "{\"text\":\"Still broken\"}");
        Received reopened = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(reopened);
        assertTrue(reopened.body().contains("\"status\":\"open\""), reopened.body());

        JsonArray all = json(call("GET", "/agent/tickets", null)).getJsonArray("tickets");
        assertEquals(1, all.size());
        // The ticket link a handoff records (<base-url>/agent/tickets/<id>) opens that ticket.
        SandboxResponse one = call("GET", "/agent/tickets/" + id, null);
        assertEquals(200, one.status(), one.json());
        assertEquals(all.getJsonObject(0), json(one).getJsonObject("ticket"));
        assertEquals(404, call("GET", "/agent/tickets/424242", null).status());
        SandboxResponse anonymous = call("GET", "/agent/tickets/" + id, null, Map.of());
        assertEquals(401, anonymous.status());
        assertTrue(anonymous.headers().get("WWW-Authenticate").startsWith("Basic realm="), anonymous.headers().toString());
        assertEquals(3, all.getJsonObject(0).getJsonArray("comments").size());
        assertTrue(all.getJsonObject(0).getJsonArray("comments").getJsonObject(0).getString("author").contains("end-user"));
    }

    @Test
    void webhookAndTriggerLifecycle() {
        SandboxResponse w = call("POST", "/api/v2/webhooks", "{\"webhook\":{\"name\":\"Parley demo desk1\",\"status\":\"active\","
                + "\"endpoint\":\"https://parley.example/channel/desk1/webhook/ticket\",\"http_method\":\"POST\","
                + "\"request_format\":\"json\",\"subscriptions\":[\"conditional_ticket_events\"]}}");
        assertEquals(201, w.status());
        String id = json(w).getJsonObject("webhook").getString("id");
        assertEquals("https://parley.example/channel/desk1/webhook/ticket",
                json(call("GET", "/api/v2/webhooks/" + id, null)).getJsonObject("webhook").getString("endpoint"));
        assertEquals(1, json(call("GET", "/api/v2/webhooks?filter%5Bname_contains%5D=parley%20demo", null))
                .getJsonArray("webhooks").size());
        String s1 = json(call("GET", "/api/v2/webhooks/" + id + "/signing_secret", null)).getJsonObject("signing_secret").getString("secret");
        String s2 = json(call("GET", "/api/v2/webhooks/" + id + "/signing_secret", null)).getJsonObject("signing_secret").getString("secret");
        assertEquals(s1, s2);
        assertTrue(s1.length() >= 40);
        assertFalse(w.json().contains(s1)); // the secret is only in signing_secret

        String trigger = "{\"trigger\":{\"title\":\"T\",\"conditions\":{\"all\":[{\"field\":\"update_type\",\"value\":\"Change\"}],"
                + "\"any\":[]},\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + id + "\",\"{}\"]}]}}";
        SandboxResponse t = call("POST", "/api/v2/triggers", trigger);
        assertEquals(201, t.status());
        long tid = json(t).getJsonObject("trigger").getJsonNumber("id").longValue();
        assertTrue(json(t).getJsonObject("trigger").getBoolean("active"));
        SandboxResponse updated = call("PUT", "/api/v2/triggers/" + tid, "{\"trigger\":{\"active\":false,\"title\":\"T2\"}}");
        assertEquals(200, updated.status());
        assertFalse(json(updated).getJsonObject("trigger").getBoolean("active"));
        assertEquals("T2", json(call("GET", "/api/v2/triggers/" + tid, null)).getJsonObject("trigger").getString("title"));
        assertEquals(1, json(call("GET", "/api/v2/triggers", null)).getInt("count"));
        assertEquals(204, call("DELETE", "/api/v2/triggers/" + tid, null).status());
        assertEquals(404, call("GET", "/api/v2/triggers/" + tid, null).status());

        assertEquals(204, call("DELETE", "/api/v2/webhooks/" + id, null).status());
        assertEquals(404, call("GET", "/api/v2/webhooks/" + id, null).status());
        assertEquals(404, call("GET", "/api/v2/webhooks/" + id + "/signing_secret", null).status());
        // A trigger may not point at a webhook that does not exist.
        assertEquals(422, call("POST", "/api/v2/triggers", trigger).status());
        assertEquals(400, call("POST", "/api/v2/webhooks", "{\"webhook\":{\"name\":\"x\",\"endpoint\":\"ftp://x\","
                + "\"subscriptions\":[\"conditional_ticket_events\"]}}").status());
    }

    @Test
    void closeCancelsPendingPosts() throws Exception {
        register(startTarget());
        long id = handoffTicket("sess-6");
        call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"bye\"}");
        assertEquals(1, sandbox.pendingWebhookPosts());
        sandbox.close();
        assertEquals(0, sandbox.pendingWebhookPosts());
        assertNothingPosted();
    }

    @Test
    void unreachableWebhookIsLoggedNotThrown() throws Exception {
        register("http://127.0.0.1:1/channel/desk1/webhook/ticket");
        long id = handoffTicket("sess-7");
        assertEquals(200, call("POST", "/agent/tickets/" + id + "/reply", "{\"text\":\"hello\"}").status());
        for (int i = 0; i < 200 && !ctx.allLogs().contains("failed"); i++) Thread.sleep(25);
        assertTrue(ctx.allLogs().contains("WARN SANDBOX: webhook "), ctx.allLogs());
        assertTrue(ctx.allLogs().contains("failed: ConnectException"), ctx.allLogs());
    }

    @Test
    void signatureMatchesTheDocumentedVector() {
        assertEquals("S7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=", SandboxWebhookSender.sign(
                "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==", "2026-01-01T00:00:00Z", "{\"ticket_id\":\"123\"}"));
    }

    // ---- help center ----------------------------------------------------------------------------

    @Test
    void helpCenterHonoursStartTime() {
        long now = SandboxTestContext.NOW.getEpochSecond();
        JsonObject all = json(call("GET", "/api/v2/help_center/incremental/articles?start_time=0", null));
        assertEquals(5, all.getInt("count"));
        assertTrue(all.isNull("next_page"));
        assertEquals(now - Duration.ofHours(2).toSeconds(), all.getJsonNumber("end_time").longValue());
        JsonArray articles = all.getJsonArray("articles");
        JsonObject first = articles.getJsonObject(0);
        assertEquals("Opening hours", first.getString("title"));
        assertTrue(first.getString("body").startsWith("<p>"));
        assertEquals("en-us", first.getString("locale"));
        assertFalse(first.getBoolean("draft"));
        assertTrue(first.isNull("user_segment_id"));
        assertTrue(first.getString("html_url").contains("/hc/en-us/articles/" + first.getJsonNumber("id") + "-opening-hours"));
        assertEquals("2025-12-02T00:00:00Z", first.getString("updated_at"));
        assertEquals(1, articles.stream().filter(a -> a.asJsonObject().getBoolean("draft")).count());
        assertEquals(1, articles.stream().filter(a -> !a.asJsonObject().isNull("user_segment_id")).count());

        long threeDaysAgo = now - Duration.ofDays(3).toSeconds();
        JsonObject recent = json(call("GET", "/api/v2/help_center/incremental/articles?start_time=" + threeDaysAgo, null));
        assertEquals(3, recent.getInt("count"));
        assertEquals("Shipping times and costs", recent.getJsonArray("articles").getJsonObject(0).getString("title"));

        JsonObject none = json(call("GET", "/api/v2/help_center/incremental/articles?start_time=" + (now + 1), null));
        assertEquals(0, none.getInt("count"));
        assertEquals(now + 1, none.getJsonNumber("end_time").longValue()); // the cursor never moves back
        assertEquals(400, call("GET", "/api/v2/help_center/incremental/articles", null).status());
    }

    // ---- bounds and concurrency -----------------------------------------------------------------

    @Test
    void oldestTicketsAreDropped() {
        long req = requester("bulk@example.com");
        long firstId = 0;
        for (int i = 0; i <= ZendeskSandbox.MAX_TICKETS; i++) {
            SandboxResponse r = call("POST", "/api/v2/tickets",
                    "{\"ticket\":{\"requester_id\":" + req + ",\"comment\":{\"body\":\"t" + i + "\"}}}");
            if (i == 0) firstId = json(r).getJsonObject("ticket").getJsonNumber("id").longValue();
        }
        assertEquals(404, call("GET", "/api/v2/tickets/" + firstId, null).status());
        assertEquals(200, call("GET", "/api/v2/tickets/" + (firstId + 1), null).status());
        assertEquals(ZendeskSandbox.MAX_TICKETS, json(call("GET", "/agent/tickets", null)).getJsonArray("tickets").size());
    }

    @Test
    void concurrentCreatesGetDistinctTicketsAndOneTicketPerKey() throws Exception {
        long req = requester("many@example.com");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "key-" + (i % 50); // each key used by 4 callers at once
                futures.add(pool.submit(() -> {
                    SandboxResponse r = call("POST", "/api/v2/tickets", ticketBody(req, key, "\"" + TAG + "\""),
                            Map.of("Authorization", List.of(AUTH_VALUE), "Idempotency-Key", List.of(key)));
                    assertEquals(201, r.status(), r.json());
                    return json(r).getJsonObject("ticket").getJsonNumber("id").longValue();
                }));
            }
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            for (Future<Long> f : futures) ids.add(f.get(10, TimeUnit.SECONDS));
            assertEquals(50, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
