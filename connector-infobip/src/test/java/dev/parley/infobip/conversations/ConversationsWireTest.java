package dev.parley.infobip.conversations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.util.Jsons;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Conversations and Subscriptions calls over the wire (a real MicroProfile REST Client against a WireMock stand-in):
 * each call's exact path, headers and body, each request checked against Infobip's published specs; the closed
 * conversation's 400 told apart from other 400s.
 */
class ConversationsWireTest {

    static final InfobipSpecValidator SPEC = new InfobipSpecValidator();

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(SPEC)).build();

    private static final String KEY = "sk-test-key-123456";
    private static final String APP = "App " + KEY;
    private static final String CONVERSATION = "1ddece93-041f-42ac-8e25-d05801dfe358";
    private static final String AI = "c856e230-a8cd-498b-9996-42bbed35029a";
    private static final String CLOSED = """
            {"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Closed conversation cannot be changed"}}}""";

    private final FakeContext ctx = FakeContext.against(infobip.baseUrl());
    private final InfobipClient client = InfobipClient.of(ctx, InfobipAccess.from(ctx), "hook-secret-pw");
    private final ConversationsApi api = client.proxy(ConversationsApi.class);
    private final SubscriptionsApi subscriptions = client.proxy(SubscriptionsApi.class);

    @AfterEach
    void requestsFollowInfobipsSpec() {
        SPEC.assertNoViolations();
    }

    private void answer(int status, String body) {
        infobip.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void readsHaveTheirPaths() {
        answer(200, "{}");
        assertTrue(client.read(api, (a, auth) -> a.conversation(auth, CONVERSATION)).ok());
        assertTrue(client.read(api, (a, auth) -> a.conversations(auth, 1)).ok());
        assertTrue(client.read(api, (a, auth) -> a.tags(auth)).ok());
        assertTrue(client.read(api, (a, auth) -> a.agent(auth, AI)).ok());
        for (String url : List.of("/ccaas/1/conversations/" + CONVERSATION, "/ccaas/1/conversations?limit=1",
                "/ccaas/1/tags", "/ccaas/1/agents/" + AI)) {
            infobip.verify(1, getRequestedFor(urlEqualTo(url)).withHeader("Authorization", equalTo(APP)));
        }
    }

    @Test
    void theReplyGoesWithTheAgentsIdAndTheRouteOfTheLastInboundMessage() {
        answer(200, "{}");
        // the customer's last message came from 44776333666 to our WhatsApp sender 447492263897
        var route = ConversationsRequests.ReplyRoute.back("WHATSAPP", "44776333666", "447492263897");
        String body = ConversationsRequests.reply(route, "Your order ships today.").toString();
        client.write(api, (a, auth) -> a.postMessage(auth, AI, CONVERSATION, body));
        infobip.verify(1, postRequestedFor(urlEqualTo("/ccaas/1/conversations/" + CONVERSATION + "/messages"))
                .withHeader("Authorization", equalTo(APP))
                .withHeader("x-agent-id", equalTo(AI))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"channel":"WHATSAPP","from":"447492263897","to":"44776333666","contentType":"TEXT",
                         "content":{"text":"Your order ships today."}}""")));
    }

    @Test
    void updatesAssignmentsAndRoutingHaveTheirBodies() {
        answer(200, "{}");
        String c = "/ccaas/1/conversations/" + CONVERSATION;
        client.write(api, (a, auth) -> a.update(auth, CONVERSATION, ConversationsRequests.status("CLOSED").toString()));
        client.write(api, (a, auth) -> a.update(auth, CONVERSATION, ConversationsRequests.status("SOLVED").toString()));
        client.write(api, (a, auth) -> a.update(auth, CONVERSATION, ConversationsRequests.queue("6f2e6c5a-e4ca-48c6-bc0a-d9c18479743a").toString()));
        client.write(api, (a, auth) -> a.assign(auth, CONVERSATION, ConversationsRequests.assignee(AI).toString()));
        client.write(api, (a, auth) -> a.unassign(auth, CONVERSATION));
        client.write(api, (a, auth) -> a.route(auth, CONVERSATION));
        infobip.verify(patchRequestedFor(urlEqualTo(c)).withRequestBody(equalToJson("{\"status\":\"CLOSED\"}")));
        infobip.verify(patchRequestedFor(urlEqualTo(c)).withRequestBody(equalToJson("{\"status\":\"SOLVED\"}")));
        infobip.verify(patchRequestedFor(urlEqualTo(c)).withRequestBody(equalToJson("{\"queueId\":\"6f2e6c5a-e4ca-48c6-bc0a-d9c18479743a\"}")));
        infobip.verify(putRequestedFor(urlEqualTo(c + "/assignee")).withRequestBody(equalToJson("{\"agentId\":\"" + AI + "\"}")));
        infobip.verify(deleteRequestedFor(urlEqualTo(c + "/assignee")).withHeader("Authorization", equalTo(APP)));
        infobip.verify(postRequestedFor(urlEqualTo(c + "/route")).withHeader("Authorization", equalTo(APP)));
        for (LoggedRequest r : infobip.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()))) {
            assertEquals(APP, r.getHeader("Authorization"), r.getUrl());
            assertFalse(r.containsHeader("x-agent-id"), "only messages carry the agent");
        }
    }

    @Test
    void tagsAreCreatedThenAddedUnderTheirSanitizedName() {
        answer(200, "{}");
        String name = ConversationsRequests.tagName("handled by AI!");
        assertEquals("handled_by_AI_", name);
        client.write(api, (a, auth) -> a.createTag(auth, ConversationsRequests.newTag(name).toString()));
        client.write(api, (a, auth) -> a.addTag(auth, CONVERSATION, ConversationsRequests.tag(name).toString()));
        infobip.verify(postRequestedFor(urlEqualTo("/ccaas/1/tags")).withRequestBody(equalToJson("{\"name\":\"handled_by_AI_\"}")));
        infobip.verify(postRequestedFor(urlEqualTo("/ccaas/1/conversations/" + CONVERSATION + "/tags"))
                .withRequestBody(equalToJson("{\"tagName\":\"handled_by_AI_\"}")));
    }

    @Test
    void theNoteIsInternalByTheAiAgentAndCutAt4000() {
        answer(200, "{}");
        String summary = "Summary: customer wants a refund.\n" + "x".repeat(4000) + "tail";
        client.write(api, (a, auth) -> a.addNote(auth, CONVERSATION, ConversationsRequests.note(AI, summary).toString()));
        LoggedRequest r = infobip.findAll(postRequestedFor(urlEqualTo("/ccaas/1/conversations/" + CONVERSATION + "/notes"))).get(0);
        var sent = Jsons.parse(r.getBodyAsString()).asJsonObject();
        assertEquals("INTERNAL", sent.getString("type"));
        assertEquals(AI, sent.getString("agentId"));
        String content = sent.getJsonObject("content").getString("text");
        assertEquals(4000, content.length());
        assertTrue(content.startsWith("Summary: customer wants a refund.\n"));
        String kept = content.substring(0, content.lastIndexOf("\n[cut: "));
        assertTrue(summary.startsWith(kept));
        assertEquals(kept + "\n[cut: " + (summary.length() - kept.length()) + " characters]", content);
        // The spec's schema types a note's content as an object and its "Text note." example sends a string: Parley
        // sends the object ({"text": ...}, the shape of its attachment example), which the validator accepts.
        assertEquals(List.of(), SPEC.violations());
        String plain = ConversationsRequests.noteAsString(AI, summary).toString();
        client.write(api, (a, auth) -> a.addNote(auth, CONVERSATION, plain));
        List<String> found = SPEC.violations();
        SPEC.clear();
        assertEquals(1, found.size(), String.valueOf(found)); // the fallback form: the schema's one objection
        assertTrue(found.get(0).contains("/content") && found.get(0).contains("string"), found.get(0));
    }

    @Test
    void theSubscriptionIsListedCreatedAndDeletedByItsParleyId() {
        answer(200, "{}");
        String body = ConversationsRequests.subscription("conv1", URI.create("https://parley.example/channel/conv1/webhook/events"),
                "infobip", "hook-secret-pw").toString();
        client.read(subscriptions, (s, auth) -> s.subscriptions(auth, SubscriptionsApi.CUSTOMER_ENGAGEMENT, 0, 100));
        client.write(subscriptions, (s, auth) -> s.create(auth, SubscriptionsApi.CUSTOMER_ENGAGEMENT, body));
        client.write(subscriptions, (s, auth) -> s.delete(auth, SubscriptionsApi.CUSTOMER_ENGAGEMENT, "parley-conv1"));
        String base = "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT";
        infobip.verify(getRequestedFor(urlEqualTo(base + "?page=0&size=100")).withHeader("Authorization", equalTo(APP)));
        infobip.verify(postRequestedFor(urlEqualTo(base)).withHeader("Authorization", equalTo(APP)).withRequestBody(equalToJson("""
                {"subscriptionId":"parley-conv1","name":"parley-conv1",
                 "events":["CONVERSATION_CREATED","CONVERSATION_MESSAGE_RECEIVED","CONVERSATION_STATUS_UPDATED","CONVERSATION_ASSIGNMENT_UPDATED"],
                 "profile":{"profileId":"parley-conv1","webhook":{"notifyUrl":"https://parley.example/channel/conv1/webhook/events"},
                            "security":{"authId":"parley-conv1","type":"BASIC","credentials":{"username":"infobip","password":"hook-secret-pw"}}}}""")));
        infobip.verify(deleteRequestedFor(urlEqualTo(base + "/parley-conv1")).withHeader("Authorization", equalTo(APP)));
        // The spec's SubscriptionRequest is a oneOf of 22 channel schemas, two of them identical (Customer Engagement and
        // AGENT_OS); the trimmed copy keeps one of each identical pair (see its README), so the body matches exactly one.
        assertEquals(List.of(), SPEC.violations());
        String misspelt = body.replace("\"notifyUrl\"", "\"notifyURL\"");
        client.write(subscriptions, (s, auth) -> s.create(auth, SubscriptionsApi.CUSTOMER_ENGAGEMENT, misspelt));
        List<String> found = SPEC.violations();
        SPEC.clear();
        assertTrue(found.size() == 1 && found.get(0).contains("(matched 0 out of 19)"), String.valueOf(found));
    }

    @Test
    void aClosedConversationIsToldApartFromOtherBadRequests() {
        infobip.stubFor(put(urlEqualTo("/ccaas/1/conversations/" + CONVERSATION + "/assignee"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(CLOSED)));
        InfobipResponse closed = client.write(api, (a, auth) -> a.assign(auth, CONVERSATION, ConversationsRequests.assignee(AI).toString()));
        assertTrue(ConversationsErrors.closed(closed));
        ConnectorException e = ConversationsErrors.failure(client, "assigning conversation " + CONVERSATION, closed);
        assertInstanceOf(PermanentException.class, e);
        assertTrue(e.getMessage().startsWith("the conversation is closed at Infobip"), e.getMessage());
        assertTrue(e.getMessage().contains("Closed conversation cannot be changed"), e.getMessage());

        for (String other : List.of(
                "{\"requestError\":{\"serviceException\":{\"messageId\":\"BAD_REQUEST\",\"text\":\"Invalid request body.\"}}}",
                "{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Invalid id 'x' given! No such entity exists.\"}}}")) {
            answer(400, other);
            InfobipResponse r = client.write(api, (a, auth) -> a.assign(auth, CONVERSATION, ConversationsRequests.assignee(AI).toString()));
            assertFalse(ConversationsErrors.closed(r), other);
            e = ConversationsErrors.failure(client, "assigning conversation " + CONVERSATION, r);
            assertTrue(e.getMessage().startsWith("Infobip refused assigning"), e.getMessage());
        }
        // the same text with another status is not the closed conversation
        answer(500, CLOSED);
        assertFalse(ConversationsErrors.closed(client.write(api, (a, auth) -> a.route(auth, CONVERSATION))));
        infobip.verify(putRequestedFor(urlEqualTo("/ccaas/1/conversations/" + CONVERSATION + "/assignee"))
                .withHeader("x-agent-id", absent()));
    }
}
