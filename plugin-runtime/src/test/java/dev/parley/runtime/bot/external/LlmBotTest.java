package dev.parley.runtime.bot.external;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.knowledge.KnowledgeHit;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import jakarta.json.Json;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LlmBotTest {

    static final String KEY = "sk-test-abcdef0123456789";
    static final String PATH = "/v1/chat/completions";
    /** Started once per class; stubs and requests are reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    final List<String> searched = new java.util.ArrayList<>();
    final KnowledgeSearch knowledge = (query, language, max) -> {
        searched.add(query + "|" + max);
        return List.of(new KnowledgeHit("admin", "1", "en", "Delivery times", "Parcels arrive in 3-5 days.",
                "https://help.example/delivery", 3.2));
    };

    private LlmBot bot(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of(
                "parley.agent.ai.llm.url", server.baseUrl() + "/v1",
                "parley.agent.ai.llm.model", "gpt-test",
                "parley.agent.ai.llm.api-key", KEY,
                "parley.agent.ai.llm.timeout-ms", "2000",
                "parley.agent.ai.llm.topics", "delivery, returns",
                "parley.agent.ai.llm.system-prompt", "You work for Example Shop."));
        p.putAll(extra);
        return new LlmBot(LlmSettings.fromConfig("ai", TestConfig.of(p)), knowledge);
    }

    private static BotRequest request(String text) {
        return new BotRequest("ai", 9, text, false, null, List.of(
                new TranscriptLine(OffsetDateTime.now(), TranscriptLine.CUSTOMER, "Hi"),
                new TranscriptLine(OffsetDateTime.now(), TranscriptLine.BOT, "Hello! How can I help?")), null);
    }

    private static String completion(String content, String... toolCalls) {
        var message = Json.createObjectBuilder().add("role", "assistant");
        if (content == null) {
            message.addNull("content");
        } else {
            message.add("content", content);
        }
        if (toolCalls.length > 0) {
            var calls = Json.createArrayBuilder();
            int i = 0;
            for (String call : toolCalls) {
                String[] nameArgs = call.split("=", 2);
                calls.add(Json.createObjectBuilder().add("id", "call_" + i++).add("type", "function")
                        .add("function", Json.createObjectBuilder().add("name", nameArgs[0]).add("arguments", nameArgs[1])));
            }
            message.add("tool_calls", calls);
        }
        return Json.createObjectBuilder().add("id", "chatcmpl-1").add("object", "chat.completion")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("message", message).add("finish_reason", toolCalls.length > 0 ? "tool_calls" : "stop")))
                .build().toString();
    }

    private void stub(int status, String body) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void sendsSourcesHistoryAndToolsAndReadsTextAndClassification() {
        stub(200, completion("Parcels arrive in 3-5 days [1].",
                "classify={\"topic\":\"Delivery\",\"sentiment\":\"neutral\",\"language\":\"en\"}"));
        BotAnswer answer = bot(Map.of()).answer(request("When will my parcel arrive?"));

        assertEquals(List.of("When will my parcel arrive?|3"), searched);
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"model":"gpt-test",
                         "messages":[{"role":"system","content":"${json-unit.any-string}"},
                                     {"role":"user","content":"Hi"},
                                     {"role":"assistant","content":"Hello! How can I help?"},
                                     {"role":"user","content":"When will my parcel arrive?"}],
                         "tools":[{"type":"function","function":{"name":"handoff_to_human","description":"${json-unit.any-string}",
                                   "parameters":"${json-unit.ignore}"}},
                                  {"type":"function","function":{"name":"classify","description":"${json-unit.any-string}",
                                   "parameters":{"type":"object","properties":{
                                       "topic":{"type":"string","enum":["delivery","returns"],"description":"${json-unit.any-string}"},
                                       "sentiment":{"type":"string","enum":["negative","neutral","positive"],"description":"${json-unit.any-string}"},
                                       "language":{"type":"string","description":"${json-unit.any-string}"}},
                                     "required":["topic","sentiment","language"]}}},
                                  {"type":"function","function":{"name":"resolve_conversation","description":"${json-unit.any-string}",
                                   "parameters":{"type":"object","properties":{
                                       "reason":{"type":"string","description":"${json-unit.any-string}"}},
                                     "required":["reason"]}}}],
                         "tool_choice":"auto"}
                        """))
                .withRequestBody(matchingJsonPath("$.messages[0].content",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("[1] Delivery times\nParcels arrive in 3-5 days.\nURL: https://help.example/delivery")))
                .withRequestBody(matchingJsonPath("$.messages[0].content",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("You work for Example Shop."))));
        assertEquals(1, answer.messages().size());
        assertEquals("Parcels arrive in 3-5 days [1].", answer.messages().get(0).text());
        assertEquals("delivery", answer.topic());
        assertEquals("en", answer.language());
        assertNull(answer.handoff());
    }

    @Test
    void aHandoffToolCallIsTheHandoffWithTheTextBeforeIt() {
        stub(200, completion("I'm passing you to a colleague.",
                "handoff_to_human={\"reason\":\"refund request\",\"summary\":\"Wants a refund for order A-1\","
                        + "\"fields\":{\"order\":\"A-1\"}}",
                "classify={\"topic\":\"returns\",\"sentiment\":\"negative\",\"language\":\"en\"}"));
        BotAnswer answer = bot(Map.of()).answer(request("I want a refund now!"));
        assertEquals("I'm passing you to a colleague.", answer.messages().get(0).text());
        assertEquals("refund request", answer.handoff().reason());
        assertEquals("Wants a refund for order A-1", answer.handoff().summary());
        assertEquals(Sentiment.NEGATIVE, answer.handoff().sentiment(), "filled from classify");
        assertEquals("en", answer.handoff().language());
        assertEquals(Map.of("order", "A-1"), answer.handoff().fields());
        assertEquals("returns", answer.topic());
    }

    @Test
    void aHandoffWithoutTextIsEnough() {
        stub(200, completion(null, "handoff_to_human={\"reason\":\"asked for a person\",\"summary\":\"s\","
                + "\"sentiment\":\"positive\",\"language\":\"fr\"}"));
        BotAnswer answer = bot(Map.of()).answer(request("Je veux parler à quelqu'un"));
        assertTrue(answer.messages().isEmpty());
        assertEquals(Sentiment.POSITIVE, answer.handoff().sentiment());
        assertEquals("fr", answer.language());
    }

    @Test
    void onlyAClassificationAsksOnceMoreForTheText() {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("loop").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(null,
                        "classify={\"topic\":\"unknown-topic\",\"sentiment\":\"neutral\",\"language\":\"de\"}")))
                .willSetStateTo("classified"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("loop").whenScenarioStateIs("classified")
                .withRequestBody(matchingJsonPath("$.tool_choice", equalTo("none")))
                .withRequestBody(matchingJsonPath("$.messages[4].tool_calls[0].id", equalTo("call_0")))
                .withRequestBody(matchingJsonPath("$.messages[5].role", equalTo("tool")))
                .withRequestBody(matchingJsonPath("$.messages[5].tool_call_id", equalTo("call_0")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(completion("Ihr Paket kommt in 3-5 Tagen."))));
        BotAnswer answer = bot(Map.of()).answer(request("Wann kommt mein Paket?"));
        assertEquals("Ihr Paket kommt in 3-5 Tagen.", answer.messages().get(0).text());
        assertEquals("de", answer.language());
        assertNull(answer.topic(), "a topic that is not configured is dropped");
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aResolveToolCallResolvesWithTheTextBeforeIt() {
        stub(200, completion("Glad it arrived. Goodbye!",
                "resolve_conversation={\"reason\":\"the parcel arrived\"}",
                "classify={\"topic\":\"delivery\",\"sentiment\":\"positive\",\"language\":\"en\"}"));
        BotAnswer answer = bot(Map.of()).answer(request("It arrived, thanks!"));
        assertEquals("Glad it arrived. Goodbye!", answer.messages().get(0).text());
        assertEquals("the parcel arrived", answer.resolved());
        assertTrue(answer.resolves());
        assertNull(answer.handoff());
        assertEquals("delivery", answer.topic());
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
        server.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.messages[0].content",
                com.github.tomakehurst.wiremock.client.WireMock.containing("Call the tool resolve_conversation when"))));
    }

    @Test
    void aTextAnswerWithoutTheToolDoesNotResolve() {
        stub(200, completion("Parcels arrive in 3-5 days."));
        BotAnswer answer = bot(Map.of()).answer(request("When?"));
        assertNull(answer.resolved());
        assertFalse(answer.resolves());
    }

    @Test
    void aResolveWithoutTextAsksOnceForTheGoodbyeAndKeepsTheResolve() {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("bye").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(null,
                        "resolve_conversation={}")))
                .willSetStateTo("resolved"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("bye").whenScenarioStateIs("resolved")
                .withRequestBody(matchingJsonPath("$.tool_choice", equalTo("none")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(completion("Have a nice day!"))));
        BotAnswer answer = bot(Map.of()).answer(request("That's all, bye"));
        assertEquals("Have a nice day!", answer.messages().get(0).text());
        assertEquals(BotAnswer.DEFAULT_RESOLVE_REASON, answer.resolved(), "no reason given: the default");
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aResolveAlongsideAHandoffIsKeptForTheRuntimeWhichLetsTheHandoffWin() {
        stub(200, completion("A colleague will help.",
                "handoff_to_human={\"reason\":\"refund\",\"summary\":\"s\"}",
                "resolve_conversation={\"reason\":\"done\"}"));
        BotAnswer answer = bot(Map.of()).answer(request("refund please"));
        assertEquals("refund", answer.handoff().reason());
        assertEquals("done", answer.resolved(), "both reach the runtime, which records the ignored resolve");
    }

    @Test
    void azureStyleKeyHeaderAndNoKey() {
        stub(200, completion("ok"));
        bot(Map.of("parley.agent.ai.llm.api-key-header", "api-key")).answer(request("hi"));
        server.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("api-key", equalTo(KEY))
                .withHeader("Authorization", absent()));

        server.resetRequests();
        LlmBot ollama = new LlmBot(LlmSettings.fromConfig("o", TestConfig.of(Map.of(
                "parley.agent.o.llm.url", server.baseUrl() + "/v1/", "parley.agent.o.llm.model", "llama3"))), null);
        assertEquals("ok", ollama.answer(request("hi")).messages().get(0).text());
        server.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.tools[1].function.parameters.required[0]", equalTo("sentiment"))));
    }

    @Test
    void providerErrorMessageIsQuotedWithoutTheKey() {
        stub(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\"}}");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().contains("HTTP 401") && f.getMessage().contains("Incorrect API key provided"), f.getMessage());
        assertFalse(f.getMessage().contains(KEY), f.getMessage());
        for (Throwable t = f.getCause(); t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(KEY));
        }
    }

    @Test
    void serverErrorIsAFailure() {
        stub(500, "{\"error\":{\"message\":\"The server had an error\"}}");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().contains("HTTP 500: The server had an error"), f.getMessage());
        assertFalse(f.getMessage().contains(KEY));
    }

    @Test
    void slowAnswerIsATimeout() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFixedDelay(1500).withBody(completion("late"))));
        BotFailure f = assertThrows(BotFailure.class, () -> bot(Map.of("parley.agent.ai.llm.timeout-ms", "300"))
                .answer(request("hi")));
        assertTrue(f.getMessage().contains("timed out after 300 ms"), f.getMessage());
        assertFalse(f.getMessage().contains(KEY));
    }

    @Test
    void garbageAndEmptyChoicesAreBadAnswers() {
        stub(200, "<html>gateway</html>");
        BotFailure f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().startsWith("bad answer"), f.getMessage());

        stub(200, "{\"choices\":[]}");
        f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().contains("no choices"), f.getMessage());

        stub(200, completion(null, "handoff_to_human={not json"));
        f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().contains("tool arguments"), f.getMessage());

        stub(200, completion("   "));
        f = assertThrows(BotFailure.class, () -> bot(Map.of()).answer(request("hi")));
        assertTrue(f.getMessage().contains("neither text nor a handoff"), f.getMessage());
        assertFalse(f.getMessage().contains(KEY));
    }

    @Test
    void settingsDefaultsErrorsAndMaskedKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LlmSettings.fromConfig("ai",
                TestConfig.of(Map.of("parley.agent.ai.llm.url", "https://api.openai.com/v1"))));
        assertTrue(e.getMessage().contains("parley.agent.ai.llm.model"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> LlmSettings.fromConfig("ai", TestConfig.of(Map.of(
                "parley.agent.ai.llm.url", "https://api.openai.com/v1", "parley.agent.ai.llm.model", "m",
                "parley.agent.ai.llm.timeout-ms", "soon"))));
        assertTrue(e.getMessage().contains("parley.agent.ai.llm.timeout-ms"), e.getMessage());
        LlmSettings s = LlmSettings.fromConfig("ai", TestConfig.of(Map.of(
                "parley.agent.ai.llm.url", "https://api.openai.com/v1/", "parley.agent.ai.llm.model", "m",
                "parley.agent.ai.llm.api-key", KEY)));
        assertEquals("https://api.openai.com/v1", s.url().toString());
        assertEquals(LlmSettings.DEFAULT_TIMEOUT_MS, s.timeout().toMillis());
        assertEquals(LlmSettings.DEFAULT_MAX_ARTICLES, s.maxArticles());
        assertEquals("Authorization", s.apiKeyHeader());
        assertEquals(List.of(), s.topics());
        assertFalse(s.toString().contains(KEY));
    }

    @Test
    void theReasoningNamesTheModelTheSourcesItCitedAndEveryToolCall() {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("why").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(null,
                        "classify={\"topic\":\"Delivery\",\"sentiment\":\"neutral\",\"language\":\"en\"}")))
                .willSetStateTo("classified"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("why").whenScenarioStateIs("classified")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(completion("Parcels arrive in 3-5 days [1]."))));
        BotReasoning why = bot(Map.of()).answer(request("When will my parcel arrive?")).reasoning();
        assertEquals("LLM model gpt-test", why.bot());
        assertEquals("Delivery", why.intent(), "the topic as the model classified it");
        assertNull(why.confidence(), "a model reports none");
        assertEquals(List.of(new BotReasoning.Article("admin", "1", "Delivery times", true)), why.articles());
        assertEquals(List.of(new BotReasoning.ToolCall("classify",
                "{\"topic\":\"Delivery\",\"sentiment\":\"neutral\",\"language\":\"en\"}")), why.toolCalls());
        assertFalse(why.line().contains(KEY));
    }

    @Test
    void aHandoffCallShowsInTheReasoningAndAnUncitedSourceIsSaidSo() {
        stub(200, completion("A colleague will take over.",
                "handoff_to_human={\"reason\":\"customer is angry\",\"summary\":\"s\"}"));
        BotReasoning why = bot(Map.of()).answer(request("This is useless")).reasoning();
        assertEquals(List.of(new BotReasoning.Article("admin", "1", "Delivery times", false)), why.articles());
        assertEquals("LLM model gpt-test: no intent; articles: admin 1 \"Delivery times\" (not cited); "
                + "tool calls: handoff_to_human {\"reason\":\"customer is angry\",\"summary\":\"s\"}", why.line());
    }
}
