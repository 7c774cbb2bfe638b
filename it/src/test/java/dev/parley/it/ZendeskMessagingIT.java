package dev.parley.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messaging handoff: an SMS conversation handed to Zendesk's agent workspace through Sunshine Conversations
 * (WireMock), the rep's replies back on SMS, release of control ending the handoff; and the fallback to a
 * ticket when messaging is not active.
 */
@ExtendWith(SharedParleyExtension.class)
class ZendeskMessagingIT {

    private static final String SC = "/zsc/v2/apps/app-it-1";
    private static final String SC_AUTH = "Basic " + java.util.Base64.getEncoder().encodeToString("app_it_key:sc-it-key-secret".getBytes());
    private WireMockServer wm;

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        SharedParley.resetWireMock();
        for (String c : new String[] {"zmsms", "zmsg", "zm2sms", "zmsg2"}) {
            InfobipSmsIT.awaitRunning(admin, c);
        }
        wm.stubFor(post(urlPathEqualTo("/zrasa/webhooks/rest/webhook"))
                .willReturn(okJson("[{\"recipient_id\":\"x\",\"text\":\"Passing you on.\"},"
                        + "{\"recipient_id\":\"x\",\"custom\":{\"parley\":\"handoff\",\"reason\":\"wants a person\","
                        + "\"fields\":{\"order_number\":\"B-9\"}}}]")));
        wm.stubFor(post(urlPathEqualTo(ZendeskIT.ZD + "/users/create_or_update")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"user\":{\"id\":556,\"role\":\"end-user\"}}")));
        wm.stubFor(post(urlPathEqualTo(SC + "/users")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"user\":{\"id\":\"scu1\",\"externalId\":\"x\"}}")));
        wm.stubFor(post(urlPathEqualTo(SC + "/conversations")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"conversation\":{\"id\":\"conv-it-1\",\"type\":\"personal\"}}")));
        wm.stubFor(post(urlPathEqualTo(SC + "/conversations/conv-it-1/messages")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"messages\":[{\"id\":\"msg-1\"}]}")));
        wm.stubFor(post(urlPathEqualTo(SC + "/conversations/conv-it-1/passControl")).willReturn(okJson("{}")));
    }

    @Test
    void aMessagingHandoffReachesTheAgentWorkspaceAndTheRepsRepliesComeBack() {
        Conversations sms = new Conversations("zmsms");
        String me = "447911123601";
        sms.customerWrites(me, "I want a person please");
        LoggedRequest pass = Await.value(SharedParley.PATIENCE, () -> wm.findAll(postRequestedFor(
                urlPathEqualTo(SC + "/conversations/conv-it-1/passControl"))).stream().findFirst().orElse(null), "pass control");
        assertEquals(SC_AUTH, pass.getHeader("Authorization"));
        JsonObject body = HandoffIT.json(pass);
        assertEquals("zd:agentWorkspace", body.getString("switchboardIntegration"));
        assertTrue(wm.findAll(postRequestedFor(urlPathEqualTo(SC + "/conversations/conv-it-1/messages"))
                .withRequestBody(containing("I want a person please"))).size() >= 1, "the history is posted for the agent");
        assertTrue(wm.findAll(postRequestedFor(urlPathEqualTo(SC + "/users"))
                .withRequestBody(matchingJsonPath("$.externalId", containing(me)))).size() >= 1, "one user per phone number");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(sms.session(me)).contains("HANDOFF_OPENED"), "opened");

        Http.Response refused = sunshine("wrong-key", event("e0", "conversation:message", "business", "zd:agentWorkspace", "nope"));
        assertEquals(401, refused.status());

        sunshine("sc-it-hook-secret", "{\"app\":{\"id\":\"app-it-1\"},\"webhook\":{\"id\":\"w\",\"version\":\"v2\"},\"events\":["
                + eventItem("e1", "conversation:message", "user", "sms", "customer echo") + ","
                + eventItem("e2", "conversation:message", "business", "api:conversations", "our own echo") + ","
                + eventItem("e3", "conversation:message", "business", "zd:agentWorkspace", "Hi, Dana here. Order B-9 ships today.")
                + "]}").expect(200);
        Await.until(SharedParley.PATIENCE, () -> sms.textsTo(me).contains("Hi, Dana here. Order B-9 ships today."), "rep reply");
        ZendeskIT.sleep(1000);
        List<String> texts = sms.textsTo(me);
        assertFalse(texts.contains("customer echo") || texts.contains("our own echo"), texts.toString());

        sunshine("sc-it-hook-secret", event("e4", "switchboard:releaseControl", null, null, null)).expect(200);
        Await.until(SharedParley.PATIENCE, () -> "RESOLVED".equals(sms.session(me).getJsonObject("session").getString("state")), "released");
    }

    @Test
    void withoutMessagingTheHandoffFallsBackToATicketAndTheTimelineSaysWhy() {
        Conversations sms = new Conversations("zm2sms");
        String me = "447911123602";
        wm.stubFor(post(urlPathEqualTo(ZendeskIT.ZD + "/tickets")).withHeader("Authorization", equalTo(SharedParley.zendeskAuth()))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"ticket\":{\"id\":8301,\"status\":\"new\"}}")));
        sms.customerWrites(me, "I want a person, I am ann@example.com");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(sms.session(me)).contains("HANDOFF_OPENED"), "opened");
        String detail = String.valueOf(Conversations.timelineEntry(sms.session(me), "HANDOFF_OPENED").orElseThrow());
        assertTrue(detail.contains("fell back"), detail);
        assertTrue(wm.findAll(postRequestedFor(urlPathEqualTo("/zsc/v2/apps/app-it-2/conversations"))).isEmpty());
    }

    private static String event(String id, String type, String author, String source, String text) {
        return "{\"app\":{\"id\":\"app-it-1\"},\"webhook\":{\"id\":\"w\",\"version\":\"v2\"},\"events\":["
                + eventItem(id, type, author, source, text) + "]}";
    }

    private static String eventItem(String id, String type, String author, String source, String text) {
        String conversation = "\"conversation\":{\"id\":\"conv-it-1\",\"type\":\"personal\"}";
        String payload = author == null ? "{" + conversation + "}"
                : "{" + conversation + ",\"message\":{\"id\":\"m-" + id + "\",\"author\":{\"type\":\"" + author
                + "\",\"displayName\":\"Dana\"},\"content\":{\"type\":\"text\",\"text\":\"" + text + "\"},"
                + "\"source\":{\"type\":\"" + source + "\"}}}";
        return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-21T10:00:00.000Z\",\"type\":\"" + type + "\",\"payload\":" + payload + "}";
    }

    private static Http.Response sunshine(String apiKey, String json) {
        return SharedParley.anonymous().post("/channel/zmsg/webhook/messaging", json, "application/json", Map.of("X-API-Key", apiKey));
    }
}
