package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chatbot lifecycle through the admin API and real SMS traffic on connection "bots": validation with
 * locations, activation, one active bot per sender with a grace period, redeploy, schedules.
 */
@ExtendWith(SharedParleyExtension.class)
class ChatbotLifecycleIT {

    private final Conversations bots = new Conversations("bots");
    private Http admin;

    @BeforeEach
    void setUp(Http admin) {
        this.admin = admin;
        SharedParley.resetWireMock();
        InfobipSmsIT.awaitRunning(admin, "bots");
    }

    static String definition(String name, String welcomeText) {
        return """
                name: %s
                channel: bots
                sender: "+44 7491 163443"
                welcome: welcome
                fallback: fallback
                dialogs:
                  - id: welcome
                    messages:
                      - text: %s
                        buttons:
                          - caption: Opening hours
                            postback: dialog:hours
                          - caption: Website
                            url: https://www.example.com
                  - id: hours
                    messages:
                      - We are open 9-17.
                  - id: fallback
                    messages:
                      - Sorry, %s did not get that.
                intents:
                  - name: opening_hours
                    dialog: hours
                    phrases: [when are you open, what are your opening hours, what time do you close]
                  - name: talk_to_human
                    handoff: true
                    phrases: [I want to talk to a human, connect me to a person, let me speak to someone]
                """.formatted(name, welcomeText, name);
    }

    @Test
    void validationReturnsEveryErrorWithItsLocationAndActivationIsRefused() {
        String broken = """
                name: Broken
                channel: nowhere
                welcome: welcome
                dialogs:
                  - id: welcome
                    messages:
                      - text: ""
                        buttons:
                          - caption: ""
                            postback: dialog:missing
                          - caption: Site
                            url: "not a url"
                intents:
                  - name: a
                    phrases: [one, two, three, four, five, six, seven, eight, nine, ten]
                  - name: b
                    phrases: [only one]
                  - name: c
                    phrases: [x one, x two, x three, x four, x five, x six, x seven, x eight, x nine]
                """;
        JsonObject saved = admin.send("PUT", "/api/chatbots/broken", broken, "application/yaml", java.util.Map.of()).expect(200).json();
        assertFalse(saved.getBoolean("valid"));
        List<String> codes = codes(saved.getJsonArray("errors"));
        List<String> locations = saved.getJsonArray("errors").stream().map(v -> v.asJsonObject().getString("location")).toList();
        assertTrue(codes.containsAll(List.of("sender-missing", "message-text-missing", "button-caption-missing",
                "dialog-unknown", "button-url-invalid", "intent-phrases-imbalanced", "channel-unknown")), codes.toString());
        assertTrue(locations.contains("dialogs[welcome].messages[0].buttons[0]"), locations.toString());
        assertTrue(locations.contains("intents[b]"), locations.toString());

        assertEquals(saved.getJsonArray("errors").size(),
                admin.post("/api/chatbots/broken/validate").expect(200).json().getJsonArray("errors").size());
        JsonObject refused = admin.postJson("/api/chatbots/broken/activate", "{}").expect(422).json();
        assertEquals(saved.getJsonArray("errors").size(), refused.getJsonArray("errors").size());
        assertEquals("DRAFT", admin.get("/api/chatbots/broken").expect(200).json().getJsonObject("bot").getString("state"));
        assertEquals(400, admin.send("PUT", "/api/chatbots/broken", "name: [unclosed", "application/yaml", java.util.Map.of()).status());
    }

    @Test
    void anActiveBotAnswersWithButtonsAndASecondBotTakesTheSenderAfterAGracePeriod() {
        admin.send("PUT", "/api/chatbots/alpha", definition("Alpha", "Hi from Alpha."), "application/yaml", java.util.Map.of()).expect(200);
        admin.postJson("/api/chatbots/alpha/activate", "{}").expect(200);
        assertEquals("ACTIVE", bot("alpha").getString("state"));

        bots.customerWrites("447911123101", "hello");
        List<String> first = bots.awaitTexts("447911123101", 1);
        assertEquals("Hi from Alpha.\n1) Opening hours\n2) Website: https://www.example.com", first.get(0));
        bots.customerWrites("447911123101", "1");
        assertEquals("We are open 9-17.", bots.awaitTexts("447911123101", 2).get(1));
        // Each turn says why the bot answered so: which chatbot revision, and what decided.
        assertEquals(List.of("embedded chatbot alpha rev 1: welcome dialog; no intent; no articles; no tool calls",
                        "embedded chatbot alpha rev 1: button \"Opening hours\"; no intent; no articles; no tool calls"),
                Conversations.timelineDetails(bots.session("447911123101"), "BOT_REASONING"));

        // Beta takes the same sender (written differently) with a grace period: Alpha's open session goes on.
        admin.send("PUT", "/api/chatbots/beta", definition("Beta", "Hi from Beta."), "application/yaml", java.util.Map.of()).expect(200);
        JsonObject took = admin.postJson("/api/chatbots/beta/activate", "{\"gracePeriod\":\"PT4S\"}").expect(200).json();
        assertTrue(took.getString("detail").contains("'alpha' deactivated"), took.toString());
        assertEquals("INACTIVE", bot("alpha").getString("state"));
        assertEquals("ACTIVE", bot("beta").getString("state"));

        bots.customerWrites("447911123101", "blah blah");
        assertEquals("Sorry, Alpha did not get that.", bots.awaitTexts("447911123101", 3).get(2), "old session still on Alpha");
        bots.customerWrites("447911123102", "hello");
        assertTrue(bots.awaitTexts("447911123102", 1).get(0).startsWith("Hi from Beta."), "a new customer reaches Beta");

        // After the grace period Alpha's session is closed; the customer's next message reaches Beta.
        Await.until(Duration.ofSeconds(20), () -> "CLOSED".equals(bots.session("447911123101").getJsonObject("session")
                .getString("state")), "Alpha's session closed after the grace period");
        bots.customerWrites("447911123101", "hello again");
        assertTrue(bots.awaitTexts("447911123101", 4).get(3).startsWith("Hi from Beta."));
        assertEquals(2, bots.sessionCount("447911123101"));

        // Redeploy Beta with a change, immediately: the new revision answers.
        admin.send("PUT", "/api/chatbots/beta", definition("Beta", "Hi from Beta 2."), "application/yaml", java.util.Map.of()).expect(200);
        assertEquals(409, admin.postJson("/api/chatbots/alpha/redeploy", "{}").status(), "alpha is not active");
        admin.postJson("/api/chatbots/beta/redeploy", "{\"immediate\":true}").expect(200);
        assertEquals(2, bot("beta").getInt("activeRevision"));
        Await.until(Duration.ofSeconds(20), () -> "CLOSED".equals(bots.session("447911123102").getJsonObject("session")
                .getString("state")), "sessions on the old revision end at once");
        bots.customerWrites("447911123102", "hi");
        assertTrue(bots.awaitTexts("447911123102", 2).get(1).startsWith("Hi from Beta 2."));
        bots.customerWrites("447911123102", "what time do you close");
        assertEquals("We are open 9-17.", bots.awaitTexts("447911123102", 3).get(2));
        List<String> why = Conversations.timelineDetails(bots.session("447911123102"), "BOT_REASONING");
        assertTrue(why.get(why.size() - 1).matches("embedded chatbot beta rev 2: intent \"opening_hours\" "
                + "\\(confidence (0\\.[5-9]\\d|1\\.00)\\); no articles; no tool calls"), why.toString());
        assertTrue(Conversations.timelineDetails(bots.session("447911123102"), "BOT_TOPIC").contains("opening_hours"),
                "the topic line stays");

        admin.postJson("/api/chatbots/beta/deactivate", "{\"immediate\":true}").expect(200);
        assertEquals(409, admin.postJson("/api/chatbots/beta/redeploy", "{}").status());
    }

    @Test
    void schedulesFireOnceAtTheirTimeInTheirZone() {
        admin.send("PUT", "/api/chatbots/timed", definition("Timed", "Hi from Timed.").replace("channel: bots", "channel: bots")
                .replace("+44 7491 163443", "SCHEDULED"), "application/yaml", java.util.Map.of()).expect(200);
        // A scheduled deactivation of a bot that is not active needs a scheduled activation with it.
        ZoneId zone = ZoneId.of("America/New_York");
        LocalDateTime now = LocalDateTime.now(zone).truncatedTo(ChronoUnit.SECONDS);
        assertEquals(409, admin.postJson("/api/chatbots/timed/schedule", "{\"deactivateAt\":\"" + now.plusMinutes(5)
                + "\",\"zone\":\"America/New_York\"}").status());
        assertEquals(400, admin.postJson("/api/chatbots/timed/schedule", "{\"activateAt\":\"tomorrow\",\"zone\":\"America/New_York\"}").status());

        admin.postJson("/api/chatbots/timed/schedule", "{\"activateAt\":\"" + now.plusSeconds(3) + "\",\"deactivateAt\":\""
                + now.plusSeconds(7) + "\",\"zone\":\"America/New_York\"}").expect(200);
        JsonObject listed = admin.get("/api/chatbots").expect(200).jsonArray().stream().map(JsonValue::asJsonObject)
                .filter(b -> b.getString("id").equals("timed")).findFirst().orElseThrow();
        assertEquals("ACTIVATE", listed.getJsonObject("nextChange").getString("action"));
        assertEquals("America/New_York", listed.getJsonObject("nextChange").getString("zone"));
        assertEquals(now.plusSeconds(3).toString(), listed.getJsonObject("nextChange").getString("localTime"));

        Await.until(Duration.ofSeconds(20), () -> "ACTIVE".equals(bot("timed").getString("state")), "activated on schedule");
        assertEquals("DEACTIVATE", bot("timed").getJsonObject("nextChange").getString("action"));
        Await.until(Duration.ofSeconds(20), () -> "INACTIVE".equals(bot("timed").getString("state")), "deactivated on schedule");
        assertNull(bot("timed").get("nextChange") == JsonValue.NULL ? null : bot("timed").get("nextChange"));
    }

    @Test
    void shareLinksAreOnlyForWhatsAppBots() {
        admin.send("PUT", "/api/chatbots/sharer", definition("Sharer", "Hi."), "application/yaml", java.util.Map.of()).expect(200);
        JsonObject refused = admin.get("/api/chatbots/sharer/share").expect(409).json();
        assertTrue(refused.toString().contains("WhatsApp"), refused.toString());
        assertEquals(404, admin.get("/api/chatbots/nope/share").status());
        assertEquals(401, SharedParley.anonymous().get("/api/chatbots").status());
    }

    private JsonObject bot(String id) {
        return admin.get("/api/chatbots/" + id).expect(200).json().getJsonObject("bot");
    }

    private static List<String> codes(JsonArray errors) {
        return errors.stream().map(v -> v.asJsonObject().getString("code")).toList();
    }
}
