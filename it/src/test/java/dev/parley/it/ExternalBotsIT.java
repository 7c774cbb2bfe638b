package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rasa, Botpress and an OpenAI-compatible model behind the bot gateway, stood in by WireMock. */
@ExtendWith(SharedParleyExtension.class)
class ExternalBotsIT {

    private WireMockServer wm;
    private Http admin;

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        this.admin = admin;
        SharedParley.resetWireMock();
        HandoffIT.deskAccepts(wm);
        for (String c : new String[] {"rasa", "bp", "llm", "desk"}) {
            InfobipSmsIT.awaitRunning(admin, c);
        }
    }

    @Test
    void rasaAnswersWithButtonsAndItsHandoffPayloadOpensATicket() {
        Conversations rasa = new Conversations("rasa");
        String me = "447911123301";
        wm.stubFor(post(urlPathEqualTo("/rasa/webhooks/rest/webhook"))
                .withRequestBody(matchingJsonPath("$.message", equalTo("hello")))
                .willReturn(okJson("[{\"recipient_id\":\"x\",\"text\":\"Hi! Pick one:\",\"buttons\":[{\"title\":\"Billing\",\"payload\":\"/billing\"}]}]")));
        wm.stubFor(post(urlPathEqualTo("/rasa/webhooks/rest/webhook"))
                .withRequestBody(matchingJsonPath("$.message", equalTo("my invoice is wrong and I am angry")))
                .willReturn(okJson("[{\"recipient_id\":\"x\",\"text\":\"Let me get a colleague.\"},"
                        + "{\"recipient_id\":\"x\",\"custom\":{\"parley\":\"handoff\",\"reason\":\"billing dispute\","
                        + "\"summary\":\"Invoice 42 is wrong\",\"sentiment\":\"negative\",\"language\":\"en\",\"fields\":{\"invoice\":\"42\"}}}]")));

        wm.stubFor(get(urlPathMatching("/rasa/conversations/parley-\\d+/tracker")).willReturn(okJson(
                "{\"latest_message\":{\"text\":\"hello\",\"intent\":{\"name\":\"greet\",\"confidence\":0.97}}}")));
        rasa.customerWrites(me, "hello");
        assertEquals("Hi! Pick one:\n1) Billing", rasa.awaitTexts(me, 1).get(0));
        LoggedRequest asked = wm.findAll(postRequestedFor(urlPathEqualTo("/rasa/webhooks/rest/webhook"))).get(0);
        long sessionId = rasa.latestSession(me).orElseThrow();
        assertEquals("parley-" + sessionId, HandoffIT.json(asked).getString("sender"));

        rasa.customerWrites(me, "my invoice is wrong and I am angry");
        JsonObject ticket = HandoffIT.json(Await.value(SharedParley.PATIENCE,
                () -> HandoffIT.tickets(wm, "+" + me).stream().findFirst().orElse(null), "ticket"));
        assertEquals("billing dispute", ticket.getString("reason"));
        assertEquals("Invoice 42 is wrong", ticket.getString("summary"));
        assertEquals("negative", ticket.getString("sentiment"));
        assertEquals("42", ticket.getJsonObject("fields").getString("invoice"));
        assertEquals("Let me get a colleague.", rasa.awaitTexts(me, 2).get(1));
        // Why: the intent Rasa's tracker reported, and the handoff payload.
        List<String> why = Conversations.timelineDetails(rasa.session(me), "BOT_REASONING");
        assertEquals(2, why.size(), why.toString());
        assertTrue(why.get(0).matches("Rasa at [^:]+:\\d+: intent \"greet\" \\(confidence 0\\.97\\); no articles; no tool calls"),
                why.get(0));
        assertTrue(why.get(1).contains(": handoff payload \"billing dispute\"; intent \"greet\" (confidence 0.97)"), why.get(1));
    }

    @Test
    void aFailingBotNeverLeavesTheCustomerInSilence() {
        Conversations rasa = new Conversations("rasa");
        String me = "447911123302";
        wm.stubFor(post(urlPathEqualTo("/rasa/webhooks/rest/webhook")).willReturn(aResponse().withStatus(500)));
        rasa.customerWrites(me, "hello?");
        assertEquals("Sorry, something went wrong on our side.", rasa.awaitTexts(me, 1).get(0));
        JsonObject ticket = HandoffIT.json(Await.value(SharedParley.PATIENCE,
                () -> HandoffIT.tickets(wm, "+" + me).stream().findFirst().orElse(null), "handed off after the failure"));
        assertTrue(ticket.getString("reason").startsWith("bot failed: "), ticket.getString("reason"));
        assertTrue(ticket.getString("reason").contains("500"), ticket.getString("reason"));
        assertTrue(Conversations.timelineKinds(rasa.session(me)).contains("BOT_ERROR"));

        // A bot that times out is a failure too.
        String late = "447911123303";
        wm.stubFor(post(urlPathEqualTo("/rasa/webhooks/rest/webhook")).withRequestBody(matchingJsonPath("$.message", equalTo("slow")))
                .atPriority(1).willReturn(okJson("[]").withFixedDelay(4000)));
        rasa.customerWrites(late, "slow");
        assertEquals("Sorry, something went wrong on our side.", rasa.awaitTexts(late, 1).get(0));
        assertTrue(Conversations.timelineEntry(rasa.session(late), "BOT_ERROR").orElseThrow().getString("detail").contains("timed out"));
    }

    @Test
    void botpressChoicesBecomeNumberedOptions() {
        Conversations bp = new Conversations("bp");
        String me = "447911123304";
        wm.stubFor(post(urlPathMatching("/botpress/api/v1/bots/acme/converse/parley-\\d+"))
                .willReturn(okJson("{\"responses\":[{\"type\":\"single-choice\",\"text\":\"Which product?\","
                        + "\"choices\":[{\"title\":\"Phone\",\"value\":\"phone\"},{\"title\":\"Laptop\",\"value\":\"laptop\"}]}]}")));
        bp.customerWrites(me, "I need help");
        assertEquals("Which product?\n1) Phone\n2) Laptop", bp.awaitTexts(me, 1).get(0));
        LoggedRequest r = wm.findAll(postRequestedFor(urlPathMatching("/botpress/.*"))).get(0);
        assertEquals("I need help", HandoffIT.json(r).getString("text"));
    }

    @Test
    void aTopicSetToEscalateHandsOffInsteadOfAnswering() {
        Conversations bp = new Conversations("bp");
        String me = "447911123307";
        wm.stubFor(post(urlPathMatching("/botpress/api/v1/bots/acme/converse/parley-\\d+"))
                .willReturn(okJson("{\"responses\":[{\"type\":\"text\",\"text\":\"Refunds take 5 days.\"}],"
                        + "\"nlu\":{\"intent\":{\"name\":\"refund\",\"confidence\":0.9},\"language\":\"en\"}}")));
        bp.customerWrites(me, "I want my money back for order 77");
        JsonObject ticket = HandoffIT.json(Await.value(SharedParley.PATIENCE,
                () -> HandoffIT.tickets(wm, "+" + me).stream().findFirst().orElse(null), "escalated"));
        assertEquals("topic 'refund' is set to escalate", ticket.getString("reason"));
        assertTrue(bp.awaitTexts(me, 1).get(0).contains("a member of our team will reply here"));
        assertFalse(bp.textsTo(me).contains("Refunds take 5 days."), "an escalated topic is not answered by the bot");
        assertTrue(Conversations.timelineKinds(bp.session(me)).contains("TOPIC_ESCALATED"));
        assertEquals(List.of("Botpress bot acme: intent \"refund\" (confidence 0.90); no articles; no tool calls"),
                Conversations.timelineDetails(bp.session(me), "BOT_REASONING"));
    }

    @Test
    void theModelAnswersFromKnowledgeAndHandsOffWithItsSummaryWithoutLeakingTheKey() {
        Conversations llm = new Conversations("llm");
        admin.putJson("/api/knowledge/articles/admin/returns", "{\"title\":\"Return policy\",\"body\":\"You can return "
                + "any item within 30 days for a full refund.\",\"locale\":\"en\",\"url\":\"https://help.example/returns\"}").expect(204);
        wm.stubFor(post(urlPathEqualTo("/llm/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer sk-it-very-secret"))
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo("can I return my shoes?")))
                .willReturn(okJson("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Yes, within 30 days [1].\"}}]}")));
        wm.stubFor(post(urlPathEqualTo("/llm/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo("this is useless, get me a person")))
                .willReturn(okJson("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"handoff_to_human\",\"arguments\":\"{\\\"reason\\\":\\\"customer is "
                        + "frustrated\\\",\\\"summary\\\":\\\"Wants to return shoes\\\",\\\"sentiment\\\":\\\"negative\\\",\\\"language\\\":\\\"en\\\"}\"}}]}}]}")));
        String me = "447911123305";
        llm.customerWrites(me, "can I return my shoes?");
        assertEquals("Yes, within 30 days [1].", llm.awaitTexts(me, 1).get(0));
        LoggedRequest asked = wm.findAll(postRequestedFor(urlPathEqualTo("/llm/v1/chat/completions"))).get(0);
        String system = HandoffIT.json(asked).getJsonArray("messages").getJsonObject(0).getString("content");
        assertTrue(system.contains("Return policy"), "the retrieved article is in the prompt: " + system);

        llm.customerWrites(me, "this is useless, get me a person");
        JsonObject ticket = HandoffIT.json(Await.value(SharedParley.PATIENCE,
                () -> HandoffIT.tickets(wm, "+" + me).stream().findFirst().orElse(null), "ticket"));
        assertEquals("customer is frustrated", ticket.getString("reason"));
        assertEquals("Wants to return shoes", ticket.getString("summary"));
        assertEquals("negative", ticket.getString("sentiment"));
        // Why: the model, the article it was given and cited, then its handoff call with its arguments.
        List<String> why = Conversations.timelineDetails(llm.session(me), "BOT_REASONING");
        assertEquals(2, why.size(), why.toString());
        // Other tests' articles may be given too (the server is shared): only this one is certain.
        assertTrue(why.get(0).startsWith("LLM model gpt-it: no intent; articles: "), why.get(0));
        assertTrue(why.get(0).contains("admin returns \"Return policy\" (cited)"), why.get(0));
        assertTrue(why.get(0).endsWith("; no tool calls"), why.get(0));
        assertTrue(why.get(1).startsWith("LLM model gpt-it: no intent; "), why.get(1));
        assertTrue(why.get(1).endsWith("tool calls: handoff_to_human {\"reason\":\"customer is frustrated\",\"summary\":"
                + "\"Wants to return shoes\",\"sentiment\":\"negative\",\"language\":\"en\"}"), why.get(1));

        // A refused key: the failure is recorded, the key never is.
        String other = "447911123306";
        wm.stubFor(post(urlPathEqualTo("/llm/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo("hi there")))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-it-very-secret\"}}")));
        llm.customerWrites(other, "hi there");
        llm.awaitTexts(other, 1);
        String session = admin.get("/api/sessions/" + llm.latestSession(other).orElseThrow()).body();
        assertTrue(session.contains("401"), session);
        assertFalse(session.contains("sk-it-very-secret"), "the API key never reaches the timeline");
    }
}
