package dev.parley.zendesk.assist;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.AssistDesk.AssistTicket;
import dev.parley.spi.PermanentException;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.RateLimiter;
import dev.parley.zendesk.http.ZendeskApi;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.messaging.MessagingTestContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TicketAssistTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("bot@acme.com/token:zd-token-SECRET-123".getBytes());

    private MessagingTestContext ctx;

    private TicketAssist assist() {
        ctx = MessagingTestContext.zendesk(zendesk.baseUrl());
        ZendeskSettings settings = ZendeskSettings.from(ctx);
        ZendeskApi api = ctx.restClients().create(ZendeskApi.class, URI.create(zendesk.baseUrl()));
        return new TicketAssist(new ZendeskClient(api, settings.authorization(),
                new RateLimiter(100, Duration.ofMinutes(1)), 0, d -> { }, ctx.clock()), settings, ctx);
    }

    private void json(String url, int status, String body) {
        zendesk.stubFor(get(urlEqualTo(url)).withHeader("Authorization", equalTo(AUTH))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void readsTheTicketAndTheRequestersNewestPublicComment() {
        json("/api/v2/tickets/42", 200, """
                {"ticket":{"id":42,"status":"Open","requester_id":900,"external_id":null,"tags":["vip","billing"],
                  "subject":"Where is my order?"}}
                """);
        json("/api/v2/tickets/42/comments?sort_order=desc", 200, """
                {"comments":[
                  {"id":5,"type":"Comment","author_id":900,"body":"private by requester?","public":false},
                  {"id":4,"type":"Comment","author_id":77,"body":"Agent answer","public":true},
                  {"id":3,"type":"Comment","author_id":900,"body":"<p>Any news?</p>","plain_body":"Any news?","public":true},
                  {"id":2,"type":"Comment","author_id":900,"body":"First question","public":true}],
                 "next_page":null}
                """);
        AssistTicket t = assist().ticket("42").orElseThrow();
        assertEquals(new AssistTicket("42", "open", Set.of("vip", "billing"), false, "3", "Any news?",
                "Where is my order?"), t);
    }

    @Test
    void aTicketParleyHandedOffIsMarkedAndABodyWithoutPlainBodyIsUsed() {
        json("/api/v2/tickets/43", 200, """
                {"ticket":{"id":43,"status":"new","requester_id":901,"tags":["parley_handed_off"],"subject":"S"}}
                """);
        json("/api/v2/tickets/43/comments?sort_order=desc", 200, """
                {"comments":[{"id":9,"author_id":901,"body":"Hello","public":true}]}
                """);
        AssistTicket t = assist().ticket("43").orElseThrow();
        assertTrue(t.createdByParley());
        assertEquals("9", t.commentId());
        assertEquals("Hello", t.question());
    }

    @Test
    void noRequesterCommentGivesNullQuestion() {
        json("/api/v2/tickets/44", 200, "{\"ticket\":{\"id\":44,\"status\":\"pending\",\"requester_id\":1,\"tags\":[]}}");
        json("/api/v2/tickets/44/comments?sort_order=desc", 200,
                "{\"comments\":[{\"id\":1,\"author_id\":2,\"body\":\"agent\",\"public\":true}]}");
        AssistTicket t = assist().ticket("44").orElseThrow();
        assertNull(t.commentId());
        assertNull(t.question());
        assertEquals("pending", t.status());
    }

    @Test
    void aDeletedTicketIsEmpty() {
        json("/api/v2/tickets/45", 404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        assertEquals(Optional.empty(), assist().ticket("45"));
    }

    @Test
    void aRefIsAZendeskTicketNumber() {
        assertThrows(PermanentException.class, () -> assist().ticket("sc:abc"));
    }

    @Test
    void suggestionsAreInternalNotes() {
        zendesk.stubFor(put(urlEqualTo("/api/v2/tickets/42")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ticket\":{\"id\":42}}")));
        assist().suggest("42", "3", "Your order ships \"tomorrow\".");
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/tickets/42"))
                .withHeader("Authorization", equalTo(AUTH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"ticket":{"comment":{"body":"Parley suggests (not sent to the customer):\\n\\nYour order ships \\"tomorrow\\".","public":false}}}
                        """)));
    }

    @Test
    void aRetriedSuggestionWhoseFirstAttemptLandedIsNotPostedTwice() {
        zendesk.stubFor(put(urlEqualTo("/api/v2/tickets/44")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ticket\":{\"id\":44}}")));
        json("/api/v2/tickets/44/comments?sort_order=desc", 200, """
                {"comments":[{"id":12,"author_id":1,"public":false,
                  "plain_body":"Parley suggests (not sent to the customer):\\n\\nWe are open 9-17."}]}
                """);
        TicketAssist assist = assist();
        ctx.stored.put("suggest-attempt.44.11", "1"); // the last attempt failed after sending
        assist.suggest("44", "11", "We are open 9-17.");
        zendesk.verify(0, putRequestedFor(urlEqualTo("/api/v2/tickets/44")));
        assist.suggest("44", "13", "Another answer.");
        zendesk.verify(1, putRequestedFor(urlEqualTo("/api/v2/tickets/44")));
        assertEquals(Map.of(), ctx.stored, "markers are removed");
    }

    @Test
    void tagsAreAdded() {
        zendesk.stubFor(put(urlEqualTo("/api/v2/tickets/42/tags")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"tags\":[\"a\"]}")));
        assist().tag("42", List.of("parley_assist_skipped", "parley_assist_topic_billing"));
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/tickets/42/tags"))
                .withHeader("Authorization", equalTo(AUTH))
                .withRequestBody(equalToJson("{\"tags\":[\"parley_assist_skipped\",\"parley_assist_topic_billing\"]}")));
    }

    @Test
    void aRefusedNoteNamesTheProblem() {
        zendesk.stubFor(put(urlEqualTo("/api/v2/tickets/46")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\"}")));
        PermanentException e = assertThrows(PermanentException.class, () -> assist().suggest("46", "1", "x"));
        assertTrue(e.getMessage().contains("422"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"));
    }
}
