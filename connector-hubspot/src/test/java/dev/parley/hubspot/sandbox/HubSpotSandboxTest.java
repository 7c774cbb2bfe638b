package dev.parley.hubspot.sandbox;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.RestClients;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotSandboxTest {

    static final String TOKEN = "pat-na1-sandbox-token";
    static final Map<String, List<String>> AUTH = Map.of("Authorization", List.of("Bearer " + TOKEN));

    final Ctx ctx = new Ctx();
    final HubSpotSandbox sandbox = new HubSpotSandbox(ctx, TOKEN);

    SandboxResponse call(String method, String path, String json) {
        return sandbox.handle(method, path, AUTH, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject body(SandboxResponse r) {
        return (JsonObject) Jsons.parse(r.json());
    }

    JsonObject ok(int status, String method, String path, String json) {
        SandboxResponse r = call(method, path, json);
        assertEquals(status, r.status(), () -> method + " " + path + ": " + r.json());
        return body(r);
    }

    void assertError(SandboxResponse r, int status, String category, String messagePart) {
        assertEquals(status, r.status(), r::json);
        JsonObject b = body(r);
        assertEquals("error", b.getString("status"));
        assertEquals(category, b.getString("category"));
        assertTrue(b.getString("message").contains(messagePart), () -> b.getString("message"));
        assertFalse(b.getString("correlationId").isBlank());
    }

    String createTicket(String subject, String contactId) {
        String assoc = contactId == null ? "" : ",\"associations\":[{\"to\":{\"id\":\"" + contactId
                + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":16}]}]";
        return ok(201, "POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"" + subject
                + "\",\"content\":\"transcript\",\"hs_pipeline\":\"0\",\"hs_pipeline_stage\":\"1\"}" + assoc + "}").getString("id");
    }

    List<String> searchIds(String json) {
        return ok(200, "POST", "/crm/v3/objects/contacts/search", json).getJsonArray("results").stream()
                .map(v -> v.asJsonObject().getString("id")).toList();
    }

    static String eq(String property, String value) {
        return "{\"filters\":[{\"propertyName\":\"" + property + "\",\"operator\":\"EQ\",\"value\":\"" + value + "\"}]}";
    }

    // ---- auth ---------------------------------------------------------------------------------

    @Test
    void everyPathNeedsTheBearerToken() {
        for (Map<String, List<String>> h : List.of(Map.<String, List<String>>of(),
                Map.of("Authorization", List.of("Bearer wrong")), Map.of("Authorization", List.of(TOKEN)))) {
            for (String path : List.of("/account-info/v3/details", "/crm/v3/objects/contacts", "/agent/tickets")) {
                SandboxResponse r = sandbox.handle("GET", path, h, null);
                assertError(r, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found");
            }
        }
        JsonObject account = body(sandbox.handle("GET", "/account-info/v3/details",
                Map.of("authorization", List.of("bearer " + TOKEN)), null));
        assertEquals(HubSpotSandbox.PORTAL_ID, account.getJsonNumber("portalId").longValue());
        assertEquals("SANDBOX", account.getString("accountType"));
        assertEquals("UTC", account.getString("timeZone"));
        assertEquals("app.hubspot.com", account.getString("uiDomain"));
        assertEquals("na1", account.getString("dataHostingLocation"));
        // A sandbox without a token accepts none.
        HubSpotSandbox none = new HubSpotSandbox(ctx, "");
        assertEquals(401, none.handle("GET", "/account-info/v3/details", Map.of("Authorization", List.of("Bearer ")), null).status());
    }

    // ---- contacts -----------------------------------------------------------------------------

    @Test
    void searchEqComparesTheStoredStringAndOrsGroups() {
        // 101 phone "+4915112345678"; 102 mobilephone "+49 151 1234 5679".
        String both = "{\"filterGroups\":[" + eq("phone", "+4915112345679") + "," + eq("mobilephone", "+4915112345679") + "]}";
        assertEquals(List.of(), searchIds(both), "EQ does not normalise a typed number");
        assertEquals(List.of("102"), searchIds("{\"filterGroups\":[" + eq("phone", "+4915112345679") + ","
                + eq("mobilephone", "+49 151 1234 5679") + "]}"));
        assertEquals(List.of("101", "102"), searchIds("{\"filterGroups\":[" + eq("phone", "+4915112345678") + ","
                + eq("mobilephone", "+49 151 1234 5679") + "]}"));
        assertEquals(List.of("103"), searchIds("{\"filterGroups\":[" + eq("email", "jane@example.com") + "]}"));
        // AND inside a group.
        assertEquals(List.of(), searchIds("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\","
                + "\"value\":\"jane@example.com\"},{\"propertyName\":\"firstname\",\"operator\":\"EQ\",\"value\":\"Max\"}]}]}"));
        assertEquals(List.of("102"), searchIds("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"mobilephone\","
                + "\"operator\":\"CONTAINS_TOKEN\",\"value\":\"*5679\"}]}]}"));
        assertEquals(List.of("101", "102"), searchIds("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\","
                + "\"operator\":\"IN\",\"values\":[\"max@example.com\",\"erika@example.com\"]},"
                + "{\"propertyName\":\"email\",\"operator\":\"HAS_PROPERTY\"}]}]}"));
        assertEquals(List.of("101", "103"), searchIds("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"firstname\","
                + "\"operator\":\"NEQ\",\"value\":\"Erika\"}]}]}"));
        // properties selects what is returned.
        JsonObject page = ok(200, "POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + eq("email", "max@example.com")
                + "],\"properties\":[\"phone\"]}");
        JsonObject props = page.getJsonArray("results").getJsonObject(0).getJsonObject("properties");
        assertEquals("+4915112345678", props.getString("phone"));
        assertFalse(props.containsKey("email"));
        assertEquals(1, page.getInt("total"));
    }

    @Test
    void searchLimitsAreEnforced() {
        String six = IntStream.range(0, 6).mapToObj(i -> eq("email", "x" + i + "@example.com")).collect(Collectors.joining(","));
        assertError(call("POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + six + "]}"), 400,
                "VALIDATION_ERROR", "at most 5");
        String eleven = IntStream.range(0, 11).mapToObj(i -> "{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"a\"}")
                .collect(Collectors.joining(","));
        assertError(call("POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[" + eleven + "]}]}"),
                400, "VALIDATION_ERROR", "at most 10");
        String nine = IntStream.range(0, 9).mapToObj(i -> "{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"a\"}")
                .collect(Collectors.joining(","));
        String group = "{\"filters\":[" + nine + "]}";
        assertError(call("POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + group + "," + group + "," + group + "]}"),
                400, "VALIDATION_ERROR", "at most 25");
        assertEquals(200, call("POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + group + "," + group + "]}").status());
        assertError(call("POST", "/crm/v3/objects/contacts/search", "{\"limit\":201}"), 400, "VALIDATION_ERROR", "limit");
        assertEquals(200, call("POST", "/crm/v3/objects/contacts/search", "{\"limit\":200}").status());
        assertError(call("POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
                + "\"email\",\"operator\":\"LIKE\",\"value\":\"a\"}]}]}"), 400, "VALIDATION_ERROR", "operator");
    }

    @Test
    void aDuplicateEmailIsAConflictNamingTheExistingContact() {
        assertError(call("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"Jane@Example.com\"}}"), 409,
                "CONFLICT", "Existing ID: 103");
        JsonObject created = ok(201, "POST", "/crm/v3/objects/contacts",
                "{\"properties\":{\"email\":\"new@example.com\",\"firstname\":\"New\",\"phone\":\"+441234\"}}");
        assertEquals("new@example.com", created.getJsonObject("properties").getString("email"));
        assertError(call("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"new@example.com\"}}"), 409,
                "CONFLICT", "Existing ID: " + created.getString("id"));
        assertEquals(created.getString("id"),
                ok(200, "GET", "/crm/v3/objects/contacts/new%40example.com?idProperty=email", null).getString("id"));
        JsonObject page = ok(200, "GET", "/crm/v3/objects/contacts?limit=2", null);
        assertEquals(2, page.getJsonArray("results").size());
        assertEquals("103", page.getJsonObject("paging").getJsonObject("next").getString("after"));
        assertError(call("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"nickname\":\"x\"}}"), 400,
                "VALIDATION_ERROR", "PROPERTY_DOESNT_EXIST");
    }

    // ---- tickets ------------------------------------------------------------------------------

    @Test
    void upsertCreatesOnceThenUpdatesAndNeedsAUniqueIdProperty() {
        String upsert = "{\"inputs\":[{\"id\":\"conv-1\",\"idProperty\":\"ai_conversation_id\",\"properties\":"
                + "{\"subject\":\"Handoff\",\"hs_pipeline_stage\":\"1\"}}]}";
        assertError(call("POST", "/crm/v3/objects/tickets/batch/upsert", upsert), 400, "VALIDATION_ERROR", "does not exist");
        assertError(call("GET", "/crm/v3/properties/tickets/ai_conversation_id", null), 404, "OBJECT_NOT_FOUND", "ai_conversation_id");
        ok(201, "POST", "/crm/v3/properties/tickets", "{\"name\":\"plain_text\",\"label\":\"Plain\",\"type\":\"string\","
                + "\"fieldType\":\"text\",\"groupName\":\"ticketinformation\"}");
        assertError(call("POST", "/crm/v3/objects/tickets/batch/upsert", upsert.replace("ai_conversation_id", "plain_text")),
                400, "VALIDATION_ERROR", "unique values");
        JsonObject prop = ok(201, "POST", "/crm/v3/properties/tickets", "{\"name\":\"ai_conversation_id\",\"label\":\"AI "
                + "conversation\",\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"ticketinformation\",\"hasUniqueValue\":true}");
        assertTrue(prop.getBoolean("hasUniqueValue"));
        assertTrue(ok(200, "GET", "/crm/v3/properties/tickets/ai_conversation_id", null).getBoolean("hasUniqueValue"));
        assertTrue(ok(200, "GET", "/crm/v3/properties/tickets/hs_pipeline_stage", null).containsKey("options"));

        JsonObject first = ok(200, "POST", "/crm/v3/objects/tickets/batch/upsert", upsert);
        assertEquals("COMPLETE", first.getString("status"));
        JsonObject created = first.getJsonArray("results").getJsonObject(0);
        assertTrue(created.getBoolean("new"));
        assertEquals("conv-1", created.getJsonObject("properties").getString("ai_conversation_id"));
        JsonObject second = ok(200, "POST", "/crm/v3/objects/tickets/batch/upsert",
                upsert.replace("\"Handoff\"", "\"Handoff again\""));
        JsonObject updated = second.getJsonArray("results").getJsonObject(0);
        assertFalse(updated.getBoolean("new"));
        assertEquals(created.getString("id"), updated.getString("id"));
        assertEquals("Handoff again", updated.getJsonObject("properties").getString("subject"));
        assertEquals(1, ok(200, "GET", "/crm/v3/objects/tickets", null).getJsonArray("results").size());
        // The unique value is enforced on plain creates, too.
        assertError(call("POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"x\",\"hs_pipeline_stage\":\"1\","
                + "\"ai_conversation_id\":\"conv-1\"}}"), 409, "CONFLICT", "Existing ID: " + created.getString("id"));
    }

    @Test
    void pipelineAndStageMustExist() {
        JsonObject pipelines = ok(200, "GET", "/crm/v3/pipelines/tickets", null);
        JsonObject p = pipelines.getJsonArray("results").getJsonObject(0);
        assertEquals("0", p.getString("id"));
        assertEquals("Support Pipeline", p.getString("label"));
        JsonArray stages = p.getJsonArray("stages");
        assertEquals(List.of("1", "2", "3", "4"), stages.stream().map(v -> v.asJsonObject().getString("id")).toList());
        assertEquals("CLOSED", stages.getJsonObject(3).getJsonObject("metadata").getString("ticketState"));
        assertEquals("Waiting on contact", stages.getJsonObject(1).getString("label"));
        assertEquals("1970-01-01T00:00:00.000Z", p.getString("createdAt"));

        assertError(call("POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"x\",\"hs_pipeline\":\"7\","
                + "\"hs_pipeline_stage\":\"1\"}}"), 400, "VALIDATION_ERROR", "hs_pipeline");
        assertError(call("POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"x\",\"hs_pipeline_stage\":\"9\"}}"),
                400, "VALIDATION_ERROR", "hs_pipeline_stage");
        assertError(call("POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"x\"}}"), 400,
                "VALIDATION_ERROR", "hs_pipeline_stage is required");
        String id = createTicket("Refund", null);
        assertError(call("PATCH", "/crm/v3/objects/tickets/" + id, "{\"properties\":{\"hs_pipeline_stage\":\"5\"}}"), 400,
                "VALIDATION_ERROR", "hs_pipeline_stage");
        JsonObject patched = ok(200, "PATCH", "/crm/v3/objects/tickets/" + id, "{\"properties\":{\"hs_pipeline_stage\":\"4\"}}");
        assertEquals("4", patched.getJsonObject("properties").getString("hs_pipeline_stage"));
        assertEquals("4", ok(200, "GET", "/crm/v3/objects/tickets/" + id, null).getJsonObject("properties").getString("hs_pipeline_stage"));
        assertError(call("GET", "/crm/v3/objects/tickets/99999", null), 404, "OBJECT_NOT_FOUND", "99999");
    }

    // ---- associations and notes ---------------------------------------------------------------

    @Test
    void associationTypeIdsAreCheckedPerPair() {
        String ticket = createTicket("Assoc", null);
        String v4 = "/crm/v4/objects/ticket/" + ticket + "/associations/contacts/101";
        assertError(call("PUT", v4, "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":15}]"), 400,
                "VALIDATION_ERROR", "valid: 16");
        assertError(call("PUT", v4, "[{\"associationCategory\":\"USER_DEFINED\",\"associationTypeId\":16}]"), 400,
                "VALIDATION_ERROR", "USER_DEFINED");
        assertError(call("PUT", "/crm/v4/objects/tickets/" + ticket + "/associations/contacts/999",
                "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":16}]"), 404, "OBJECT_NOT_FOUND", "999");
        JsonObject labeled = ok(201, "PUT", v4, "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":16}]");
        assertEquals(101, labeled.getJsonNumber("toObjectId").longValue());
        // Kept both ways, with the reverse id.
        JsonObject fromContact = ok(200, "GET", "/crm/v4/objects/contact/101/associations/tickets", null);
        JsonObject only = fromContact.getJsonArray("results").getJsonObject(0);
        assertEquals(Long.parseLong(ticket), only.getJsonNumber("toObjectId").longValue());
        assertEquals(15, only.getJsonArray("associationTypes").getJsonObject(0).getInt("typeId"));
        // Default association and its batch answer.
        JsonObject def = ok(200, "PUT", "/crm/v4/objects/tickets/" + ticket + "/associations/default/contact/103", null);
        assertEquals(2, def.getJsonArray("results").size());
        assertEquals(16, def.getJsonArray("results").getJsonObject(0).getJsonObject("associationSpec").getInt("associationTypeId"));
        assertEquals(2, ok(200, "GET", "/crm/v4/objects/tickets/" + ticket + "/associations/contacts", null)
                .getJsonArray("results").size());
        // A note with a ticket's id for the contact pair: 400.
        assertError(call("POST", "/crm/v3/objects/notes", note("2026-01-15T10:30:00.000Z", "x", ticket, 16)), 400,
                "VALIDATION_ERROR", "202 (note to contact), 228 (note to ticket)");
        assertError(call("POST", "/crm/v3/objects/notes", note("2026-01-15T10:30:00.000Z", "x", "424242", 228)), 400,
                "VALIDATION_ERROR", "no ticket with id 424242");
    }

    static String note(String timestamp, String body, String toId, int typeId) {
        String ts = timestamp == null ? "" : "\"hs_timestamp\":\"" + timestamp + "\",";
        return "{\"properties\":{" + ts + "\"hs_note_body\":\"" + body + "\"},\"associations\":[{\"to\":{\"id\":\"" + toId
                + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":" + typeId + "}]}]}";
    }

    @Test
    void aNoteNeedsATimestampAndABodyOfAtMost65536Characters() {
        String ticket = createTicket("Notes", "101");
        assertError(call("POST", "/crm/v3/objects/notes", note(null, "hello", ticket, 228)), 400, "VALIDATION_ERROR",
                "hs_timestamp is required");
        assertError(call("POST", "/crm/v3/objects/notes", note("yesterday", "hello", ticket, 228)), 400, "VALIDATION_ERROR",
                "INVALID_DATE");
        assertError(call("POST", "/crm/v3/objects/notes", note("1768473000000", "a".repeat(65_537), ticket, 228)), 400,
                "VALIDATION_ERROR", "65,536");
        JsonObject n = ok(201, "POST", "/crm/v3/objects/notes", note("1768473000000", "a".repeat(65_536), ticket, 228));
        assertEquals("2026-01-15T10:30:00.000Z", n.getJsonObject("properties").getString("hs_timestamp"));
        JsonObject read = ok(200, "GET", "/crm/v3/objects/notes/" + n.getString("id") + "?properties=hs_note_body", null);
        assertEquals(65_536, read.getJsonObject("properties").getString("hs_note_body").length());
        assertEquals(List.of(n.getString("id")), ok(200, "GET", "/crm/v4/objects/tickets/" + ticket + "/associations/notes", null)
                .getJsonArray("results").stream().map(v -> String.valueOf(v.asJsonObject().getJsonNumber("toObjectId").longValue())).toList());
    }

    // ---- rate limits --------------------------------------------------------------------------

    @Test
    void rateLimitHeadersAndThe429AfterAHundredCallsInTenSeconds() {
        SandboxResponse first = call("GET", "/account-info/v3/details", null);
        assertEquals("100", first.headers().get("X-HubSpot-RateLimit-Max"));
        assertEquals("10000", first.headers().get("X-HubSpot-RateLimit-Interval-Milliseconds"));
        assertEquals("99", first.headers().get("X-HubSpot-RateLimit-Remaining"));
        assertEquals("250000", first.headers().get("X-HubSpot-RateLimit-Daily"));
        assertEquals("249999", first.headers().get("X-HubSpot-RateLimit-Daily-Remaining"));
        for (int i = 2; i <= 100; i++) {
            ctx.now = ctx.now.plusMillis(50);
            SandboxResponse r = call("GET", "/crm/v3/objects/contacts/101", null);
            assertEquals(200, r.status());
            assertEquals(String.valueOf(100 - i), r.headers().get("X-HubSpot-RateLimit-Remaining"));
        }
        SandboxResponse limited = call("GET", "/crm/v3/objects/contacts/101", null);
        assertEquals(429, limited.status());
        JsonObject b = body(limited);
        assertEquals("RATE_LIMIT", b.getString("errorType"));
        assertEquals("TEN_SECONDLY_ROLLING", b.getString("policyName"));
        assertEquals("You have reached your ten_secondly_rolling limit.", b.getString("message"));
        assertEquals("0", limited.headers().get("X-HubSpot-RateLimit-Remaining"));
        // The agent view is not limited.
        assertEquals(200, call("GET", "/agent/contacts", null).status());
        // Ten seconds after the first call, one slot is free again.
        ctx.now = Instant.parse("2026-01-01T00:00:10Z");
        SandboxResponse again = call("GET", "/crm/v3/objects/contacts/101", null);
        assertEquals(200, again.status());
        assertEquals("0", again.headers().get("X-HubSpot-RateLimit-Remaining"));
        assertEquals(String.valueOf(250_000 - 101), again.headers().get("X-HubSpot-RateLimit-Daily-Remaining"));
        ctx.now = ctx.now.plus(Duration.ofSeconds(11));
        assertEquals("99", call("GET", "/account-info/v3/details", null).headers().get("X-HubSpot-RateLimit-Remaining"));
    }

    // ---- agent view ---------------------------------------------------------------------------

    @Test
    void theAgentViewShowsTicketsNewestFirstWithContactAndNotes() {
        String older = createTicket("Older", null);
        ctx.now = ctx.now.plusSeconds(5);
        String newer = createTicket("Refund request", "102");
        ok(201, "POST", "/crm/v3/objects/notes", note("2026-01-15T10:30:00Z", "<p>AI summary</p>", newer, 228));
        ok(200, "PATCH", "/crm/v3/objects/tickets/" + newer, "{\"properties\":{\"hs_pipeline_stage\":\"3\"}}");

        JsonArray tickets = ok(200, "GET", "/agent/tickets", null).getJsonArray("tickets");
        assertEquals(List.of(newer, older), tickets.stream().map(v -> v.asJsonObject().getString("id")).toList());
        JsonObject t = tickets.getJsonObject(0);
        assertEquals("Refund request", t.getString("subject"));
        assertEquals("Support Pipeline", t.getJsonObject("pipeline").getString("label"));
        assertEquals("Waiting on us", t.getJsonObject("stage").getString("label"));
        assertEquals("102", t.getJsonObject("contact").getString("id"));
        assertEquals("+49 151 1234 5679", t.getJsonObject("contact").getString("mobilephone"));
        assertEquals(1, t.getJsonArray("notes").size());
        assertFalse(t.getJsonArray("notes").getJsonObject(0).containsKey("body"));
        assertFalse(t.containsKey("content"));
        assertTrue(tickets.getJsonObject(1).isNull("contact"));

        JsonObject detail = ok(200, "GET", "/agent/tickets/" + newer, null);
        assertEquals("transcript", detail.getString("content"));
        assertEquals("<p>AI summary</p>", detail.getJsonArray("notes").getJsonObject(0).getString("body"));
        assertEquals("2026-01-15T10:30:00.000Z", detail.getJsonArray("notes").getJsonObject(0).getString("timestamp"));
        assertEquals("3", detail.getJsonObject("properties").getString("hs_pipeline_stage"));

        JsonArray contacts = ok(200, "GET", "/agent/contacts", null).getJsonArray("contacts");
        assertEquals(List.of("103", "102", "101"), contacts.stream().map(v -> v.asJsonObject().getString("id")).toList());
        assertEquals(List.of(newer), contacts.getJsonObject(1).getJsonArray("tickets").stream()
                .map(v -> ((jakarta.json.JsonString) v).getString()).toList());
        assertError(call("GET", "/agent/tickets/424242", null), 404, "OBJECT_NOT_FOUND", "424242");
        assertTrue(ctx.logs.stream().anyMatch(l -> l.contains("ticket " + newer + " created: Refund request")), ctx.logs::toString);
    }

    @Test
    void aPrivateFileIsRecordedAndCanBeAttachedToANote() {
        String boundary = "xYz";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\nPNGDATA\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"folderPath\"\r\n\r\n"
                + "/parley\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{\"access\":\"PRIVATE\"}\r\n--"
                + boundary + "--\r\n";
        SandboxResponse r = sandbox.handle("POST", "/files/v3/files", Map.of("Authorization", List.of("Bearer " + TOKEN),
                "Content-Type", List.of("multipart/form-data; boundary=" + boundary)), multipart.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(201, r.status(), r.json());
        JsonObject f = body(r);
        assertEquals("PRIVATE", f.getString("access"));
        assertEquals(7, f.getInt("size"));
        assertEquals("/parley/photo.png", f.getString("path"));
        String ticket = createTicket("Files", null);
        String withFile = "{\"properties\":{\"hs_timestamp\":\"1768473000000\",\"hs_attachment_ids\":\"" + f.getString("id")
                + "\"},\"associations\":[]}";
        assertEquals(201, call("POST", "/crm/v3/objects/notes", withFile).status());
        assertError(call("POST", "/crm/v3/objects/notes", withFile.replace(f.getString("id"), "1")), 400, "VALIDATION_ERROR",
                "File 1 does not exist");
        assertNotNull(ticket);
        assertError(sandbox.handle("POST", "/files/v3/files", AUTH, multipart.getBytes(StandardCharsets.ISO_8859_1)), 400,
                "VALIDATION_ERROR", "multipart");
    }

    // ---- a minimal context --------------------------------------------------------------------

    static final class Ctx implements ConnectionContext {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<String> logs = Collections.synchronizedList(new ArrayList<>());

        @Override public String connectionId() { return "hs1"; }
        @Override public ConnectionConfig config() { return field -> Optional.empty(); }
        @Override public RestClients restClients() { throw new UnsupportedOperationException(); }
        @Override public ConnectionLog log() {
            return new ConnectionLog() {
                @Override public void info(String message) { logs.add("INFO " + message); }
                @Override public void warn(String message) { logs.add("WARN " + message); }
                @Override public void error(String message) { logs.add("ERROR " + message); }
            };
        }
        @Override public URI webhookUrl(String kind) { return URI.create("https://parley.example/channel/hs1/webhook/" + kind); }
        @Override public URI sandboxUrl() { return URI.create("https://parley.example/sandbox/hs1"); }
        @Override public Clock clock() {
            return new Clock() {
                @Override public ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return now; }
            };
        }
        @Override public ScheduledExecutorService scheduler() { throw new UnsupportedOperationException(); }
        @Override public ConnectionStore store() { throw new UnsupportedOperationException(); }
    }
}
