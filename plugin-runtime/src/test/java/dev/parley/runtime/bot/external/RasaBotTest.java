package dev.parley.runtime.bot.external;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotButton;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.spi.Sentiment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RasaBotTest {

    static final String TOKEN = "rasa-secret-token-123";
    /** Started once per class; stubs and requests are reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private RasaBot bot(int timeoutMs) {
        return new RasaBot(RasaSettings.fromConfig("help", TestConfig.of(Map.of(
                "parley.agent.help.rasa.url", server.baseUrl() + "/",
                "parley.agent.help.rasa.token", TOKEN,
                "parley.agent.help.rasa.timeout-ms", String.valueOf(timeoutMs)))));
    }

    private static BotRequest request(String text) {
        return new BotRequest("help", 42, text, false, null, List.of(), null);
    }

    private void stub(int status, String body) {
        server.stubFor(post(urlEqualTo("/webhooks/rest/webhook")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void sendsTheMessageAndMapsTextAndButtons() {
        stub(200, """
                [{"recipient_id":"parley-42","text":"Hi! What do you need?",
                  "buttons":[{"title":"Track order","payload":"/track"},{"title":"Returns","payload":"/returns"}]},
                 {"recipient_id":"parley-42","text":"I'm here to help."},
                 {"recipient_id":"parley-42","image":"https://x/y.png"}]
                """);
        BotAnswer answer = bot(2000).answer(request("hello"));

        server.verify(postRequestedFor(urlEqualTo("/webhooks/rest/webhook"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"sender\":\"parley-42\",\"message\":\"hello\"}")));
        assertEquals(2, answer.messages().size());
        assertEquals("Hi! What do you need?", answer.messages().get(0).text());
        assertEquals(List.of(new BotButton("Track order", "/track", null), new BotButton("Returns", "/returns", null)),
                answer.messages().get(0).buttons());
        assertEquals("I'm here to help.", answer.messages().get(1).text());
        assertNull(answer.handoff());
    }

    @Test
    void aCustomHandoffPayloadIsTheHandoff() {
        stub(200, """
                [{"recipient_id":"parley-42","text":"Let me get a colleague."},
                 {"recipient_id":"parley-42","custom":{"parley":"handoff","reason":"refund","summary":"Wants a refund",
                   "sentiment":"negative","language":"EN","fields":{"order":"A-1","items":2}}}]
                """);
        BotAnswer answer = bot(2000).answer(request("I want my money back"));
        assertEquals(1, answer.messages().size());
        assertEquals("refund", answer.handoff().reason());
        assertEquals("Wants a refund", answer.handoff().summary());
        assertEquals(Sentiment.NEGATIVE, answer.handoff().sentiment());
        assertEquals("en", answer.handoff().language());
        assertEquals(Map.of("order", "A-1", "items", "2"), answer.handoff().fields());
    }

    @Test
    void anotherCustomPayloadIsNotAHandoff() {
        stub(200, "[{\"recipient_id\":\"parley-42\",\"custom\":{\"kind\":\"map\"}}]");
        BotAnswer answer = bot(2000).answer(request("where are you"));
        assertNull(answer.handoff());
        assertTrue(answer.messages().isEmpty());
    }

    @Test
    void serverErrorIsAFailureWithTheStatus() {
        stub(500, "{\"message\":\"model not loaded\"}");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000).answer(request("hello")));
        assertTrue(f.getMessage().contains("500") && f.getMessage().contains("model not loaded"), f.getMessage());
        assertFalse(f.getMessage().contains(TOKEN));
    }

    @Test
    void slowAnswerIsATimeout() {
        server.stubFor(post(urlEqualTo("/webhooks/rest/webhook")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(1500).withBody("[]")));
        BotFailure f = assertThrows(BotFailure.class, () -> bot(300).answer(request("hello")));
        assertTrue(f.getMessage().contains("timed out"), f.getMessage());
    }

    @Test
    void garbageIsABadAnswer() {
        stub(200, "<html>proxy error</html>");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000).answer(request("hello")));
        assertTrue(f.getMessage().startsWith("bad answer"), f.getMessage());
        stub(200, "{\"text\":\"not an array\"}");
        f = assertThrows(BotFailure.class, () -> bot(2000).answer(request("hello")));
        assertTrue(f.getMessage().startsWith("bad answer"), f.getMessage());
    }

    @Test
    void theTokenNeverShowsInAFailureEvenWhenEchoed() {
        stub(401, "{\"message\":\"bad token " + TOKEN + "\"}");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000).answer(request("hello")));
        assertTrue(f.getMessage().contains("401"), f.getMessage());
        assertFalse(f.getMessage().contains(TOKEN), f.getMessage());
    }

    @Test
    void connectionRefusedIsAFailure() {
        RasaBot bot = new RasaBot(RasaSettings.fromConfig("help", TestConfig.of(Map.of(
                "parley.agent.help.rasa.url", "http://127.0.0.1:1"))));
        BotFailure f = assertThrows(BotFailure.class, () -> bot.answer(request("hello")));
        assertTrue(f.getMessage().contains("Rasa"), f.getMessage());
    }

    @Test
    void missingUrlNamesTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RasaSettings.fromConfig("help", TestConfig.of(Map.of())));
        assertTrue(e.getMessage().contains("parley.agent.help.rasa.url"), e.getMessage());
        RasaSettings s = RasaSettings.fromConfig("help", TestConfig.of(Map.of("parley.agent.help.rasa.url", "http://rasa:5005")));
        assertEquals(RasaSettings.DEFAULT_TIMEOUT_MS, s.timeout().toMillis());
        assertNull(s.token());
    }

    @Test
    void aCustomResolvePayloadResolvesAfterTheMessages() {
        stub(200, """
                [{"recipient_id":"parley-7","text":"Glad I could help. Bye!"},
                 {"recipient_id":"parley-7","custom":{"parley":"resolve","reason":"customer said thanks"}}]
                """);
        BotAnswer answer = bot(2000).answer(request("thanks, that's all"));
        assertEquals(1, answer.messages().size());
        assertEquals("Glad I could help. Bye!", answer.messages().get(0).text());
        assertEquals("customer said thanks", answer.resolved());
        assertNull(answer.handoff());
    }

    @Test
    void aResolveMarkerWithTextInTheSameElementKeepsTheText() {
        stub(200, "[{\"text\":\"Bye!\",\"custom\":{\"parley\":\"RESOLVE\"}}]");
        BotAnswer answer = bot(2000).answer(request("bye"));
        assertEquals("Bye!", answer.messages().get(0).text());
        assertEquals(BotAnswer.DEFAULT_RESOLVE_REASON, answer.resolved());
    }

    @Test
    void withoutTheMarkerNothingResolves() {
        stub(200, "[{\"text\":\"ok\",\"custom\":{\"reason\":\"x\"}}]");
        assertNull(bot(2000).answer(request("bye")).resolved());
    }

    private RasaBot trackingBot() {
        return new RasaBot(RasaSettings.fromConfig("help", TestConfig.of(Map.of(
                "parley.agent.help.rasa.url", server.baseUrl() + "/",
                "parley.agent.help.rasa.token", TOKEN,
                "parley.agent.help.rasa.tracker", "true",
                "parley.agent.help.rasa.timeout-ms", "2000"))));
    }

    @Test
    void withoutTheTrackerTheReasoningSaysTheIntentWasNotAsked() {
        stub(200, "[{\"recipient_id\":\"parley-42\",\"custom\":{\"parley\":\"handoff\",\"reason\":\"refund\"}}]");
        BotAnswer answer = bot(2000).answer(request("money back"));
        assertEquals("Rasa at localhost:" + server.getPort() + ": handoff payload \"refund\", intent not asked "
                + "(the REST channel does not report it); no intent; no articles; no tool calls", answer.reasoning().line());
        assertNull(answer.topic());
        server.verify(0, getRequestedFor(urlPathEqualTo("/conversations/parley-42/tracker")));
    }

    @Test
    void theTrackerGivesTheIntentItsConfidenceAndTheTopic() {
        stub(200, "[{\"recipient_id\":\"parley-42\",\"text\":\"Opening hours are 9 to 5.\"}]");
        server.stubFor(get(urlPathEqualTo("/conversations/parley-42/tracker")).withQueryParam("include_events", equalTo("NONE"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"sender_id":"parley-42","latest_message":{"text":"when are you open",
                         "intent":{"name":"ask_hours","confidence":0.9731},
                         "intent_ranking":[{"name":"ask_hours","confidence":0.9731}]}}
                        """)));
        BotAnswer answer = trackingBot().answer(request("when are you open"));
        assertEquals("ask_hours", answer.topic());
        assertEquals("ask_hours", answer.reasoning().intent());
        assertEquals(0.9731, answer.reasoning().confidence());
        assertNull(answer.reasoning().rule());
        assertEquals("Opening hours are 9 to 5.", answer.messages().get(0).text());
    }

    @Test
    void aTrackerThatCannotBeReadCostsOnlyTheIntent() {
        stub(200, "[{\"recipient_id\":\"parley-42\",\"text\":\"Hi!\"}]");
        server.stubFor(get(urlPathEqualTo("/conversations/parley-42/tracker")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"token " + TOKEN + " refused\"}")));
        BotAnswer answer = trackingBot().answer(request("hello"));
        assertEquals("Hi!", answer.messages().get(0).text());
        assertNull(answer.topic());
        String line = answer.reasoning().line();
        assertTrue(line.contains("intent not read: Rasa answered HTTP 403"), line);
        assertFalse(line.contains(TOKEN), "the token never reaches the line: " + line);
    }

    @Test
    void theTrackerSettingIsTrueOrFalse() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RasaSettings.fromConfig("help",
                TestConfig.of(Map.of("parley.agent.help.rasa.url", "http://rasa:5005", "parley.agent.help.rasa.tracker", "yes"))));
        assertEquals("agent 'help': parley.agent.help.rasa.tracker must be true or false, was 'yes'", e.getMessage());
    }
}
