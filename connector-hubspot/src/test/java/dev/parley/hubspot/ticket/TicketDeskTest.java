package dev.parley.hubspot.ticket;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.hubspot.HubSpotConnection;
import dev.parley.hubspot.HubSpotTestContext;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.RetryableException;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TicketDeskTest {

    @RegisterExtension
    static final WireMockExtension hubspot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String E164 = "+4915112345678";
    static final String SEARCH = "/crm/v3/objects/contacts/search";
    static final String UPSERT = "/crm/v3/objects/tickets/batch/upsert";
    static final String NOTES = "/crm/v3/objects/notes";
    static final String ASSOCIATE = "/crm/v4/objects/ticket/9001/associations/contact/501";
    static final String PIPELINES = """
            {"results":[{"id":"0","label":"Support Pipeline","archived":false,"stages":[
              {"id":"1","label":"New","metadata":{"ticketState":"OPEN"}},
              {"id":"4","label":"Closed","metadata":{"ticketState":"CLOSED"}}]}]}""";
    static final String SUMMARY = "Parcel A-1 is late & the customer wants a <refund>.\nSecond line.";
    static final String NOTE_BODY = "<p><strong>Handed over by Parley</strong>: refund request</p>"
            + "<p>Sentiment: negative<br>Language: en<br>Channel: whatsapp (infobip-whatsapp)</p>"
            + "<p>Parcel A-1 is late &amp; the customer wants a &lt;refund&gt;.<br>Second line.</p>"
            + "<p><a href=\"https://parley.example/api/sessions/s-42\">View in Parley</a></p>"
            + "<p>Parley ref: hk-1</p>";
    static final String CONTENT = """
            Parcel A-1 is late & the customer wants a <refund>.
            Second line.

            Reason: refund request
            Sentiment: negative
            Language: en
            Channel: whatsapp (infobip-whatsapp)

            Transcript (UTC):
            [2026-01-01 09:05] Customer: Where is my parcel?
            [2026-01-01 09:06] Bot: Let me check.

            View in Parley: https://parley.example/api/sessions/s-42""";

    private HubSpotTestContext ctx;

    @BeforeEach
    void stubs() {
        ctx = HubSpotTestContext.against(hubspot.baseUrl());
        hubspot.stubFor(get(urlEqualTo("/account-info/v3/details"))
                .willReturn(okJson("{\"portalId\":12345678,\"uiDomain\":\"app-eu1.hubspot.com\"}")));
        hubspot.stubFor(get(urlEqualTo("/crm/v3/pipelines/tickets")).willReturn(okJson(PIPELINES)));
        hubspot.stubFor(post(urlEqualTo(SEARCH)).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(okJson(
                "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"9001\",\"new\":true,\"properties\":{}}]}")));
        hubspot.stubFor(put(urlEqualTo(ASSOCIATE)).willReturn(okJson("{}")));
        hubspot.stubFor(post(urlEqualTo(NOTES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"7001\"}")));
    }

    static Handoff handoff(String key, HandoffContact contact, String... extraLines) {
        List<TranscriptLine> lines = new java.util.ArrayList<>(List.of(
                new TranscriptLine(OffsetDateTime.parse("2026-01-01T10:05:00+01:00"), TranscriptLine.CUSTOMER,
                        "Where is my parcel?"),
                new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:06:00Z"), TranscriptLine.BOT, "Let me check.")));
        for (String l : extraLines) {
            lines.add(new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:07:00Z"), TranscriptLine.CUSTOMER, l));
        }
        return new Handoff(key, "s-42", "https://parley.example/api/sessions/s-42", "whatsapp", "infobip-whatsapp",
                "refund request", SUMMARY, Sentiment.NEGATIVE, "en", lines, contact, Map.of());
    }

    static HandoffContact byPhone() {
        return new HandoffContact(E164, E164, null, "Jane Ann Doe");
    }

    private static MappingBuilder search(String property, String operator) {
        return post(urlEqualTo(SEARCH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].propertyName", equalTo(property)))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].operator", equalTo(operator)));
    }

    private static List<LoggedRequest> requests(String method, String url) {
        return hubspot.findAll(anyRequestedFor(urlEqualTo(url))).stream()
                .filter(r -> r.getMethod().getName().equals(method)).toList();
    }

    private static JsonObject json(LoggedRequest r) {
        return (JsonObject) Jsons.parse(r.getBodyAsString());
    }

    private static String groups(String property, String... values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (sb.length() > 1) sb.append(',');
            sb.append("{\"filters\":[{\"propertyName\":\"").append(property).append("\",\"operator\":\"EQ\",\"value\":\"")
                    .append(v).append("\"}]}");
        }
        return sb.append(']').toString();
    }

    static final String[] VARIANTS = {E164, "4915112345678", "+49 1511 2345678", "01511 2345678", "015112345678"};

    @Test
    void contactFoundByPhoneThenTicketAssociationAndNote() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"+49 1511 2345678\",\"mobilephone\":null}}]}")));
        HubSpotConnection c = ctx.connection();

        DeskTicket t = c.open(handoff("hk-1", byPhone()));

        assertEquals(new DeskTicket("9001", "https://app-eu1.hubspot.com/contacts/12345678/ticket/9001",
                "HubSpot ticket 9001 for contact 501"), t);
        List<LoggedRequest> searches = requests("POST", SEARCH);
        assertEquals(1, searches.size(), "the phone search found the contact; no other search");
        hubspot.verify(postRequestedFor(urlEqualTo(SEARCH)).withRequestBody(equalToJson(
                "{\"filterGroups\":" + groups("phone", VARIANTS) + ",\"properties\":[\"email\",\"firstname\","
                        + "\"lastname\",\"phone\",\"mobilephone\"],\"limit\":20}")));
        hubspot.verify(0, postRequestedFor(urlEqualTo("/crm/v3/objects/contacts")));
        hubspot.verify(postRequestedFor(urlEqualTo(UPSERT)).withRequestBody(equalToJson(Jsons.BUILDERS.createObjectBuilder()
                .add("inputs", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("id", "s-42").add("idProperty", "parley_session_id")
                        .add("properties", Jsons.BUILDERS.createObjectBuilder()
                                .add("subject", "Parcel A-1 is late & the customer wants a <refund>.")
                                .add("content", CONTENT).add("hs_pipeline", "0").add("hs_pipeline_stage", "1"))))
                .build().toString())));
        hubspot.verify(putRequestedFor(urlEqualTo(ASSOCIATE)).withRequestBody(equalToJson(
                "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":16}]")));
        hubspot.verify(postRequestedFor(urlEqualTo(NOTES)).withRequestBody(equalToJson(Jsons.BUILDERS.createObjectBuilder()
                .add("properties", Jsons.BUILDERS.createObjectBuilder().add("hs_timestamp", "2026-01-01T00:02:00Z")
                        .add("hs_note_body", NOTE_BODY))
                .add("associations", Jsons.BUILDERS.createArrayBuilder()
                        .add(Jsons.parse("{\"to\":{\"id\":\"9001\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":228}]}"))
                        .add(Jsons.parse("{\"to\":{\"id\":\"501\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}")))
                .build().toString())));
        for (LoggedRequest r : hubspot.findAll(anyRequestedFor(anyUrl()))) {
            assertEquals("Bearer " + HubSpotTestContext.TOKEN, r.getHeader("Authorization"), r.getUrl());
        }
        assertEquals("7001", ctx.stored.get("note:hk-1"));
    }

    @Test
    void contactFoundByMobilePhoneTypedWithSpacesConfirmedByItsNumber() {
        // Typed "+49 151 1234 5678": none of the usual forms; the loose search on the last digits finds it, and
        // another contact whose number merely ends alike is not taken.
        hubspot.stubFor(search("phone", "CONTAINS_TOKEN").willReturn(okJson("{\"results\":["
                + "{\"id\":\"499\",\"properties\":{\"phone\":null,\"mobilephone\":\"+49 170 9999 5678\"}},"
                + "{\"id\":\"501\",\"properties\":{\"phone\":\"\",\"mobilephone\":\"+49 151 1234 5678\"}}]}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        List<JsonObject> bodies = requests("POST", SEARCH).stream().map(TicketDeskTest::json).toList();
        assertEquals(3, bodies.size());
        assertEquals(Jsons.parse(groups("mobilephone", VARIANTS)), bodies.get(1).get("filterGroups"));
        assertEquals(Jsons.parse("[{\"filters\":[{\"propertyName\":\"phone\",\"operator\":\"CONTAINS_TOKEN\",\"value\":\"*5678\"}]},"
                + "{\"filters\":[{\"propertyName\":\"mobilephone\",\"operator\":\"CONTAINS_TOKEN\",\"value\":\"*5678\"}]}]"),
                bodies.get(2).get("filterGroups"));
        hubspot.verify(0, postRequestedFor(urlEqualTo("/crm/v3/objects/contacts")));
        hubspot.verify(putRequestedFor(urlEqualTo(ASSOCIATE)));
    }

    @Test
    void contactFoundByMobilePhoneInNationalForm() {
        hubspot.stubFor(search("mobilephone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"mobilephone\":\"01511 2345678\"}}]}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        assertEquals(2, requests("POST", SEARCH).size());
    }

    @Test
    void contactFoundByEmailFirst() {
        hubspot.stubFor(search("email", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"email\":\"jane@x.com\"}}]}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", new HandoffContact(E164, E164, " Jane@X.com ", "Jane")));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        List<LoggedRequest> searches = requests("POST", SEARCH);
        assertEquals(1, searches.size());
        assertEquals(Jsons.parse("[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"jane@x.com\"}]}]"),
                json(searches.get(0)).get("filterGroups"));
    }

    @Test
    void newContactCreatedWhenNoneMatches() {
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"501\"}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", new HandoffContact(E164, null, "jane@x.com", "Jane Ann Doe")));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(equalToJson(
                "{\"properties\":{\"email\":\"jane@x.com\",\"phone\":\"+4915112345678\",\"firstname\":\"Jane Ann\","
                        + "\"lastname\":\"Doe\"}}")));
        assertEquals(4, requests("POST", SEARCH).size(), "email, phone, mobilephone, loose");
        assertEquals("501", ctx.stored.get("contact:hk-1"));
    }

    @Test
    void conflictOnCreateUsesTheExistingContact() {
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 501\",\"category\":\"CONFLICT\"}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", new HandoffContact("jane@x.com", null, null, "Jane")));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        hubspot.verify(putRequestedFor(urlEqualTo(ASSOCIATE)));
    }

    @Test
    void mediaLinksAreKeptInTheTicketAndListedInTheNote() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        String link = "https://parley.example/media/m-1?expires=1767225600&sig=abc";

        ctx.connection().open(handoff("hk-1", byPhone(), "[image] " + link + ", the box is broken"));

        JsonObject upsert = json(requests("POST", UPSERT).get(0));
        String content = upsert.getJsonArray("inputs").getJsonObject(0).getJsonObject("properties").getString("content");
        assertTrue(content.contains("Customer: [image] " + link + ", the box is broken"), content);
        assertTrue(content.contains("\nMedia:\n- " + link + "\n\nView in Parley: "), content);
        String note = json(requests("POST", NOTES).get(0)).getJsonObject("properties").getString("hs_note_body");
        String escaped = "https://parley.example/media/m-1?expires=1767225600&amp;sig=abc";
        assertTrue(note.contains("<p>Media:</p><ul><li><a href=\"" + escaped + "\">" + escaped + "</a></li></ul>"), note);
    }

    @Test
    void doubledHandoffGivesOneTicketAndOneNote() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        HubSpotConnection c = ctx.connection();

        DeskTicket first = c.open(handoff("hk-1", byPhone()));
        DeskTicket second = c.open(handoff("hk-1", byPhone()));

        assertEquals(first, second);
        assertEquals(1, requests("POST", UPSERT).size());
        assertEquals(1, requests("POST", NOTES).size());
    }

    @Test
    void aConcurrentDoubleCallWritesOneNoteAndTellsTheOtherToRetry() throws Exception {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        // The note's create is slow, so the second call arrives while the first is writing it.
        hubspot.stubFor(post(urlEqualTo(NOTES)).atPriority(1)
                .willReturn(okJson("{\"id\":\"7001\",\"properties\":{}}").withFixedDelay(800)));
        HubSpotConnection a = ctx.connection();
        HubSpotConnection b = ctx.connection();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> a.open(handoff("hk-2", byPhone())));
            var second = pool.submit(() -> b.open(handoff("hk-2", byPhone())));
            int retried = 0;
            for (var f : List.of(first, second)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof RetryableException, String.valueOf(e.getCause()));
                    retried++;
                }
            }
            assertEquals(1, requests("POST", NOTES).size(), "two notes for one handoff");
            assertTrue(retried <= 1);
            // The retry of the one told to wait finds the note remembered and writes nothing.
            DeskTicket again = ctx.connection().open(handoff("hk-2", byPhone()));
            assertEquals(1, requests("POST", NOTES).size());
            assertTrue(again.ref().length() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void handoffRetriedAfterAnUpsertTimeoutGivesOneTicketAndOneNote() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        // HubSpot created the ticket but answered too late; the retry's upsert finds it by the session id.
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"results\":[{\"id\":\"9001\",\"new\":true}]}").withFixedDelay(3000))
                .willSetStateTo("created"));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("slow").whenScenarioStateIs("created")
                .willReturn(okJson("{\"results\":[{\"id\":\"9001\",\"new\":false}]}")));
        ctx.readTimeoutMillis = 1000;
        HubSpotConnection first = ctx.connection();

        RetryableException e = assertThrows(RetryableException.class, () -> first.open(handoff("hk-1", byPhone())));
        assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
        hubspot.verify(0, postRequestedFor(urlEqualTo(NOTES)));

        // The outbox's retry, perhaps on another instance: the same store and rate limits, the usual timeout.
        ctx.readTimeoutMillis = 10_000;
        DeskTicket t = ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("9001", t.ref());
        List<LoggedRequest> upserts = requests("POST", UPSERT);
        assertEquals(2, upserts.size());
        assertEquals(json(upserts.get(0)), json(upserts.get(1)), "the same upsert by session id both times");
        assertEquals(1, requests("POST", NOTES).size());
        assertEquals(1, requests("POST", SEARCH).size(), "the contact is remembered between attempts");
    }

    @Test
    void upsertAnswered5xxIsRepeatedOnceInLine() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("5xx").whenScenarioStateIs("up")
                .willReturn(okJson("{\"results\":[{\"id\":\"9001\",\"new\":false}]}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("9001", t.ref());
        assertEquals(2, requests("POST", UPSERT).size());
        assertEquals(1, requests("POST", NOTES).size());
        assertEquals(List.of(Duration.ofMillis(500)), ctx.sleeps);
    }

    @Test
    void noteCreatedButNotRememberedIsFoundByItsMarkerInsteadOfCreatedAgain() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        hubspot.stubFor(post(urlEqualTo(NOTES)).willReturn(aResponse().withStatus(503)));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v4/objects/ticket/9001/associations/note")).willReturn(okJson(
                "{\"results\":[{\"toObjectId\":7000},{\"toObjectId\":7001}]}")));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/notes/batch/read")).willReturn(okJson("{\"results\":["
                + "{\"id\":\"7000\",\"properties\":{\"hs_note_body\":\"<p>Parley ref: hk-12</p>\"}},"
                + "{\"id\":\"7001\",\"properties\":{\"hs_note_body\":\"<p>x</p><p>Parley ref: hk-1</p>\"}}]}")));
        HubSpotConnection c = ctx.connection();

        assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals("pending@" + ctx.now, ctx.stored.get("note:hk-1"));
        // At once, the claim still stands for an attempt that may be writing the note: the retry waits.
        RetryableException wait = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(30)), wait.retryAfter());
        assertEquals(1, requests("POST", NOTES).size());
        ctx.now = ctx.now.plusSeconds(31); // the outbox's retry, after the claim went stale

        DeskTicket t = c.open(handoff("hk-1", byPhone()));

        assertEquals("9001", t.ref());
        assertEquals(1, requests("POST", NOTES).size(), "the 503'd create is not repeated");
        assertEquals("7001", ctx.stored.get("note:hk-1"));
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/notes/batch/read")).withRequestBody(equalToJson(
                "{\"properties\":[\"hs_note_body\"],\"inputs\":[{\"id\":\"7000\"},{\"id\":\"7001\"}]}")));
    }

    @Test
    void tenSecondLimit429PausesThenSucceeds() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withBody(
                        "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                                + "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"))
                .willSetStateTo("ok"));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"results\":[{\"id\":\"9001\",\"new\":true}]}")));
        HubSpotConnection c = ctx.connection();

        RetryableException e = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals(Duration.ofSeconds(10), e.retryAfter().orElseThrow());
        int calls = hubspot.findAll(anyRequestedFor(anyUrl())).size();

        ctx.now = ctx.now.plusSeconds(5);
        RetryableException paused = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals(Duration.ofSeconds(5), paused.retryAfter().orElseThrow());
        assertEquals(calls, hubspot.findAll(anyRequestedFor(anyUrl())).size(), "no call while paused");

        ctx.now = ctx.now.plusSeconds(5);
        assertEquals("9001", c.open(handoff("hk-1", byPhone())).ref());
        assertEquals(2, requests("POST", UPSERT).size());
        assertEquals(1, requests("POST", NOTES).size());
    }

    @Test
    void searchSecondlyLimitIsWaitedOutInLineOnce() {
        hubspot.stubFor(search("phone", "EQ").inScenario("secondly").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withBody(
                        "{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\","
                                + "\"errorType\":\"RATE_LIMIT\"}")).willSetStateTo("ok"));
        hubspot.stubFor(search("phone", "EQ").inScenario("secondly").whenScenarioStateIs("ok").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));

        DeskTicket t = ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("HubSpot ticket 9001 for contact 501", t.note());
        assertEquals(List.of(Duration.ofSeconds(1)), ctx.sleeps);
        assertEquals(2, requests("POST", SEARCH).size());
    }

    @Test
    void dailyLimitSpentMakesNoCallUntilMidnight() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")
                .withHeader("X-HubSpot-RateLimit-Daily", "250000")
                .withHeader("X-HubSpot-RateLimit-Daily-Remaining", "0")));
        HubSpotConnection c = ctx.connection();

        RetryableException e = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));

        assertEquals(Duration.ofHours(23).plusMinutes(58), e.retryAfter().orElseThrow());
        hubspot.verify(0, postRequestedFor(urlEqualTo(UPSERT)));
        assertTrue(e.getMessage().contains("daily"), e.getMessage());
    }

    @Test
    void daily429PausesEveryCallUntilMidnight() {
        hubspot.stubFor(search("phone", "EQ").willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"message\":\"You have "
                        + "reached your daily limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}")));
        HubSpotConnection c = ctx.connection();

        RetryableException e = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals(Duration.ofHours(23).plusMinutes(58), e.retryAfter().orElseThrow());
        ctx.now = ctx.now.plus(Duration.ofHours(23));
        RetryableException again = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));
        assertEquals(Duration.ofMinutes(58), again.retryAfter().orElseThrow());
        assertEquals(1, requests("POST", SEARCH).size(), "no call while the daily limit is spent");
    }

    @Test
    void configuredRateLimitIsTakenBeforeEveryCall() {
        ctx.with("rate-limit", "3");
        HubSpotConnection c = ctx.connection();

        RetryableException e = assertThrows(RetryableException.class, () -> c.open(handoff("hk-1", byPhone())));

        assertEquals(3, hubspot.findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(Duration.ofSeconds(10), e.retryAfter().orElseThrow());
        assertFalse(e.getMessage().contains(HubSpotTestContext.TOKEN));
    }

    @Test
    void remainingZeroPausesTheTenSecondBucket() {
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")
                .withHeader("X-HubSpot-RateLimit-Max", "100")
                .withHeader("X-HubSpot-RateLimit-Remaining", "0")
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")));

        RetryableException e = assertThrows(RetryableException.class,
                () -> ctx.connection().open(handoff("hk-1", byPhone())));

        assertEquals(Duration.ofSeconds(10), e.retryAfter().orElseThrow());
        hubspot.verify(0, postRequestedFor(urlEqualTo(UPSERT)));
    }

    @Test
    void relayAddsOneNotePerMessageAndCloseOneNote() {
        HubSpotConnection c = ctx.connection();
        DeskTicket t = new DeskTicket("9001", null, null);
        TranscriptLine line = new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:10:00Z"), TranscriptLine.CUSTOMER,
                "Any news? <3");

        c.relay(t, line, "m-1");
        c.relay(t, line, "m-1");
        c.close(t, "customer said bye");
        c.close(t, "customer said bye");

        List<LoggedRequest> notes = requests("POST", NOTES);
        assertEquals(2, notes.size());
        assertEquals(Jsons.parse("{\"hs_timestamp\":\"2026-01-01T00:02:00Z\",\"hs_note_body\":\"<p><strong>The customer "
                        + "wrote at 2026-01-01 09:10 UTC</strong> (via Parley):</p><p>Any news? &lt;3</p>"
                        + "<p>Parley ref: message m-1</p>\"}"),
                json(notes.get(0)).get("properties"));
        assertEquals(Jsons.parse("[{\"to\":{\"id\":\"9001\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\","
                + "\"associationTypeId\":228}]}]"), json(notes.get(0)).get("associations"));
        assertTrue(json(notes.get(1)).getJsonObject("properties").getString("hs_note_body")
                .startsWith("<p><strong>The customer closed the conversation in Parley</strong>: customer said bye</p>"));
    }

    @Test
    void ownerIsSetOnTheNote() {
        ctx.with("owner", "31337");
        hubspot.stubFor(search("phone", "EQ").willReturn(okJson(
                "{\"results\":[{\"id\":\"501\",\"properties\":{\"phone\":\"" + E164 + "\"}}]}")));

        ctx.connection().open(handoff("hk-1", byPhone()));

        assertEquals("31337", json(requests("POST", NOTES).get(0)).getJsonObject("properties").getString("hubspot_owner_id"));
    }
}
