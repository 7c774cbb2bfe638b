package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handoff core end to end, with a help desk implemented against the SPI alone ({@code it-desk}, in the
 * drop-in jar) whose API is stood in by WireMock.
 */
@ExtendWith(SharedParleyExtension.class)
class HandoffIT {

    private final Conversations care = new Conversations("care");
    private WireMockServer wm;
    private Http admin;

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        this.admin = admin;
        SharedParley.resetWireMock();
        deskAccepts(wm);
        InfobipSmsIT.awaitRunning(admin, "care");
        InfobipSmsIT.awaitRunning(admin, "desk");
    }

    /** The desk API: a ticket per session ({@code T-<sessionId>}), comments and closes accepted. */
    static void deskAccepts(WireMockServer wm) {
        wm.stubFor(post(urlPathEqualTo("/desk/tickets")).atPriority(5).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"id\":\"T-{{jsonPath request.body '$.sessionId'}}\",\"url\":\"https://desk.example/T-{{jsonPath request.body '$.sessionId'}}\"}")));
        wm.stubFor(post(urlPathMatching("/desk/tickets/.+/(comments|close)")).atPriority(5).willReturn(aResponse().withStatus(204)));
    }

    static List<LoggedRequest> tickets(WireMockServer wm, String phone) {
        return wm.findAll(postRequestedFor(urlPathEqualTo("/desk/tickets")).withRequestBody(matchingJsonPath("$.phone", equalTo(phone))));
    }

    static JsonObject json(LoggedRequest r) {
        return Json.createReader(new StringReader(r.getBodyAsString())).readObject();
    }

    static void deskSays(String connection, String json) {
        SharedParley.anonymous().post("/channel/" + connection + "/webhook/reply", json, "application/json", Map.of()).expect(200);
    }

    @Test
    void aCustomerAsksForAHumanTheDeskGetsOneTicketAndTheAgentsRepliesComeBack() {
        String me = "447911123201";
        care.customerWrites(me, "what are your hours");
        assertEquals("We are open 9-17.", care.awaitTexts(me, 1).get(0));
        care.customerWrites(me, "I want to talk to a human about my broken order");

        LoggedRequest ticket = Await.value(SharedParley.PATIENCE, () -> tickets(wm, "+" + me).stream().findFirst().orElse(null), "ticket");
        JsonObject t = json(ticket);
        long sessionId = care.latestSession(me).orElseThrow();
        assertEquals(String.valueOf(sessionId), t.getString("sessionId"));
        assertTrue(ticket.getHeader("Idempotency-Key").startsWith("parley-handoff-"), ticket.getHeader("Idempotency-Key"));
        assertEquals("customer asked for a human", t.getString("reason"));
        assertEquals("care", t.getString("channel"));
        assertEquals("infobip-sms", t.getString("channelType"));
        assertEquals("en", t.getString("language"));
        assertEquals("neutral", t.getString("sentiment"));
        assertTrue(t.getString("sessionUrl").endsWith("/console/sessions/" + sessionId), t.getString("sessionUrl"));
        assertEquals(List.of("customer: what are your hours", "bot: We are open 9-17.",
                "customer: I want to talk to a human about my broken order"), t.getJsonArray("transcript").getValuesAs(
                        jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        assertTrue(t.getString("summary").contains("broken order"), t.getString("summary"));

        // The customer is told only once the desk has the ticket; the bot is silent from now on.
        assertTrue(care.awaitTexts(me, 2).get(1).contains("a member of our team will reply here"));
        care.customerWrites(me, "hours");
        LoggedRequest comment = Await.value(SharedParley.PATIENCE, () -> wm.findAll(postRequestedFor(
                urlPathEqualTo("/desk/tickets/T-" + sessionId + "/comments"))).stream().findFirst().orElse(null), "relayed");
        assertEquals("hours", json(comment).getString("text"));
        assertEquals(2, care.textsTo(me).size(), "the bot stays silent during the handoff");

        // The agent answers; the same event delivered twice reaches the customer once.
        String reply = "{\"id\":\"ev-" + sessionId + "\",\"ticket\":\"T-" + sessionId + "\",\"text\":\"Hi, Ann here. Sorry about that!\",\"agent\":\"Ann\"}";
        deskSays("desk", reply);
        deskSays("desk", reply);
        assertEquals("Hi, Ann here. Sorry about that!", care.awaitTexts(me, 3).get(2));
        InfobipSmsIT.quietly(1500);
        assertEquals(3, care.textsTo(me).size(), "duplicate reply relayed once");

        // A reply to a ticket nobody knows is reported, not relayed.
        String unknown = SharedParley.anonymous().post("/channel/desk/webhook/reply",
                "{\"id\":\"ev-x" + sessionId + "\",\"ticket\":\"T-404\",\"text\":\"?\"}", "application/json", Map.of()).expect(200).body();
        assertTrue(unknown.contains("T-404"), unknown);

        // The desk solves the ticket: the session is resolved and the bot answers the next message afresh.
        deskSays("desk", "{\"id\":\"solved-" + sessionId + "\",\"ticket\":\"T-" + sessionId + "\",\"solved\":true}");
        Await.until(SharedParley.PATIENCE, () -> "RESOLVED".equals(admin.get("/api/sessions/" + sessionId).json()
                .getJsonObject("session").getString("state")), "resolved");
        care.customerWrites(me, "hours");
        assertEquals("We are open 9-17.", care.awaitTexts(me, 4).get(3));
        assertEquals(1, tickets(wm, "+" + me).size());
        JsonObject detail = admin.get("/api/sessions/" + sessionId).expect(200).json();
        assertEquals("CLOSED", detail.getJsonArray("handoffs").getJsonObject(0).getString("state"));
        List<String> kinds = Conversations.timelineKinds(detail);
        assertTrue(kinds.containsAll(List.of("HANDOFF_REQUESTED", "HANDOFF_OPENED", "RELAYED", "HANDOFF_RESOLVED")), kinds.toString());
        // Only the bot's own turn has a reasoning line: asking for a human is decided before any bot.
        assertEquals(List.of("agent care's configured answers (embedded, no chatbot active): keyword \"hours\"; "
                + "no intent; no articles; no tool calls"), Conversations.timelineDetails(detail, "BOT_REASONING"));
    }

    @Test
    void aDeskOutageDelaysTheTicketButNeverLosesOrDoublesIt() {
        String me = "447911123202";
        wm.stubFor(post(urlPathEqualTo("/desk/tickets")).atPriority(1).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        wm.stubFor(post(urlPathEqualTo("/desk/tickets")).atPriority(1).inScenario("outage").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        care.customerWrites(me, "agent");
        care.customerWrites(me, "talk to a human please");
        Await.until(SharedParley.PATIENCE, () -> tickets(wm, "+" + me).size() == 3, "two failures, then the ticket");
        List<String> keys = tickets(wm, "+" + me).stream().map(r -> r.getHeader("Idempotency-Key")).distinct().toList();
        assertEquals(1, keys.size(), "every attempt carries the same idempotency key: " + keys);
        long sessionId = care.latestSession(me).orElseThrow();
        Await.until(SharedParley.PATIENCE, () -> wm.findAll(postRequestedFor(urlPathEqualTo("/desk/tickets/T-" + sessionId
                + "/comments"))).size() == 1, "the second request is relayed to the ticket, not a second ticket");
        InfobipSmsIT.quietly(1000);
        assertEquals(3, tickets(wm, "+" + me).size());
        JsonObject detail = admin.get("/api/sessions/" + sessionId).expect(200).json();
        assertEquals(1, detail.getJsonArray("handoffs").size());
        assertTrue(Conversations.timelineKinds(detail).contains("DESK_RETRY"));
    }

    @Test
    void aDeskThatRefusesTellsTheCustomerHonestlyAndTheBotTakesOver() {
        String me = "447911123203";
        wm.stubFor(post(urlPathEqualTo("/desk/tickets")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.phone", equalTo("+" + me)))
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"requester has no email\"}")));
        care.customerWrites(me, "human");
        assertTrue(care.awaitTexts(me, 1).get(0).contains("nobody from our team can take over"), care.textsTo(me).toString());
        JsonObject detail = care.session(me);
        assertEquals("BOT", detail.getJsonObject("session").getString("state"));
        assertTrue(Conversations.timelineEntry(detail, "HANDOFF_FAILED").orElseThrow().getString("detail").contains("no email"));
        care.customerWrites(me, "hours");
        assertEquals("We are open 9-17.", care.awaitTexts(me, 2).get(1));
    }

    @Test
    void outsideOfficeHoursTheCustomerHearsWhenPeopleAreBackAndTheConsoleAnswers() {
        Conversations night = new Conversations("night");
        InfobipSmsIT.awaitRunning(admin, "night");
        String me = "447911123204";
        night.customerWrites(me, "can I talk to a person");
        String told = night.awaitTexts(me, 1).get(0);
        assertTrue(told.startsWith("Our team is away right now and back ") && told.contains("09:00 (UTC)"), told);
        long sessionId = night.latestSession(me).orElseThrow();
        assertEquals("HANDED_OFF", admin.get("/api/sessions/" + sessionId).json().getJsonObject("session").getString("state"));

        admin.postJson("/api/sessions/" + sessionId + "/reply", "{\"text\":\"Morning! Carl here.\",\"agentName\":\"Carl\"}").expect(202);
        assertEquals("Morning! Carl here.", night.awaitTexts(me, 2).get(1));
        admin.post("/api/sessions/" + sessionId + "/resolve").expect(204);
        assertEquals(409, admin.post("/api/sessions/" + sessionId + "/resolve").status());
        assertEquals("RESOLVED", admin.get("/api/sessions/" + sessionId).json().getJsonObject("session").getString("state"));
    }

    @Test
    void theCloseCommandEndsAHandoff() {
        String me = "447911123205";
        care.customerWrites(me, "speak to a human");
        care.awaitTexts(me, 1);
        long sessionId = care.latestSession(me).orElseThrow();
        // Four words are enough to know the language (the walk-through's ticket said "Language: (none)").
        assertEquals("en", json(tickets(wm, "+" + me).get(0)).getString("language"));
        care.customerWrites(me, "#CLOSE");
        assertTrue(care.awaitTexts(me, 2).get(1).contains("this conversation is closed"));
        Await.until(SharedParley.PATIENCE, () -> !wm.findAll(postRequestedFor(urlPathEqualTo("/desk/tickets/T-" + sessionId
                + "/close"))).isEmpty(), "the desk is told");
        assertEquals("CLOSED", admin.get("/api/sessions/" + sessionId).json().getJsonObject("session").getString("state"));
    }

    @Test
    void aSandboxBotAnswersOnlyTheVerifiedTestNumber() {
        InfobipSmsIT.awaitRunning(admin, "testsender");
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:sandbox-hook".getBytes(StandardCharsets.UTF_8));
        for (String[] m : List.of(new String[] {"ts-1", "447000000001"}, new String[] {"ts-2", "447000000002"})) {
            SharedParley.anonymous().post("/channel/testsender/webhook/sms", InfobipSmsIT.inboundJson(m[0], m[1], "hello"),
                    "application/json", Map.of("Authorization", basic)).expect(200);
        }
        Http sandbox = SharedParley.anonymous().withHeader("Authorization", "App sandbox-key");
        Await.until(SharedParley.PATIENCE, () -> sandbox.get("/sandbox/testsender/messages").json().getJsonArray("messages")
                .size() == 1, "one answer");
        Await.until(SharedParley.PATIENCE, () -> admin.get("/api/connections/testsender/logs").body()
                .contains("+447000000002 is not the verified test number"), "the refused attempt is logged");
        InfobipSmsIT.quietly(1000);
        var recorded = sandbox.get("/sandbox/testsender/messages").json().getJsonArray("messages");
        assertEquals(1, recorded.size());
        assertEquals("Hello tester.", recorded.getJsonObject(0).getString("text"));
    }
}
