package dev.parley.runtime.bot.external;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotButton;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.spi.Sentiment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BotpressBotTest {

    static final String TOKEN = "bp-secret-token-456";
    static final String PATH = "/api/v1/bots/shop-bot/converse/parley-7?include=nlu";
    /** Started once per class; stubs and requests are reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private BotpressBot bot(int timeoutMs, String token) {
        Map<String, String> p = new HashMap<>(Map.of(
                "parley.agent.shop.botpress.url", server.baseUrl(),
                "parley.agent.shop.botpress.bot-id", "shop-bot",
                "parley.agent.shop.botpress.timeout-ms", String.valueOf(timeoutMs)));
        if (token != null) {
            p.put("parley.agent.shop.botpress.token", token);
        }
        return new BotpressBot(BotpressSettings.fromConfig("shop", TestConfig.of(p)));
    }

    private static BotRequest request(String text) {
        return new BotRequest("shop", 7, text, true, null, List.of(), "Ana");
    }

    private void stub(int status, String body) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void sendsTextAndMapsTextChoicesCardsAndNlu() {
        stub(200, """
                {"responses":[
                  {"type":"typing","value":true},
                  {"type":"text","text":"Hello Ana!"},
                  {"type":"single-choice","text":"What can I do?","choices":[
                    {"title":"Track my order","value":"TRACK"},{"title":"Talk to sales","value":"SALES"}]},
                  {"type":"carousel","items":[
                    {"type":"card","title":"Jacket","subtitle":"49 EUR","actions":[
                      {"action":"Open URL","title":"View","url":"https://shop.example/jacket"},
                      {"action":"Postback","title":"Buy","payload":"BUY_JACKET"}]}]},
                  {"type":"image","image":"https://shop.example/a.png"}],
                 "nlu":{"language":"en","intent":{"name":"greeting","confidence":0.9}}}
                """);
        BotAnswer answer = bot(2000, TOKEN).answer(request("hi"));

        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"type\":\"text\",\"text\":\"hi\"}")));
        assertEquals(3, answer.messages().size());
        assertEquals("Hello Ana!", answer.messages().get(0).text());
        assertEquals("What can I do?", answer.messages().get(1).text());
        assertEquals(List.of(new BotButton("Track my order", "TRACK", null), new BotButton("Talk to sales", "SALES", null)),
                answer.messages().get(1).buttons());
        assertEquals("Jacket\n49 EUR", answer.messages().get(2).text());
        assertEquals(List.of(new BotButton("View", null, "https://shop.example/jacket"),
                new BotButton("Buy", "BUY_JACKET", null)), answer.messages().get(2).buttons());
        assertEquals("greeting", answer.topic());
        assertEquals("en", answer.language());
        assertNull(answer.handoff());
    }

    @Test
    void noTokenNoAuthorizationHeader() {
        stub(200, "{\"responses\":[{\"type\":\"text\",\"text\":\"ok\"}]}");
        bot(2000, null).answer(request("hi"));
        server.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void aParleyHandoffPayloadIsTheHandoff() {
        stub(200, """
                {"responses":[
                  {"type":"text","text":"One moment, I'm getting a colleague."},
                  {"type":"custom","payload":{"parley":"handoff","reason":"complaint","summary":"Parcel lost",
                    "sentiment":"negative","language":"de","fields":{"order":"B-2"}}}],
                 "nlu":{"intent":{"name":"none"}}}
                """);
        BotAnswer answer = bot(2000, TOKEN).answer(request("Mein Paket ist weg"));
        assertEquals(1, answer.messages().size());
        assertEquals("complaint", answer.handoff().reason());
        assertEquals("Parcel lost", answer.handoff().summary());
        assertEquals(Sentiment.NEGATIVE, answer.handoff().sentiment());
        assertEquals("de", answer.handoff().language());
        assertEquals(Map.of("order", "B-2"), answer.handoff().fields());
        assertNull(answer.topic(), "the 'none' intent is no topic");
    }

    @Test
    void aBareHandoffMarkerGetsADefaultReason() {
        stub(200, "{\"responses\":[{\"type\":\"custom\",\"payload\":{\"parley\":\"handoff\"}}]}");
        BotAnswer answer = bot(2000, TOKEN).answer(request("human please"));
        assertEquals(HandoffPayloads.DEFAULT_REASON, answer.handoff().reason());
        assertNull(answer.handoff().sentiment());
        assertTrue(answer.messages().isEmpty());
    }

    @Test
    void serverErrorIsAFailure() {
        stub(503, "Service Unavailable");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000, TOKEN).answer(request("hi")));
        assertTrue(f.getMessage().contains("HTTP 503"), f.getMessage());
        assertFalse(f.getMessage().contains(TOKEN));
    }

    @Test
    void slowAnswerIsATimeout() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(1500)
                .withBody("{\"responses\":[]}")));
        BotFailure f = assertThrows(BotFailure.class, () -> bot(300, TOKEN).answer(request("hi")));
        assertTrue(f.getMessage().contains("timed out after 300 ms"), f.getMessage());
    }

    @Test
    void garbageIsABadAnswer() {
        stub(200, "not json at all");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000, TOKEN).answer(request("hi")));
        assertTrue(f.getMessage().startsWith("bad answer"), f.getMessage());
        stub(200, "{\"state\":{}}");
        f = assertThrows(BotFailure.class, () -> bot(2000, TOKEN).answer(request("hi")));
        assertTrue(f.getMessage().contains("no responses"), f.getMessage());
    }

    @Test
    void theTokenNeverShowsInAFailureEvenWhenEchoed() {
        stub(403, "{\"message\":\"token " + TOKEN + " has no access\"}");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(2000, TOKEN).answer(request("hi")));
        assertTrue(f.getMessage().contains("403") && f.getMessage().contains("has no access"), f.getMessage());
        assertFalse(f.getMessage().contains(TOKEN), f.getMessage());
    }

    @Test
    void missingBotIdNamesTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BotpressSettings.fromConfig("shop",
                TestConfig.of(Map.of("parley.agent.shop.botpress.url", "http://botpress:3000"))));
        assertTrue(e.getMessage().contains("parley.agent.shop.botpress.bot-id"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> BotpressSettings.fromConfig("shop",
                TestConfig.of(Map.of("parley.agent.shop.botpress.url", "botpress:3000",
                        "parley.agent.shop.botpress.bot-id", "b"))));
        assertTrue(e.getMessage().contains("absolute http(s) URL"), e.getMessage());
        BotpressSettings s = BotpressSettings.fromConfig("shop", TestConfig.of(Map.of(
                "parley.agent.shop.botpress.url", "http://botpress:3000",
                "parley.agent.shop.botpress.bot-id", "b", "parley.agent.shop.botpress.token", TOKEN)));
        assertFalse(s.toString().contains(TOKEN));
    }

    @Test
    void aParleyResolvePayloadResolvesAfterTheMessages() {
        stub(200, """
                {"responses":[
                  {"type":"text","text":"Your parcel is on its way. Anything else?"},
                  {"type":"custom","payload":{"parley":"resolve","reason":"order tracked"}}],
                 "nlu":{"intent":{"name":"track_order"}}}
                """);
        BotAnswer answer = bot(2000, TOKEN).answer(request("where is my parcel"));
        assertEquals(1, answer.messages().size(), "the marker is not a message");
        assertEquals("order tracked", answer.resolved());
        assertNull(answer.handoff());
    }

    @Test
    void aBareResolveMarkerGetsADefaultReasonAndOtherPayloadsDoNotResolve() {
        stub(200, "{\"responses\":[{\"type\":\"custom\",\"payload\":{\"parley\":\"resolve\"}}]}");
        assertEquals(BotAnswer.DEFAULT_RESOLVE_REASON, bot(2000, TOKEN).answer(request("bye")).resolved());
        stub(200, "{\"responses\":[{\"type\":\"custom\",\"payload\":{\"type\":\"resolve\"}},"
                + "{\"type\":\"text\",\"text\":\"ok\"}]}");
        assertNull(bot(2000, TOKEN).answer(request("bye")).resolved(), "only the parley marker resolves");
    }

    @Test
    void aHandoffAndAResolveBothReachTheRuntime() {
        stub(200, "{\"responses\":[{\"type\":\"custom\",\"payload\":{\"parley\":\"resolve\",\"reason\":\"r\"}},"
                + "{\"type\":\"custom\",\"payload\":{\"parley\":\"handoff\",\"reason\":\"h\"}}]}");
        BotAnswer answer = bot(2000, TOKEN).answer(request("x"));
        assertEquals("h", answer.handoff().reason());
        assertEquals("r", answer.resolved(), "the runtime lets the handoff win and notes the resolve");
    }

    @Test
    void theReasoningCarriesTheNluIntentAndItsConfidence() {
        stub(200, """
                {"responses":[{"type":"text","text":"Refunds take 5 days."},
                  {"type":"custom","payload":{"parley":"handoff","reason":"refund over limit"}}],
                 "nlu":{"intent":{"name":"refund","confidence":0.87},"language":"en"}}
                """);
        BotReasoning why = bot(2000, TOKEN).answer(request("money back")).reasoning();
        assertEquals("Botpress bot shop-bot", why.bot());
        assertEquals("refund", why.intent());
        assertEquals(0.87, why.confidence());
        assertEquals("Botpress bot shop-bot: handoff payload \"refund over limit\"; intent \"refund\" (confidence 0.87); "
                + "no articles; no tool calls", why.line());

        stub(200, "{\"responses\":[],\"nlu\":{\"intent\":{\"name\":\"none\",\"confidence\":0.99}}}");
        BotReasoning none = bot(2000, TOKEN).answer(request("hm")).reasoning();
        assertNull(none.intent());
        assertNull(none.confidence(), "no intent, no confidence");
    }
}
