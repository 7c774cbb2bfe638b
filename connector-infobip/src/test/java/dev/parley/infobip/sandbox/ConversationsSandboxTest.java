package dev.parley.infobip.sandbox;

import dev.parley.infobip.http.MediaCopier;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.conversations.ConversationsErrors;
import dev.parley.infobip.conversations.ConversationsRequests;
import dev.parley.infobip.conversations.ConversationsWebhooks;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.infobip.whatsapp.WhatsAppWebhooks;
import dev.parley.spi.Attachment;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Conversations stand-in: Infobip's auth, answers (checked against the published specs) and refusals (a closed
 * conversation, a message by someone other than the assignee, a tag that does not exist, a note too long), the
 * subscriptions, and the events it posts only to subscribed URLs, which Parley's own parser reads as the SPI events
 * they stand for.
 */
class ConversationsSandboxTest {

    private static final String KEY = "test-key";
    private static final String AI = "ai-agent-7";
    private static final String ANA = ConversationsSandbox.HUMAN_AGENT;
    private static final String BASE = "https://parley.example/sandbox/sms1";
    private static final URI HOOK = URI.create("https://parley.example/channel/sms1/webhook/conversations");
    private static final URI OTHER_HOOK = URI.create("https://other.example/hook");
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("infobip:hook-pw".getBytes(StandardCharsets.UTF_8));
    private static final String CLOSED_BODY =
            "{\"requestError\":{\"serviceException\":{\"messageId\":\"BAD_REQUEST\",\"text\":\"Closed conversation cannot be changed\"}}}";
    private static final Map<String, List<String>> AUTH = Map.of("Authorization", List.of("App " + KEY),
            "Content-Type", List.of("application/json"));
    private static final OpenApiInteractionValidator CONVERSATIONS_SPEC = OpenApiInteractionValidator
            .createForInlineApiSpecification(InfobipSpecValidator.spec("/openapi/infobip-conversations.json")).build();
    private static final OpenApiInteractionValidator SUBSCRIPTIONS_SPEC = OpenApiInteractionValidator
            .createForInlineApiSpecification(InfobipSpecValidator.spec("/openapi/infobip-subscriptions-api.json")).build();

    private record Post(URI url, String json, String authorization) {
        JsonObject body() {
            return Jsons.parse(json).asJsonObject();
        }

        String type() {
            return body().getString("type");
        }

        JsonObject payload() {
            return body().getJsonObject("payload");
        }
    }

    private final FakeContext ctx = new FakeContext();
    private final LinkedBlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final List<Integer> answers = new ArrayList<>(); // statuses the receiver answers, in turn; then 200
    private final AtomicInteger attempts = new AtomicInteger();
    private final ConversationsSandbox sandbox = new ConversationsSandbox(ctx, KEY, AI, this::post);

    {
        sandbox.delays(Duration.ofMillis(10), Duration.ofMillis(30));
    }

    private int post(URI url, String json, String authorization) throws IOException {
        attempts.incrementAndGet();
        posts.add(new Post(url, json, authorization));
        synchronized (answers) {
            if (answers.isEmpty()) return 200;
            int status = answers.remove(0);
            if (status < 0) throw new IOException("Connection refused");
            return status;
        }
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        ctx.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static byte[] b(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(SandboxResponse r) {
        return Jsons.parse(r.json()).asJsonObject();
    }

    private SandboxResponse call(String method, String path, String body) {
        return sandbox.handle(method, path, AUTH, b(body));
    }

    private SandboxResponse call(String method, String path, String body, String agentId) {
        Map<String, List<String>> h = new HashMap<>(AUTH);
        if (agentId != null) h.put("x-agent-id", List.of(agentId));
        return sandbox.handle(method, path, h, b(body));
    }

    /** A call the published spec allows, made, and its answer checked against the spec. */
    private SandboxResponse api(String method, String path, String body) {
        return api(method, path, body, null);
    }

    private SandboxResponse api(String method, String path, String body, String agentId) {
        Map<String, List<String>> h = new HashMap<>(AUTH);
        if (agentId != null) h.put("x-agent-id", List.of(agentId));
        assertEquals(Optional.empty(), InfobipSpecValidator.check(method, path, h, body));
        SandboxResponse r = sandbox.handle(method, path, h, b(body));
        assertMatchesSpec(method, path, r);
        return r;
    }

    private static void assertMatchesSpec(String method, String path, SandboxResponse r) {
        OpenApiInteractionValidator spec = path.startsWith("/ccaas/") ? CONVERSATIONS_SPEC : SUBSCRIPTIONS_SPEC;
        SimpleResponse.Builder response = SimpleResponse.Builder.status(r.status());
        r.headers().forEach(response::withHeader);
        if (r.json() != null && !r.json().isEmpty()) response.withContentType("application/json").withBody(r.json());
        int q = path.indexOf('?');
        ValidationReport report = spec.validateResponse(q < 0 ? path : path.substring(0, q),
                Request.Method.valueOf(method), response.build());
        List<String> errors = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
        assertEquals(specsOwnFindings(path, r), errors, method + " " + path + " answered " + r.status() + " " + r.json());
    }

    /**
     * The Conversations spec contradicts itself, and these findings are expected, narrowly: its 400s are typed
     * {@code StatusCodeResponse} ({@code statusCode}, {@code message}) while every 400 example is the legacy
     * {@code requestError} body; route's 200 is typed {@code ConversationResultPage} while its example is a conversation;
     * a created tag is typed {@code CreateTagApiRequest} (the name) while its example adds {@code createdAt}.
     */
    private static List<String> specsOwnFindings(String path, SandboxResponse r) {
        String extra = "validation.response.body.schema.additionalProperties: Object instance has properties which are"
                + " not allowed by the schema: ";
        if (path.startsWith("/ccaas/") && r.status() == 400) return List.of(extra + "[\"requestError\"]");
        if (path.endsWith("/route") && r.status() == 200) {
            return List.of(extra + json(r).keySet().stream().sorted().map(k -> "\"" + k + "\"")
                    .collect(java.util.stream.Collectors.joining(",", "[", "]")));
        }
        if (path.equals("/ccaas/1/tags") && r.status() == 200 && json(r).containsKey("createdAt")) {
            return List.of(extra + "[\"createdAt\"]");
        }
        return List.of();
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

    /** The customer starts a conversation through the console; answers the console's answer. */
    private JsonObject start(String extra) {
        SandboxResponse r = call("POST", "/console/conversations",
                "{\"from\":\"+385911234567\",\"name\":\"Ana Customer\",\"text\":\"Hi\"" + extra + "}");
        assertEquals(200, r.status(), r.json());
        return json(r);
    }

    private String startId() {
        return start("").getString("conversationId");
    }

    private JsonObject view(String id) {
        SandboxResponse r = call("GET", "/console/conversations/" + id, null);
        assertEquals(200, r.status(), r.json());
        return json(r);
    }

    private void subscribe(String id, URI url, List<String> events) {
        JsonObject body = ConversationsRequests.subscription(id, url, "infobip", "hook-pw");
        if (events != null) {
            var events2 = Jsons.BUILDERS.createArrayBuilder();
            events.forEach(events2::add);
            body = Jsons.BUILDERS.createObjectBuilder(body).add("events", events2).build();
        }
        SandboxResponse r = call("POST", "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT", body.toString());
        assertEquals(201, r.status(), r.json());
    }

    private String reply(String conversationId, String text) {
        return ConversationsRequests.reply(ConversationsRequests.ReplyRoute.back("WHATSAPP", "385911234567",
                ConversationsSandbox.SENDER), text).toString();
    }

    private Post next() throws InterruptedException {
        Post p = posts.poll(5, TimeUnit.SECONDS);
        assertNotNull(p, "an event was posted");
        return p;
    }

    private void assertNothingPosted() throws InterruptedException {
        Post p = posts.poll(300, TimeUnit.MILLISECONDS);
        assertNull(p, () -> "nothing is posted, but " + p.json());
    }

    private final List<String> copied = new ArrayList<>();
    private final List<byte[]> downloads = new ArrayList<>();

    /** As the connection copies media: the sandbox's URL with the key, then the CDN link it redirects to, without. */
    private final MediaCopier copier = (kind, url, caption) -> {
        copied.add(kind + " " + url);
        assertTrue(url.startsWith(BASE + "/"), url);
        SandboxResponse redirect = call("GET", url.substring(BASE.length()), null);
        assertEquals(302, redirect.status());
        String cdn = redirect.headers().get("Location");
        SandboxResponse file = sandbox.handle("GET", cdn.substring(BASE.length()), Map.of(), new byte[0]);
        assertEquals(200, file.status());
        downloads.add(file.bytes());
        return new Attachment(kind, "copy-" + copied.size(), URI.create(url), file.headers().get("Content-Type"), null,
                (long) file.bytes().length, caption, null);
    };

    /** Parley's parser on a posted event: the one SPI event it stands for. */
    private <T extends InboundEvent> T parsed(Post p, Class<T> type) {
        WebhookBatch batch = ConversationsWebhooks.events(b(p.json()), AI, copier);
        assertEquals(List.of(), batch.skipped(), p.json());
        assertEquals(1, batch.events().size());
        return assertInstanceOf(type, batch.events().get(0));
    }

    private void assertSkipped(Post p) {
        WebhookBatch batch = ConversationsWebhooks.events(b(p.json()), AI, copier);
        assertEquals(List.of(), batch.events(), p.json());
        assertEquals(1, batch.skipped().size());
    }

    // ---- auth -----------------------------------------------------------------------------------

    @Test
    void everyPathButTheCdnNeedsTheApiKey() {
        String id = startId();
        for (Map<String, List<String>> h : List.of(Map.<String, List<String>>of(),
                Map.of("Authorization", List.of("App wrong-key")), Map.of("Authorization", List.of("Basic " + KEY)))) {
            for (String[] c : new String[][] {{"GET", "/ccaas/1/conversations?limit=1"}, {"GET", "/ccaas/1/conversations/" + id},
                    {"PATCH", "/ccaas/1/conversations/" + id}, {"GET", "/ccaas/1/agents/" + AI}, {"GET", "/ccaas/1/tags"},
                    {"GET", "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT"}, {"POST", "/console/conversations"},
                    {"GET", "/console/conversations"}, {"GET", "/console/subscriptions"}}) {
                SandboxResponse r = sandbox.handle(c[0], c[1], h, b("{\"status\":\"CLOSED\"}"));
                assertEquals(401, r.status(), c[0] + " " + c[1]);
                assertEquals("UNAUTHORIZED", legacyId(r));
            }
        }
        assertEquals("OPEN", view(id).getString("status"), "the refused PATCH changed nothing");
        assertEquals(404, sandbox.handle("GET", "/cdn/unknown", Map.of(), new byte[0]).status(), "no key needed, none found");
        assertEquals(200, api("GET", "/ccaas/1/conversations?limit=1", null).status());
    }

    // ---- conversations --------------------------------------------------------------------------

    @Test
    void conversationModelListAndPatch() {
        String first = startId();
        String second = start(",\"assignTo\":null,\"channel\":\"SMS\"").getString("conversationId");
        JsonObject c = json(api("GET", "/ccaas/1/conversations/" + first, null));
        assertEquals(first, c.getString("id"));
        assertEquals("OPEN", c.getString("status"));
        assertEquals("NORMAL", c.getString("priority"));
        assertEquals(AI, c.getString("agentId"));
        assertEquals(ConversationsSandbox.QUEUE_ID, c.getString("queueId"));
        assertEquals("2024-01-01T10:00:00.000+0000", c.getString("createdAt"));
        assertFalse(c.containsKey("closedAt"));
        assertFalse(json(api("GET", "/ccaas/1/conversations/" + second, null)).containsKey("agentId"), "unassigned");

        JsonObject page = json(api("GET", "/ccaas/1/conversations?limit=1", null));
        assertEquals(1, page.getJsonArray("conversations").size());
        assertEquals(second, page.getJsonArray("conversations").getJsonObject(0).getString("id"), "newest first");
        assertEquals(2, page.getJsonObject("pagination").getInt("totalItems"));
        assertEquals(1, page.getJsonObject("pagination").getInt("limit"));
        assertEquals(400, call("GET", "/ccaas/1/conversations?limit=-1", null).status());

        SandboxResponse unknown = api("GET", "/ccaas/1/conversations/nope", null);
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", legacyId(unknown));

        JsonObject patched = json(api("PATCH", "/ccaas/1/conversations/" + first,
                "{\"queueId\":\"q-2\",\"agentId\":\"" + ANA + "\",\"status\":\"WAITING\"}"));
        assertEquals("q-2", patched.getString("queueId"));
        assertEquals(ANA, patched.getString("agentId"));
        assertEquals("WAITING", patched.getString("status"));
        JsonObject put = json(call("PUT", "/ccaas/1/conversations/" + first, "{\"status\":\"SOLVED\"}"));
        assertEquals("SOLVED", put.getString("status"));
        assertEquals(List.of("status"), invalid(call("PATCH", "/ccaas/1/conversations/" + first, "{\"status\":\"DONE\"}")));
        assertEquals(404, call("PATCH", "/ccaas/1/conversations/" + first, "{\"agentId\":\"nobody\"}").status());
        assertEquals(ANA, view(first).getJsonObject("assignee").getString("id"), "a refused PATCH changed nothing");
    }

    @Test
    void aClosedConversationRefusesEveryWriteWithInfobipsBody() {
        String id = startId();
        call("POST", "/ccaas/1/tags", "{\"name\":\"vip\"}");
        JsonObject closed = json(api("PATCH", "/ccaas/1/conversations/" + id, ConversationsRequests.status("CLOSED").toString()));
        assertEquals("CLOSED", closed.getString("status"));
        assertEquals("2024-01-01T10:00:00.000+0000", closed.getString("closedAt"));

        String c = "/ccaas/1/conversations/" + id;
        List<SandboxResponse> refused = List.of(
                api("PATCH", c, "{\"status\":\"OPEN\"}"),
                call("PUT", c, "{\"status\":\"OPEN\"}"),
                api("PUT", c + "/assignee", ConversationsRequests.assignee(ANA).toString()),
                api("DELETE", c + "/assignee", null),
                api("POST", c + "/route", null),
                api("POST", c + "/tags", ConversationsRequests.tag("vip").toString()),
                call("POST", c + "/notes", ConversationsRequests.note(AI, "summary").toString()),
                api("POST", c + "/messages", reply(id, "Hello"), AI),
                call("POST", "/console/conversations/" + id + "/assign", "{\"agentId\":\"" + ANA + "\"}"),
                call("POST", "/console/conversations/" + id + "/status", "{\"status\":\"OPEN\"}"));
        for (SandboxResponse r : refused) {
            assertEquals(400, r.status(), r.json());
            assertEquals(CLOSED_BODY, r.json());
            assertTrue(ConversationsErrors.closed(new InfobipResponse(r.status(), null, r.json())));
        }
        JsonObject v = view(id);
        assertEquals("CLOSED", v.getString("status"));
        assertEquals(AI, v.getJsonObject("assignee").getString("id"));
        assertEquals(List.of(), v.getJsonArray("tags"));
        assertEquals(0, v.getJsonArray("notes").size());
        assertEquals(1, v.getJsonArray("messages").size(), "only the customer's");
        assertEquals(200, api("GET", c, null).status(), "reading is fine");
    }

    // ---- messages -------------------------------------------------------------------------------

    @Test
    void messagesNeedTheAssigneesAgentId() {
        String id = startId();
        String c = "/ccaas/1/conversations/" + id + "/messages";
        SandboxResponse none = call("POST", c, reply(id, "Hello"), null);
        assertEquals(400, none.status());
        assertTrue(legacyText(none).contains("x-agent-id is required"), none.json());
        SandboxResponse notAssignee = call("POST", c, reply(id, "Hello"), ANA);
        assertEquals(400, notAssignee.status());
        assertEquals("Agent 'agent-ana' is not the assignee of conversation " + id + " (it is assigned to " + AI + ")",
                legacyText(notAssignee));
        assertFalse(ConversationsErrors.closed(new InfobipResponse(400, null, notAssignee.json())));

        JsonObject sent = json(api("POST", c, reply(id, "Hello, how can I help?"), AI));
        assertEquals("OUTBOUND", sent.getString("direction"));
        assertEquals("BOT", sent.getString("authorType"));
        assertEquals(AI, sent.getString("authorId"));
        assertEquals(id, sent.getString("conversationId"));
        assertEquals("385911234567", sent.getString("to"));
        assertEquals(ConversationsSandbox.SENDER, sent.getString("from"));
        assertEquals("Hello, how can I help?", sent.getJsonObject("content").getString("text"));

        assertEquals(200, call("POST", "/console/conversations/" + id + "/assign", "{\"agentId\":\"" + ANA + "\"}").status());
        assertEquals(400, call("POST", c, reply(id, "Still me"), AI).status(), "the AI no longer may");
        JsonObject human = json(api("POST", c, reply(id, "Ana here"), ANA));
        assertEquals("AGENT", human.getString("authorType"));
        assertEquals(ANA, human.getString("authorId"));

        assertEquals(200, call("POST", "/console/conversations/" + id + "/assign", "{\"agentId\":null}").status());
        assertEquals("SYSTEM", json(call("POST", c, reply(id, "Anyone"), null)).getString("authorType"));
        assertEquals(404, call("POST", c, reply(id, "Who?"), "stranger").status());

        JsonArray messages = view(id).getJsonArray("messages");
        assertEquals(List.of("INBOUND CUSTOMER Hi", "OUTBOUND BOT Hello, how can I help?", "OUTBOUND AGENT Ana here",
                        "OUTBOUND SYSTEM Anyone"),
                messages.stream().map(m -> m.asJsonObject()).map(m -> m.getString("direction") + " "
                        + m.getString("authorType") + " " + m.getJsonObject("content").getString("text")).toList());
    }

    @Test
    void messageValidation() {
        String id = startId();
        String c = "/ccaas/1/conversations/" + id + "/messages";
        assertEquals(200, call("POST", c, reply(id, "x".repeat(4096)), AI).status());
        SandboxResponse tooLong = call("POST", c, reply(id, "x".repeat(4097)), AI);
        assertEquals(List.of("content"), invalid(tooLong));
        assertEquals("size cannot be longer than 4096 characters.",
                json(tooLong).getJsonObject("requestError").getJsonObject("serviceException")
                        .getJsonObject("validationErrors").getJsonArray("content").getString(0));
        assertEquals(List.of("content"), invalid(call("POST", c, reply(id, " "), AI)));
        String wrongTo = ConversationsRequests.reply(new ConversationsRequests.ReplyRoute("WHATSAPP",
                ConversationsSandbox.SENDER, "38599999"), "Hi").toString();
        assertEquals(List.of("to"), invalid(call("POST", c, wrongTo, AI)));
        String wrongChannel = ConversationsRequests.reply(new ConversationsRequests.ReplyRoute("SMS",
                ConversationsSandbox.SENDER, "385911234567"), "Hi").toString();
        assertEquals(List.of("channel"), invalid(call("POST", c, wrongChannel, AI)));
        assertEquals(2, view(id).getJsonArray("messages").size(), "refused messages are not recorded");
        assertEquals(404, call("POST", "/ccaas/1/conversations/nope/messages", reply(id, "Hi"), AI).status());
    }

    // ---- assignment, tags, notes, agents --------------------------------------------------------

    @Test
    void assigneeAndRoute() {
        String id = startId();
        String c = "/ccaas/1/conversations/" + id;
        assertEquals(ANA, json(api("PUT", c + "/assignee", ConversationsRequests.assignee(ANA).toString())).getString("agentId"));
        SandboxResponse unknown = api("PUT", c + "/assignee", ConversationsRequests.assignee("nobody").toString());
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", legacyId(unknown));
        assertFalse(json(api("DELETE", c + "/assignee", null)).containsKey("agentId"));
        api("PUT", c + "/assignee", ConversationsRequests.assignee(AI).toString());
        JsonObject routed = json(api("POST", c + "/route", null));
        assertFalse(routed.containsKey("agentId"));
        assertEquals(ConversationsSandbox.QUEUE_ID, routed.getString("queueId"), "stays in its queue");
    }

    @Test
    void tagsMustExistBeforeAConversationTakesThem() {
        String id = startId();
        String c = "/ccaas/1/conversations/" + id + "/tags";
        SandboxResponse missing = api("POST", c, ConversationsRequests.tag("handled_by_AI").toString());
        assertEquals(400, missing.status());
        assertEquals("NOT_FOUND", legacyId(missing));
        assertEquals("Invalid tagName 'handled_by_AI' given! No such entity exists.", legacyText(missing));

        assertEquals(List.of("name"), invalid(call("POST", "/ccaas/1/tags", "{\"name\":\"handled by AI\"}")));
        assertEquals(List.of("name"), invalid(call("POST", "/ccaas/1/tags", "{\"name\":\"" + "a".repeat(101) + "\"}")));
        JsonObject created = json(api("POST", "/ccaas/1/tags", ConversationsRequests.newTag("handled_by_AI").toString()));
        assertEquals("handled_by_AI", created.getString("name"));
        SandboxResponse duplicate = api("POST", "/ccaas/1/tags", ConversationsRequests.newTag("handled_by_AI").toString());
        assertEquals(400, duplicate.status());
        assertEquals("Tag already exists.", legacyText(duplicate));

        SandboxResponse added = api("POST", c, ConversationsRequests.tag("handled_by_AI").toString());
        assertEquals("SUCCESS", json(added).getString("statusCode"));
        assertEquals(200, api("POST", c, ConversationsRequests.tag("handled_by_AI").toString()).status(), "again: harmless");
        assertEquals(List.of("handled_by_AI"), view(id).getJsonArray("tags").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());

        JsonObject all = json(api("GET", "/ccaas/1/tags", null));
        assertEquals(1, all.getJsonArray("tags").size());
        assertEquals("handled_by_AI", all.getJsonArray("tags").getJsonObject(0).getString("name"));
        assertEquals(1, all.getJsonObject("pagination").getInt("totalItems"));
        call("POST", "/ccaas/1/tags", "{\"name\":\"other\"}");
        assertEquals(1, json(api("GET", "/ccaas/1/tags?conversationId=" + id, null)).getJsonArray("tags").size());
        assertEquals(2, json(api("GET", "/ccaas/1/tags", null)).getJsonArray("tags").size());
    }

    @Test
    void notesAreCappedAt4000Characters() {
        String id = startId();
        String c = "/ccaas/1/conversations/" + id + "/notes";
        SandboxResponse ok = call("POST", c, ConversationsRequests.note(AI, "n".repeat(4000)).toString());
        assertEquals(200, ok.status(), ok.json());
        assertEquals(AI, json(ok).getString("agentId"));
        assertEquals("INTERNAL", json(ok).getString("type"));
        assertMatchesSpec("POST", c, ok);
        String over = Jsons.BUILDERS.createObjectBuilder().add("type", "INTERNAL").add("content", "n".repeat(4001))
                .add("agentId", AI).build().toString();
        assertEquals(List.of("content"), invalid(call("POST", c, over)));
        assertEquals(200, call("POST", c, ConversationsRequests.note(AI, "long ".repeat(2000)).toString()).status(),
                "Parley's cut note fits");
        assertEquals(404, call("POST", c, ConversationsRequests.note("nobody", "x").toString()).status());
        JsonArray notes = view(id).getJsonArray("notes");
        assertEquals(2, notes.size());
        assertEquals(4000, notes.getJsonObject(0).getString("content").length());
        assertTrue(notes.getJsonObject(1).getString("content").endsWith(" characters]"));
    }

    @Test
    void agents() {
        JsonObject ai = json(api("GET", "/ccaas/1/agents/" + AI, null));
        assertEquals(AI, ai.getString("id"));
        assertEquals("Parley AI agent", ai.getString("displayName"));
        JsonObject ana = json(api("GET", "/ccaas/1/agents/" + ANA, null));
        assertEquals("Ana (human agent)", ana.getString("displayName"));
        SandboxResponse unknown = api("GET", "/ccaas/1/agents/nobody", null);
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", legacyId(unknown));
    }

    // ---- subscriptions --------------------------------------------------------------------------

    @Test
    void subscriptionsCreateListDeleteAndNoDuplicate() {
        String path = "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT";
        String body = ConversationsRequests.subscription("conv1", HOOK, "infobip", "hook-pw").toString();
        SandboxResponse created = call("POST", path, body);
        assertEquals(201, created.status(), created.json());
        assertMatchesSpec("POST", path, created);
        assertEquals("parley-conv1", json(created).getString("subscriptionId"));
        assertEquals(BASE + path + "/parley-conv1", created.headers().get("Location"));

        SandboxResponse duplicate = call("POST", path, body);
        assertEquals(400, duplicate.status());
        assertEquals("BAD_REQUEST", legacyId(duplicate));
        assertTrue(legacyText(duplicate).contains("already exists"), duplicate.json());

        JsonObject list = json(api("GET", path + "?page=0&size=20", null));
        assertEquals(1, list.getJsonArray("results").size());
        JsonObject s = list.getJsonArray("results").getJsonObject(0);
        assertEquals("parley-conv1", s.getString("subscriptionId"));
        assertEquals(ConversationsRequests.EVENTS, s.getJsonArray("events").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals(1, list.getJsonObject("paging").getInt("totalResults"));
        assertEquals(List.of("size"), invalid(call("GET", path + "?page=0&size=101", null)));

        SandboxResponse profile = api("GET", "/subscriptions/1/profiles/parley-conv1", null);
        assertEquals(200, profile.status(), profile.json());
        assertEquals(HOOK.toString(), json(profile).getJsonObject("webhook").getString("notifyUrl"));
        assertFalse(profile.json().contains("hook-pw"), "never the password");
        assertEquals(404, api("GET", "/subscriptions/1/profiles/nobody", null).status());

        SandboxResponse console = call("GET", "/console/subscriptions", null);
        assertEquals(200, console.status());
        assertFalse(console.json().contains("hook-pw"), "never the password");
        JsonObject shown = json(console).getJsonArray("subscriptions").getJsonObject(0);
        assertEquals(HOOK.toString(), shown.getString("notifyUrl"));
        assertEquals("infobip", shown.getString("username"));
        assertEquals("BASIC", shown.getString("securityType"));

        SandboxResponse deleted = api("DELETE", path + "/parley-conv1", null);
        assertEquals(200, deleted.status());
        assertEquals(404, api("DELETE", path + "/parley-conv1", null).status());
        assertEquals(0, json(api("GET", path + "?page=0&size=20", null)).getJsonArray("results").size());
        assertEquals(201, call("POST", path, body).status(), "the id is free again");
    }

    // ---- events ---------------------------------------------------------------------------------

    @Test
    void eventsArePostedOnlyToSubscribedUrlsAndParleyReadsThem() throws InterruptedException {
        startId();
        assertNothingPosted();

        subscribe("conv1", HOOK, null);
        JsonObject started = start("");
        String id = started.getString("conversationId");
        assertFalse(started.containsKey("warning"));
        Post created = next();
        assertEquals(HOOK, created.url());
        assertEquals(BASIC, created.authorization());
        assertEquals("CONVERSATION_CREATED", created.type());
        assertEquals(id, created.payload().getString("id"));
        assertEquals(AI, created.payload().getJsonObject("assignee").getString("id"));
        assertSkipped(created);

        Post inbound = next();
        assertEquals("INBOUND_MESSAGE", inbound.type());
        assertEquals(BASIC, inbound.authorization());
        JsonObject message = inbound.payload().getJsonObject("message");
        assertEquals(started.getString("messageId"), message.getString("id"));
        assertEquals(started.getString("messageId"), message.getString("messageId"));
        InboundEvent.MessageReceived received = parsed(inbound, InboundEvent.MessageReceived.class);
        assertEquals(id, ConversationsWebhooks.conversationId(received));
        assertEquals("Hi", received.text());
        assertEquals("385911234567", received.from());
        assertEquals(ConversationsSandbox.SENDER, received.to());
        assertEquals("Ana Customer", received.contactName());
        assertEquals(started.getString("messageId"), received.providerMessageId());
        assertNotNull(received.receivedAt());
        assertEquals(AI, Jsons.parseObjectOrNull(received.content().structured()).getString("assigneeId"));
        assertNothingPosted();

        JsonArray events = view(id).getJsonArray("events");
        assertEquals(List.of("CONVERSATION_CREATED", "INBOUND_MESSAGE"),
                events.stream().map(e -> e.asJsonObject().getString("type")).toList());
        assertEquals("DELIVERED (HTTP 200)", events.getJsonObject(1).getString("status"));

        call("DELETE", "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT/parley-conv1", null);
        call("POST", "/console/conversations/" + id + "/messages", "{\"text\":\"again\"}");
        assertNothingPosted();
    }

    @Test
    void assignmentAndStatusEventsBecomeTheirSpiEvents() throws InterruptedException {
        String id = startId();
        subscribe("conv1", HOOK, null);
        subscribe("status-only", OTHER_HOOK, List.of("CONVERSATION_STATUS_UPDATED"));

        call("POST", "/console/conversations/" + id + "/assign", "{\"agentId\":\"" + ANA + "\"}");
        Post toHuman = next();
        assertEquals(HOOK, toHuman.url(), "the status-only subscription gets no assignment");
        assertEquals("CONVERSATION_ASSIGNMENT_UPDATED", toHuman.type());
        InboundEvent.AssignmentChanged human = parsed(toHuman, InboundEvent.AssignmentChanged.class);
        assertEquals(id, human.conversationRef());
        assertEquals(ANA, human.assignee());
        assertFalse(human.toBot());

        api("PUT", "/ccaas/1/conversations/" + id + "/assignee", ConversationsRequests.assignee(AI).toString());
        InboundEvent.AssignmentChanged back = parsed(next(), InboundEvent.AssignmentChanged.class);
        assertEquals(AI, back.assignee());
        assertTrue(back.toBot());

        api("DELETE", "/ccaas/1/conversations/" + id + "/assignee", null);
        InboundEvent.AssignmentChanged none = parsed(next(), InboundEvent.AssignmentChanged.class);
        assertNull(none.assignee());
        assertFalse(none.toBot());
        api("DELETE", "/ccaas/1/conversations/" + id + "/assignee", null);
        assertNothingPosted(); // unchanged: no event

        call("POST", "/console/conversations/" + id + "/status", "{\"status\":\"CLOSED\"}");
        Post closed1 = next();
        Post closed2 = next();
        assertEquals(java.util.Set.of(HOOK, OTHER_HOOK), java.util.Set.of(closed1.url(), closed2.url()));
        for (Post p : List.of(closed1, closed2)) {
            assertEquals("CONVERSATION_STATUS_UPDATED", p.type());
            assertEquals(BASIC, p.authorization());
            InboundEvent.ConversationClosed closed = parsed(p, InboundEvent.ConversationClosed.class);
            assertEquals(id, closed.conversationRef());
        }
    }

    @Test
    void theCustomerReopensASolvedConversationAndStartsANewOneAfterClosed() throws InterruptedException {
        subscribe("conv1", HOOK, null);
        String id = startId();
        next();
        next();
        api("PATCH", "/ccaas/1/conversations/" + id, ConversationsRequests.status("SOLVED").toString());
        assertEquals(id, parsed(next(), InboundEvent.ConversationClosed.class).conversationRef());

        SandboxResponse again = call("POST", "/console/conversations/" + id + "/messages", "{\"text\":\"One more thing\"}");
        assertEquals(200, again.status(), again.json());
        assertFalse(json(again).getBoolean("newConversation"));
        Post reopened = next();
        assertEquals("CONVERSATION_STATUS_UPDATED", reopened.type());
        assertEquals("OPEN", reopened.payload().getString("status"));
        assertSkipped(reopened);
        Post message = next();
        assertEquals("INBOUND_MESSAGE", message.type());
        assertEquals("OPEN", message.payload().getString("status"));
        assertEquals(AI, message.payload().getJsonObject("assignee").getString("id"));
        assertEquals("One more thing", parsed(message, InboundEvent.MessageReceived.class).text());

        call("POST", "/console/conversations/" + id + "/status", "{\"status\":\"CLOSED\"}");
        next();
        SandboxResponse after = call("POST", "/console/conversations/" + id + "/messages", "{\"text\":\"Hello?\"}");
        assertEquals(200, after.status());
        JsonObject a = json(after);
        assertTrue(a.getBoolean("newConversation"));
        assertEquals(id, a.getString("previousConversationId"));
        String newId = a.getString("conversationId");
        assertNotEquals(id, newId);
        assertTrue(a.getString("note").contains("CLOSED"));
        assertEquals("CONVERSATION_CREATED", next().type());
        InboundEvent.MessageReceived m = parsed(next(), InboundEvent.MessageReceived.class);
        assertEquals(newId, ConversationsWebhooks.conversationId(m));
        assertEquals("CLOSED", view(id).getString("status"));
        assertEquals(newId, view(id).getString("nextConversationId"));

        JsonArray all = json(call("GET", "/console/conversations", null)).getJsonArray("conversations");
        assertEquals(List.of(newId, id), all.stream().map(x -> x.asJsonObject().getString("id")).toList(), "newest first");
    }

    @Test
    void aCustomersImageIsServedBehindTheKeyAndCopied() throws InterruptedException {
        subscribe("conv1", HOOK, null);
        JsonObject started = start(",\"image\":true,\"text\":\"my receipt\"");
        next();
        Post inbound = next();
        String url = inbound.payload().getJsonObject("message").getJsonObject("content").getString("url");
        assertTrue(url.startsWith(BASE + "/ccaas/1/media/"), url);
        assertEquals(401, sandbox.handle("GET", url.substring(BASE.length()), Map.of(), new byte[0]).status());

        InboundEvent.MessageReceived m = parsed(inbound, InboundEvent.MessageReceived.class);
        assertEquals(started.getString("conversationId"), ConversationsWebhooks.conversationId(m));
        assertEquals("my receipt", m.text());
        assertEquals(1, m.content().attachments().size());
        assertEquals("IMAGE", m.content().attachments().get(0).kind());
        assertEquals("image/png", m.content().attachments().get(0).contentType());
        assertArrayEquals(SandboxFiles.PNG, downloads.get(0));
    }

    @Test
    void aFailedPostIsRetriedOnce() throws InterruptedException {
        subscribe("conv1", HOOK, List.of("CONVERSATION_STATUS_UPDATED"));
        String id = startId();
        synchronized (answers) {
            answers.addAll(List.of(500, 200, -1, 503));
        }
        call("POST", "/console/conversations/" + id + "/status", "{\"status\":\"SOLVED\"}");
        Post first = next();
        Post retry = next();
        assertEquals(first.json(), retry.json());
        call("POST", "/console/conversations/" + id + "/status", "{\"status\":\"OPEN\"}");
        next();
        next();
        assertNothingPosted(); // two attempts, then given up
        assertEquals(4, attempts.get());
        JsonArray events = view(id).getJsonArray("events");
        assertEquals("DELIVERED (HTTP 200)", events.getJsonObject(0).getString("status"));
        assertEquals("FAILED (HTTP 503)", events.getJsonObject(1).getString("status"));
        assertTrue(ctx.allLogs().contains("answered HTTP 503"), ctx.allLogs());
    }

    @Test
    void closeCancelsWhatIsNotPostedYet() throws InterruptedException {
        sandbox.delays(Duration.ofMillis(300), Duration.ofMillis(30));
        subscribe("conv1", HOOK, null);
        startId();
        assertEquals(2, sandbox.pendingEvents());
        sandbox.close();
        assertNothingPosted();
        Thread.sleep(300);
        assertEquals(0, attempts.get());
    }
}
