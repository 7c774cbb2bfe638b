package dev.parley.zendesk.ticket;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.PermanentException;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import dev.parley.zendesk.DeskTestContext;
import dev.parley.zendesk.ZendeskSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TicketDeskTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String NOTE = """
            Summary: Parcel A-1 is late and the customer wants a refund.
            Reason: refund request
            Language: en
            Sentiment: negative
            Channel: sms (infobip-sms)

            Transcript (UTC):
            [09:05] Customer: Where is my parcel?
            [09:06] Bot: Let me check.
            [09:07] Customer: I want a person

            View session in Parley: https://parley.example/api/sessions/s-42""";

    private DeskTestContext ctx = DeskTestContext.against("http://localhost:1");

    private TicketDesk desk(String customFields) {
        ctx = DeskTestContext.against(zendesk.baseUrl()).with("custom-fields", customFields);
        ZendeskSettings s = ctx.zendeskSettings();
        return new TicketDesk(ctx.client(s), s, ctx);
    }

    private static Handoff handoff(String email, Map<String, String> fields) {
        return new Handoff("hk-1", "s-42", "https://parley.example/api/sessions/s-42", "sms", "infobip-sms",
                "refund request", "Parcel A-1 is late and the customer wants a refund.", Sentiment.NEGATIVE, "en",
                List.of(new TranscriptLine(OffsetDateTime.parse("2026-01-01T10:05:00+01:00"), TranscriptLine.CUSTOMER,
                                "Where is my parcel?"),
                        new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:06:00Z"), TranscriptLine.BOT, "Let me check."),
                        new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:07:00Z"), TranscriptLine.CUSTOMER,
                                "I want a person")),
                new HandoffContact("+15135557611", "+15135557611", email, "Jane Doe"), fields);
    }

    private static String ticketJson(String customFields) {
        return "{\"ticket\":{\"subject\":\"Handoff: refund request\",\"requester_id\":901,\"external_id\":\"s-42\","
                + "\"tags\":[\"parley_channel_sms\",\"parley_sentiment_negative\",\"parley_handed_off\",\"parley_i_test\"],"
                + customFields
                + "\"comment\":{\"body\":" + jsonString(NOTE) + ",\"public\":false}}}";
    }

    private static String jsonString(String s) {
        return jakarta.json.Json.createValue(s).toString();
    }

    private void stubRequester() {
        zendesk.stubFor(post(urlEqualTo("/api/v2/users/create_or_update")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"user\":{\"id\":901,\"email\":\"jane@x.com\"}}")));
    }

    private void stubCreate(int status, String lookup, String body) {
        zendesk.stubFor(post(urlEqualTo("/api/v2/tickets")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("x-idempotency-lookup", lookup).withBody(body)));
    }

    private static void json(String method, String url, int status, String body) {
        var m = switch (method) {
            case "GET" -> get(urlEqualTo(url));
            case "PUT" -> put(urlEqualTo(url));
            default -> post(urlEqualTo(url));
        };
        zendesk.stubFor(m.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    @Test
    void openCreatesTheRequesterFirstThenAnIdempotentTicket() {
        stubRequester();
        stubCreate(201, "miss", "{\"ticket\":{\"id\":5001,\"status\":\"new\"}}");
        TicketDesk desk = desk("order_number=360001234567,product=360007654321");

        DeskTicket t = desk.open(handoff(" jane@x.com ", Map.of("order_number", "A-1", "mood", "grumpy")));

        assertEquals(new DeskTicket("5001", zendesk.baseUrl() + "/agent/tickets/5001", null), t);
        List<LoggedRequest> all = zendesk.findAll(anyRequestedFor(anyUrl()));
        assertEquals(List.of("/api/v2/users/search?query=email%3A%22jane%40x.com%22", "/api/v2/users/create_or_update",
                "/api/v2/tickets"), all.stream().map(LoggedRequest::getUrl).toList(), "no such user yet: created");
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/users/create_or_update"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth()))
                .withRequestBody(equalToJson("{\"user\":{\"name\":\"Jane Doe\",\"email\":\"jane@x.com\","
                        + "\"phone\":\"+15135557611\"},\"skip_verify_email\":true}")));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/tickets"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth()))
                .withHeader("Idempotency-Key", equalTo("hk-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(ticketJson("\"custom_fields\":[{\"id\":360001234567,\"value\":\"A-1\"}],"))));
        // The unmapped field is named in the log (never its value), and is not fatal.
        assertTrue(ctx.allLogs().contains("field 'mood' has no Zendesk custom field in 'custom-fields'"), ctx.allLogs());
        assertTrue(!ctx.allLogs().contains("grumpy"));
    }

    @Test
    void anExistingUserIsTheRequesterAndIsNotUpdated() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search")).withQueryParam("query", equalTo("email:\"jane@x.com\""))
                .willReturn(okJson("{\"users\":[{\"id\":77,\"email\":\"Jane@X.com\",\"name\":\"Jane Existing\"}]}")));
        stubCreate(201, "miss", "{\"ticket\":{\"id\":5010}}");
        desk("").open(handoff("jane@x.com", Map.of()));
        zendesk.verify(0, postRequestedFor(urlEqualTo("/api/v2/users/create_or_update")));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/tickets")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.ticket.requester_id", equalTo("77"))));
    }

    @Test
    void aCustomFieldZendeskRefusesDoesNotCostTheHandoff() {
        stubRequester();
        zendesk.stubFor(post(urlEqualTo("/api/v2/tickets")).withHeader("Idempotency-Key", equalTo("hk-1"))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\"}")));
        zendesk.stubFor(post(urlEqualTo("/api/v2/tickets")).withHeader("Idempotency-Key", equalTo("hk-1-nofields"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"ticket\":{\"id\":5009}}")));
        DeskTicket t = desk("order_number=360001234567").open(handoff("jane@x.com", Map.of("order_number", "not-a-date")));
        assertEquals("5009", t.ref());
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/tickets")).withHeader("Idempotency-Key", equalTo("hk-1-nofields"))
                .withRequestBody(equalToJson(ticketJson(""))));
        assertTrue(ctx.allLogs().contains("refused the mapped custom fields"), ctx.allLogs());
    }

    @Test
    void aDoubleOpenSendsTheSameBodyAndKeyAndNotesTheHit() {
        stubRequester();
        stubCreate(201, "miss", "{\"ticket\":{\"id\":5001}}");
        TicketDesk desk = desk("");
        desk.open(handoff("jane@x.com", Map.of()));
        stubCreate(201, "hit", "{\"ticket\":{\"id\":5001}}");
        assertEquals("5001", desk.open(handoff("jane@x.com", Map.of())).ref());

        List<LoggedRequest> posts = zendesk.findAll(postRequestedFor(urlEqualTo("/api/v2/tickets")));
        assertEquals(2, posts.size());
        assertEquals(posts.get(0).getBodyAsString(), posts.get(1).getBodyAsString());
        assertEquals("hk-1", posts.get(1).getHeader("Idempotency-Key"));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/tickets")).withRequestBody(equalToJson(ticketJson(""))));
        assertTrue(ctx.allLogs().contains("Zendesk already had ticket 5001 for this idempotency key"), ctx.allLogs());
    }

    @Test
    void anIdempotentRequestErrorReusesOurTicketFoundByExternalId() {
        stubRequester();
        stubCreate(400, "miss", "{\"error\":\"IdempotentRequestError\",\"description\":\"key reused\"}");
        json("GET", "/api/v2/tickets?external_id=s-42", 200, "{\"tickets\":["
                + "{\"id\":4000,\"external_id\":\"s-42\",\"tags\":[\"parley_i_other\"]},"
                + "{\"id\":5002,\"external_id\":\"s-42\",\"tags\":[\"parley_handed_off\",\"parley_i_test\"]},"
                + "{\"id\":5003,\"external_id\":\"s-42\",\"tags\":[\"parley_i_test\"]}]}");
        DeskTicket t = desk("").open(handoff("jane@x.com", Map.of()));
        assertEquals("5002", t.ref());
        zendesk.verify(getRequestedFor(urlEqualTo("/api/v2/tickets?external_id=s-42"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth())));
        assertTrue(ctx.allLogs().contains("reused ticket 5002"), ctx.allLogs());
    }

    @Test
    void aContactWithoutEmailCannotOpenATicket() {
        TicketDesk desk = desk("");
        PermanentException e = assertThrows(PermanentException.class, () -> desk.open(handoff(null, Map.of())));
        assertTrue(e.getMessage().startsWith("the customer has no email address; Zendesk tickets need one"), e.getMessage());
        assertThrows(PermanentException.class, () -> desk.open(handoff("  ", Map.of())));
        assertEquals(0, zendesk.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void otherRefusalsArePermanentWithZendesksText() {
        stubRequester();
        stubCreate(422, "miss", "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\"}");
        PermanentException e = assertThrows(PermanentException.class, () -> desk("").open(handoff("jane@x.com", Map.of())));
        assertTrue(e.getMessage().contains("create the Zendesk ticket: Zendesk answered 422 - RecordInvalid"), e.getMessage());
    }

    @Test
    void aRetriedRelayWhoseFirstAttemptLandedPostsNothingTwice() {
        json("GET", "/api/v2/tickets/5002", 200, "{\"ticket\":{\"id\":5002,\"status\":\"open\",\"requester_id\":901}}");
        json("PUT", "/api/v2/tickets/5002", 200, "{\"ticket\":{\"id\":5002}}");
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/tickets/5002/comments")).willReturn(okJson("{\"comments\":["
                + "{\"id\":7,\"author_id\":901,\"public\":true,\"body\":\"Any news?\",\"plain_body\":\"Any news?\",\"created_at\":\"2026-01-01T00:01:30Z\"},"
                + "{\"id\":6,\"author_id\":901,\"public\":true,\"body\":\"Still there?\",\"plain_body\":\"Still there?\",\"created_at\":\"2025-12-31T20:00:00Z\"}]}")));
        TicketDesk desk = desk("");
        DeskTicket t = new DeskTicket("5002", null, null);
        ctx.stored.put("relay-attempt.m-9", "2026-01-01T00:01:00Z"); // an attempt was under way when the last one failed
        desk.relay(t, new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:10:00Z"), TranscriptLine.CUSTOMER,
                "Any news?"), "m-9");
        zendesk.verify(0, putRequestedFor(urlEqualTo("/api/v2/tickets/5002")));
        // A retry of "Still there?": the same words hours ago were another message, so it is posted.
        ctx.stored.put("relay-attempt.m-10", "2026-01-01T00:01:00Z");
        desk.relay(t, new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:11:00Z"), TranscriptLine.CUSTOMER,
                "Still there?"), "m-10");
        zendesk.verify(1, putRequestedFor(urlEqualTo("/api/v2/tickets/5002")));
        zendesk.verify(2, getRequestedFor(urlPathEqualTo("/api/v2/tickets/5002/comments"))); // only retries look
        org.junit.jupiter.api.Assertions.assertTrue(ctx.stored.isEmpty(), "markers are removed: " + ctx.stored);
    }

    @Test
    void relayPostsAPublicCommentByTheRequester() {
        json("GET", "/api/v2/tickets/5001", 200, "{\"ticket\":{\"id\":5001,\"status\":\"open\",\"requester_id\":901}}");
        json("PUT", "/api/v2/tickets/5001", 200, "{\"ticket\":{\"id\":5001}}");
        TicketDesk desk = desk("");
        DeskTicket t = new DeskTicket("5001", null, null);
        desk.relay(t, new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:10:00Z"), TranscriptLine.CUSTOMER,
                "Any news?"), "m-1");
        desk.relay(t, new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:11:00Z"), TranscriptLine.CUSTOMER,
                "Hello?"), "m-2");
        zendesk.verify(1, getRequestedFor(urlEqualTo("/api/v2/tickets/5001"))); // the requester is cached
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/tickets/5001"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth()))
                .withRequestBody(equalToJson("{\"ticket\":{\"comment\":{\"body\":\"Any news?\",\"public\":true,\"author_id\":901}}}")));
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/tickets/5001"))
                .withRequestBody(equalToJson("{\"ticket\":{\"comment\":{\"body\":\"Hello?\",\"public\":true,\"author_id\":901}}}")));
    }

    @Test
    void closeAddsAnInternalNoteAndTheClosedTag() {
        json("PUT", "/api/v2/tickets/5001", 200, "{\"ticket\":{\"id\":5001}}");
        desk("").close(new DeskTicket("5001", null, null), "said thanks, bye");
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/tickets/5001"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth())).withRequestBody(equalToJson(
                "{\"ticket\":{\"comment\":{\"body\":\"The customer ended the conversation in Parley: said thanks, bye\","
                        + "\"public\":false},\"additional_tags\":[\"parley_customer_closed\"]}}")));
        zendesk.verify(1, putRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void activityReturnsOnlyRecentPublicAgentComments() {
        json("GET", "/api/v2/tickets/5001", 200,
                "{\"ticket\":{\"id\":5001,\"status\":\"solved\",\"requester_id\":901,\"external_id\":\"s-42\"}}");
        json("GET", "/api/v2/users/me", 200, "{\"user\":{\"id\":100,\"role\":\"admin\",\"email\":\"bot@acme.com\"}}");
        json("GET", "/api/v2/users/200", 200, "{\"user\":{\"id\":200,\"name\":\"Alice Agent\",\"role\":\"agent\"}}");
        json("GET", "/api/v2/users/300", 200, "{\"user\":{\"id\":300,\"name\":\"Eve\",\"role\":\"end-user\"}}");
        // Newest first, as asked (sort_order=desc); now is 2026-01-01T00:02:00Z.
        json("GET", "/api/v2/tickets/5001/comments?sort_order=desc", 200, "{\"comments\":["
                + "{\"id\":9,\"type\":\"Comment\",\"author_id\":200,\"body\":\"<p>All sorted</p>\",\"plain_body\":\"All sorted\",\"public\":true,\"created_at\":\"2026-01-01T00:01:00Z\"},"
                + "{\"id\":8,\"type\":\"Comment\",\"author_id\":200,\"body\":\"internal: refund approved\",\"public\":false,\"created_at\":\"2026-01-01T00:00:30Z\"},"
                + "{\"id\":7,\"type\":\"Comment\",\"author_id\":100,\"body\":\"Parley relayed this\",\"public\":true,\"created_at\":\"2026-01-01T00:00:20Z\"},"
                + "{\"id\":6,\"type\":\"Comment\",\"author_id\":901,\"body\":\"Any news?\",\"public\":true,\"created_at\":\"2026-01-01T00:00:10Z\"},"
                + "{\"id\":5,\"type\":\"Comment\",\"author_id\":300,\"body\":\"CC'd end user\",\"public\":true,\"created_at\":\"2026-01-01T00:00:05Z\"},"
                + "{\"id\":4,\"type\":\"Comment\",\"author_id\":200,\"body\":\"Looking into it\",\"public\":true,\"created_at\":\"2025-12-31T12:00:00Z\"},"
                + "{\"id\":3,\"type\":\"Comment\",\"author_id\":200,\"body\":\"Too old\",\"public\":true,\"created_at\":\"2025-12-30T00:00:00Z\"}"
                + "],\"next_page\":null}");

        List<InboundEvent> events = desk("").activity(new DeskTicket("5001", null, null));

        assertEquals(List.of(
                new InboundEvent.AgentReplied("5001:4", "5001", "Looking into it", "Alice Agent"),
                new InboundEvent.AgentReplied("5001:9", "5001", "All sorted", "Alice Agent"),
                new InboundEvent.ConversationClosed("5001:solved", "5001")), events);
        zendesk.verify(1, getRequestedFor(urlEqualTo("/api/v2/users/200"))); // authors are cached
        zendesk.verify(getRequestedFor(urlEqualTo("/api/v2/tickets/5001/comments?sort_order=desc"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth())));
    }

    @Test
    void activityUsesTheUserVerificationFoundAndADeletedTicketCloses() {
        json("GET", "/api/v2/tickets/5001", 200, "{\"ticket\":{\"id\":5001,\"status\":\"open\",\"requester_id\":901}}");
        json("GET", "/api/v2/tickets/5001/comments?sort_order=desc", 200, "{\"comments\":[{\"id\":7,\"author_id\":100,"
                + "\"body\":\"Parley's own\",\"public\":true,\"created_at\":\"2026-01-01T00:00:20Z\"}]}");
        TicketDesk desk = desk("");
        desk.rememberOwnUser(100L);
        assertEquals(List.of(), desk.activity(new DeskTicket("5001", null, null)));
        zendesk.verify(0, getRequestedFor(urlEqualTo("/api/v2/users/me")));

        json("GET", "/api/v2/tickets/5002", 404, "{\"error\":\"RecordNotFound\"}");
        assertEquals(List.of(new InboundEvent.ConversationClosed("5002:deleted", "5002")),
                desk.activity(new DeskTicket("5002", null, null)));
        assertTrue(ctx.allLogs().contains("Zendesk ticket 5002 is gone"), ctx.allLogs());
    }

    @Test
    void theNoteKeepsTheNewestLinesWhenTheTranscriptIsHuge() {
        List<TranscriptLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add(new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:00:00Z"), TranscriptLine.CUSTOMER,
                    "line " + i + " " + "x".repeat(50)));
        }
        Handoff h = new Handoff("k", "s", "https://p/s", "sms", null, "r".repeat(300), null, null, null, lines,
                new HandoffContact("a", null, "a@b.c", null), Map.of());
        String note = TicketDesk.note(h);
        assertTrue(note.length() <= TicketDesk.MAX_NOTE_CHARS, String.valueOf(note.length()));
        assertTrue(note.contains("line 1999 "));
        assertTrue(note.contains("earlier lines left out"));
        assertTrue(note.endsWith("View session in Parley: https://p/s"));
        assertEquals(150, TicketDesk.subject(h).length());
        assertTrue(Instant.now() != null);
    }
}
