package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot resolves a conversation (here a Rasa bot's {@code {"parley":"resolve"}} payload): the session ends RESOLVED
 * after its reply is queued, and on a channel that keeps conversations of its own at the provider (the drop-in
 * {@code it-channel}, a {@code ConversationCloser} whose API WireMock stands in at {@code /chan}) the provider's
 * conversation is closed once, after the reply was sent.
 */
@ExtendWith(SharedParleyExtension.class)
class BotResolveIT {

    private static final String RASA = "/rrasa/webhooks/rest/webhook";
    /** How long the provider takes to accept a message: a close that did not wait for the reply would come sooner. */
    private static final int SEND_DELAY_MS = 1500;
    private static final AtomicInteger IDS = new AtomicInteger();

    private WireMockServer wm;
    private Http admin;
    private final Conversations closer = new Conversations("closer");

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        this.admin = admin;
        SharedParley.resetWireMock();
        HandoffIT.deskAccepts(wm);
        wm.stubFor(post(urlPathEqualTo("/chan/send")).atPriority(5).willReturn(aResponse().withStatus(200)
                .withFixedDelay(SEND_DELAY_MS).withHeader("Content-Type", "application/json")
                .withTransformers("response-template").withBody("{\"id\":\"p-{{jsonPath request.body '$.ref'}}\"}")));
        wm.stubFor(post(urlPathEqualTo("/chan/close")).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"line\":\"closed conversation of {{jsonPath request.body '$.to'}}\"}")));
        for (String c : new String[] {"closer", "rsms", "desk"}) {
            InfobipSmsIT.awaitRunning(admin, c);
        }
    }

    /** Rasa answers {@code text} with {@code answer} (a JSON array). */
    private void rasaAnswers(String text, String answer) {
        wm.stubFor(post(urlPathEqualTo(RASA)).withRequestBody(matchingJsonPath("$.message", equalTo(text)))
                .willReturn(okJson(answer)));
    }

    /** The customer writes on the it-channel connection. */
    private void customerWrites(String address, String text) {
        SharedParley.anonymous().post("/channel/closer/webhook/in", Json.createObjectBuilder()
                .add("id", "rit-" + IDS.incrementAndGet() + "-" + System.nanoTime()).add("from", address)
                .add("text", text).build().toString(), "application/json", Map.of()).expect(200);
    }

    private List<LoggedRequest> sends(String address) {
        return wm.findAll(postRequestedFor(urlPathEqualTo("/chan/send")).withRequestBody(matchingJsonPath("$.to", equalTo(address))));
    }

    private List<LoggedRequest> closes(String address) {
        return wm.findAll(postRequestedFor(urlPathEqualTo("/chan/close")).withRequestBody(matchingJsonPath("$.to", equalTo(address))));
    }

    private JsonObject sessionWith(Conversations on, String digits, String timelineKind) {
        return Await.value(SharedParley.PATIENCE, () -> {
            JsonObject s = on.latestSession(digits).isEmpty() ? null : on.session(digits);
            return s != null && Conversations.timelineKinds(s).contains(timelineKind) ? s : null;
        }, timelineKind + " in the session of +" + digits);
    }

    private static String state(JsonObject session) {
        return session.getJsonObject("session").getString("state");
    }

    private static String detail(JsonObject session, String kind) {
        return Conversations.timelineEntry(session, kind).orElseThrow(() -> new AssertionError("no " + kind + " in "
                + Conversations.timelineKinds(session))).getString("detail");
    }

    @Test
    void theBotResolvesTheReplyGoesOutThenTheProviderConversationIsClosedOnceAndTheNextMessageOpensANewSession()
            throws Exception {
        String digits = "447700900101";
        String me = "+" + digits;
        rasaAnswers("thanks, all good now", "[{\"recipient_id\":\"x\",\"text\":\"Glad I could help. Bye!\"},"
                + "{\"recipient_id\":\"x\",\"custom\":{\"parley\":\"resolve\",\"reason\":\"customer confirmed it works\"}}]");
        rasaAnswers("one more thing", "[{\"recipient_id\":\"x\",\"text\":\"Sure, what is it?\"}]");

        customerWrites(me, "thanks, all good now");
        JsonObject first = sessionWith(closer, digits, "CONVERSATION_CLOSED");
        long firstId = first.getJsonObject("session").getJsonNumber("id").longValue();

        assertEquals("RESOLVED", state(first));
        assertEquals("customer confirmed it works", detail(first, "BOT_RESOLVED"));
        assertEquals("closed conversation of " + me, detail(first, "CONVERSATION_CLOSED"), "the channel's own line");
        JsonObject reply = first.getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals("OUT")).findFirst().orElseThrow();
        assertEquals("Glad I could help. Bye!", reply.getString("text"));
        assertEquals("SENT", reply.getString("status"));
        List<String> kinds = Conversations.timelineKinds(first);
        assertTrue(kinds.indexOf("BOT_RESOLVED") > kinds.indexOf("MESSAGE_OUT"), "resolved after its reply was queued: " + kinds);
        assertTrue(kinds.indexOf("CONVERSATION_CLOSED") > kinds.indexOf("SENT"), "closed after the reply was sent: " + kinds);

        // The provider saw the reply, then (only once its send had returned) exactly one close.
        List<LoggedRequest> sent = sends(me);
        assertEquals(1, sent.size());
        assertEquals("Glad I could help. Bye!", HandoffIT.json(sent.get(0)).getString("text"));
        List<LoggedRequest> closed = closes(me);
        assertEquals(1, closed.size());
        assertEquals("customer confirmed it works", HandoffIT.json(closed.get(0)).getString("reason"));
        long gap = closed.get(0).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime();
        assertTrue(gap >= SEND_DELAY_MS - 50, "the close must wait for the reply's send to finish; it came " + gap + " ms after it started");

        // The next customer message opens a new session with the bot.
        customerWrites(me, "one more thing");
        JsonObject second = Await.value(SharedParley.PATIENCE, () -> closer.latestSession(digits)
                .filter(id -> id != firstId).map(id -> closer.session(digits)).filter(s -> s.getJsonArray("messages").stream()
                        .anyMatch(m -> m.asJsonObject().getString("text").equals("Sure, what is it?"))).orElse(null),
                "a new session answering 'one more thing'");
        assertNotEquals(firstId, second.getJsonObject("session").getJsonNumber("id").longValue());
        assertEquals("BOT", state(second));
        assertEquals(2, closer.sessionCount(digits));
        assertEquals("RESOLVED", admin.get("/api/sessions/" + firstId).expect(200).json().getJsonObject("session").getString("state"));

        // Nothing closes twice: not the sweeper, not the new session.
        Thread.sleep(2000);
        assertEquals(1, closes(me).size(), "exactly one close call");
        assertFalse(Conversations.timelineKinds(closer.session(digits)).contains("BOT_RESOLVED"));
    }

    @Test
    void aCloseTheProviderRefusesIsRecordedWithItsReasonAndNotRetried() throws Exception {
        String digits = "447700900102";
        String me = "+" + digits;
        wm.stubFor(post(urlPathEqualTo("/chan/close")).atPriority(1).withRequestBody(matchingJsonPath("$.to", equalTo(me)))
                .willReturn(aResponse().withStatus(409).withBody("conversation belongs to agent ana")));
        rasaAnswers("bye now", "[{\"text\":\"Bye!\"},{\"custom\":{\"parley\":\"resolve\"}}]");

        customerWrites(me, "bye now");
        JsonObject s = sessionWith(closer, digits, "CONVERSATION_CLOSE_FAILED");
        assertEquals("RESOLVED", state(s), "the session ends whatever the provider says");
        assertEquals("the bot resolved the conversation", detail(s, "BOT_RESOLVED"), "the default reason");
        String failed = detail(s, "CONVERSATION_CLOSE_FAILED");
        assertTrue(failed.contains("409") && failed.contains("conversation belongs to agent ana"), failed);
        assertFalse(Conversations.timelineKinds(s).contains("CONVERSATION_CLOSED"));
        Thread.sleep(1500);
        assertEquals(1, closes(me).size(), "a permanent refusal is not retried");
    }

    @Test
    void aReplyRetriedKeepsTheCloseWaitingAndACloseThatFailsForNowIsRetriedUntilItWorks() {
        String digits = "447700900103";
        String me = "+" + digits;
        wm.stubFor(post(urlPathEqualTo("/chan/send")).atPriority(1).withRequestBody(matchingJsonPath("$.to", equalTo(me)))
                .inScenario("send-flaky").whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        wm.stubFor(post(urlPathEqualTo("/chan/close")).atPriority(1).withRequestBody(matchingJsonPath("$.to", equalTo(me)))
                .inScenario("close-flaky").whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        rasaAnswers("solved, bye", "[{\"text\":\"Great, bye!\"},{\"custom\":{\"parley\":\"resolve\",\"reason\":\"solved\"}}]");

        customerWrites(me, "solved, bye");
        JsonObject s = sessionWith(closer, digits, "CONVERSATION_CLOSED");
        assertEquals("RESOLVED", state(s));
        assertTrue(Conversations.timelineKinds(s).contains("SEND_RETRY"), Conversations.timelineKinds(s).toString());
        assertTrue(detail(s, "CONVERSATION_CLOSE_RETRY").contains("503"), detail(s, "CONVERSATION_CLOSE_RETRY"));
        List<LoggedRequest> sent = sends(me);
        List<LoggedRequest> closed = closes(me);
        assertEquals(2, sent.size(), "the reply: one failed attempt, one that worked");
        assertEquals(2, closed.size(), "the close: one failed attempt, one that worked");
        long gap = closed.get(0).getLoggedDate().getTime() - sent.get(1).getLoggedDate().getTime();
        assertTrue(gap >= SEND_DELAY_MS - 50, "the first close attempt must wait for the reply's retry to be sent; "
                + "it came " + gap + " ms after that send started");
    }

    @Test
    void aHandoffInTheSameAnswerWinsAndNothingIsClosed() throws Exception {
        String digits = "447700900104";
        String me = "+" + digits;
        rasaAnswers("this is broken", "[{\"text\":\"Let me get a colleague.\"},"
                + "{\"custom\":{\"parley\":\"resolve\",\"reason\":\"looks done\"}},"
                + "{\"custom\":{\"parley\":\"handoff\",\"reason\":\"customer is stuck\"}}]");

        customerWrites(me, "this is broken");
        JsonObject s = sessionWith(closer, digits, "HANDOFF_OPENED");
        assertEquals("HANDED_OFF", state(s));
        assertTrue(detail(s, "RESOLVE_IGNORED").contains("looks done"), detail(s, "RESOLVE_IGNORED"));
        assertFalse(Conversations.timelineKinds(s).contains("BOT_RESOLVED"));
        Await.until(SharedParley.PATIENCE, () -> !sends(me).isEmpty(), "the reply");
        Thread.sleep(1000);
        assertEquals(0, closes(me).size(), "a handed-off conversation is not closed");
    }

    @Test
    void onAChannelWithoutProviderConversationsTheSessionResolvesWithoutACloseStep() throws Exception {
        Conversations sms = new Conversations("rsms");
        String digits = "447911123505"; // a number Infobip's SMS connector takes (07700 900xxx are not valid numbers)
        rasaAnswers("all sorted", "[{\"text\":\"Happy to help!\"},{\"custom\":{\"parley\":\"resolve\",\"reason\":\"sorted\"}}]");
        rasaAnswers("hello", "[{\"text\":\"Hello again.\"}]");

        sms.customerWrites(digits, "all sorted");
        assertEquals(List.of("Happy to help!"), sms.awaitTexts(digits, 1));
        JsonObject s = sessionWith(sms, digits, "BOT_RESOLVED");
        assertEquals("RESOLVED", state(s));
        assertEquals("sorted", detail(s, "BOT_RESOLVED"));
        Thread.sleep(1000);
        List<String> kinds = Conversations.timelineKinds(sms.session(digits));
        assertFalse(kinds.stream().anyMatch(k -> k.startsWith("CONVERSATION_CLOSE")), kinds.toString());
        assertTrue(wm.findAll(postRequestedFor(urlPathEqualTo("/chan/close"))).isEmpty());

        sms.customerWrites(digits, "hello");
        assertEquals("Hello again.", sms.awaitTexts(digits, 2).get(1));
        assertEquals(2, sms.sessionCount(digits), "the next message opened a new session");
    }
}
