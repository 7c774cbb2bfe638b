package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A legitimate long text is never a 5xx and never an endless retry (security review): an inbound SMS longer than
 * the old VARCHAR(8000) body is stored whole, a runaway one (over MessageTexts.MAX_CHARS = 100,000) is cut with a
 * MESSAGE_CUT timeline note, and a desk agent's long reply reaches the customer without blocking later replies.
 * Uses the shared connections "sms" (agent "it") and "care" with the test desk "desk" (HandoffIT's).
 */
@ExtendWith(SharedParleyExtension.class)
class LongTextIT {

    /** The limit in plugin-runtime's MessageTexts (this module sees the WAR only as a black box). */
    static final int MAX_CHARS = 100_000;
    /** Infobip connector's SmsText.MAX_CODE_POINTS: an outbound SMS is capped there, ending with "...". */
    static final int SMS_MAX = 1600;

    private Http admin;
    private Http anonymous;

    @BeforeEach
    void setUp(Http admin) {
        this.admin = admin;
        this.anonymous = SharedParley.anonymous();
        SharedParley.resetWireMock();
        HandoffIT.deskAccepts(SharedParley.wireMock());
        InfobipSmsIT.awaitRunning(admin, "sms");
        InfobipSmsIT.awaitRunning(admin, "care");
        InfobipSmsIT.awaitRunning(admin, "desk");
    }

    /** {@code length} characters of words (no keyword the bot reacts to), not one repeated char. */
    static String text(int length) {
        StringBuilder b = new StringBuilder(length + 16);
        for (int i = 0; b.length() < length; i++) {
            b.append("word").append(i % 1000).append(' ');
        }
        return b.substring(0, length);
    }

    Http.Response postSms(String json) {
        return anonymous.post(InfobipSmsIT.WEBHOOK + "sms", json, "application/json", InfobipSmsIT.INFOBIP_BASIC);
    }

    JsonObject sessionOf(Conversations conversations, String digits) {
        return conversations.session(digits);
    }

    static JsonObject message(JsonObject session, String direction, int index) {
        return session.getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals(direction)).skip(index).findFirst()
                .orElseThrow(() -> new AssertionError("no " + direction + " message #" + index));
    }

    @Test
    void aNineThousandCharacterSmsIsStoredWholeAnsweredAndItsRedeliveryIsADuplicate() {
        Conversations sms = new Conversations("sms");
        String me = "41790071001";
        String text = text(9000);
        String json = InfobipSmsIT.inboundJson("long-9000-" + System.nanoTime(), me, text);

        long t0 = System.nanoTime();
        Http.Response r = postSms(json);
        long webhookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status(), "not a 5xx: " + r.status());
        assertEquals(1, r.json().getInt("accepted"), r.body());

        List<String> replies = sms.awaitTexts(me, 1);
        assertFalse(replies.get(0).isBlank(), "the customer is answered");

        JsonObject session = sessionOf(sms, me);
        assertEquals(text, message(session, "IN", 0).getString("text"), "the whole 9,000 characters are stored");
        assertFalse(Conversations.timelineKinds(session).contains("MESSAGE_CUT"), "nothing was cut");
        String in = Conversations.timelineEntry(session, "MESSAGE_IN").orElseThrow().getString("detail");
        assertTrue(in.length() <= 4000 && in.endsWith("[cut: 9000 characters in all]"),
                "the bounded timeline detail says it is cut: " + in.substring(Math.max(0, in.length() - 80)));

        Http.Response again = postSms(json);
        assertEquals(200, again.status());
        assertEquals(0, again.json().getInt("accepted"), again.body());
        assertEquals(1, again.json().getInt("duplicates"), again.body());
        InfobipSmsIT.quietly(1500);
        assertEquals(1, sms.textsTo(me).size(), "one reply");
        System.out.println("LongTextIT: 9,000-char SMS webhook answered in " + webhookMs + " ms");
    }

    @Test
    void aHundredFiftyThousandCharacterSmsIsCutWithANoteAndStillAnswered() {
        Conversations sms = new Conversations("sms");
        String me = "41790071002";
        String text = text(150_000);
        String json = InfobipSmsIT.inboundJson("long-150000-" + System.nanoTime(), me, text);

        long t0 = System.nanoTime();
        Http.Response r = postSms(json);
        long webhookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status(), "not a 5xx: " + r.status());
        assertEquals(1, r.json().getInt("accepted"), r.body());

        assertFalse(sms.awaitTexts(me, 1).get(0).isBlank(), "the customer is answered");

        JsonObject session = sessionOf(sms, me);
        String stored = message(session, "IN", 0).getString("text");
        assertEquals(MAX_CHARS, stored.length());
        assertEquals(text.substring(0, MAX_CHARS), stored);
        String note = Conversations.timelineEntry(session, "MESSAGE_CUT").orElseThrow(
                () -> new AssertionError("a MESSAGE_CUT note: " + Conversations.timelineKinds(session))).getString("detail");
        assertTrue(note.contains("150000 characters") && note.contains("first 100000"), note);

        Http.Response again = postSms(json);
        assertEquals(200, again.status());
        assertEquals(1, again.json().getInt("duplicates"), again.body());
        InfobipSmsIT.quietly(1500);
        assertEquals(1, sms.textsTo(me).size(), "one reply");
        System.out.println("LongTextIT: 150,000-char SMS webhook answered in " + webhookMs + " ms");
    }

    @Test
    void aDeskAgentsLongReplyReachesTheCustomerAndALaterReplyOnTheTicketStillGetsThrough() {
        Conversations care = new Conversations("care");
        String me = "447911129001";
        care.customerWrites(me, "I want to talk to a human about my broken order");
        assertTrue(care.awaitTexts(me, 1).get(0).contains("a member of our team will reply here"));
        long sessionId = care.latestSession(me).orElseThrow();
        Await.until(SharedParley.PATIENCE, () -> admin.get("/api/sessions/" + sessionId).json().getJsonArray("handoffs")
                .getJsonObject(0).getString("state").equals("OPEN"), "handoff OPEN");

        String longReply = text(9000);
        Http.Response r = anonymous.post("/channel/desk/webhook/reply", Json.createObjectBuilder()
                .add("id", "long-" + sessionId).add("ticket", "T-" + sessionId).add("text", longReply).add("agent", "Ann")
                .build().toString(), "application/json", Map.of());
        assertEquals(200, r.status(), "not a 5xx: " + r.status() + " " + r.body());

        // The SMS connector caps what it sends (1,600 code points ending with "..."); Parley keeps the whole reply.
        String sent = care.awaitTexts(me, 2).get(1);
        assertEquals(SMS_MAX, sent.length());
        assertEquals(longReply.substring(0, SMS_MAX - 3) + "...", sent);
        JsonObject session = care.session(me);
        JsonObject out = message(session, "OUT", 1);
        assertEquals(longReply, out.getString("text"), "the whole agent reply is stored");
        Await.until(SharedParley.PATIENCE, () -> "SENT".equals(message(care.session(me), "OUT", 1).getString("status")),
                "the long reply SENT");

        String later = "{\"id\":\"later-" + sessionId + "\",\"ticket\":\"T-" + sessionId + "\",\"text\":\"Anything else?\",\"agent\":\"Ann\"}";
        anonymous.post("/channel/desk/webhook/reply", later, "application/json", Map.of()).expect(200);
        assertEquals("Anything else?", care.awaitTexts(me, 3).get(2), "a later reply on the same ticket gets through");
    }
}
