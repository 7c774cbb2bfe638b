package dev.parley.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assist mode: on tickets Parley did not open, a Botpress bot's answer becomes an internal note, or a tag
 * says why Parley stayed silent. Zendesk and Botpress are WireMock.
 */
@ExtendWith(SharedParleyExtension.class)
class ZendeskAssistIT {

    private static final String ZD = ZendeskIT.ZD;
    private WireMockServer wm;

    @BeforeEach
    void setUp(WireMockServer wm, Http admin) {
        this.wm = wm;
        SharedParley.resetWireMock();
        InfobipSmsIT.awaitRunning(admin, "zassist");
        wm.stubFor(put(urlPathMatching(ZD + "/tickets/70\\d\\d(/tags)?")).willReturn(okJson("{}")));
        botAnswers("charged twice", "{\"responses\":[{\"type\":\"text\",\"text\":\"Refunds take 5 days.\"}],"
                + "\"nlu\":{\"intent\":{\"name\":\"billing\",\"confidence\":0.9},\"language\":\"en\"}}");
        botAnswers("unicorns", "{\"responses\":[]}");
        botAnswers("When are you open", "{\"responses\":[{\"type\":\"text\",\"text\":\"We are open 9-17, Monday to Friday.\"}],"
                + "\"nlu\":{\"intent\":{\"name\":\"hours\",\"confidence\":0.9},\"language\":\"en\"}}");
    }

    @Test
    void parleySuggestsOnlyWhereItHelpsAndTagsWhyItStayedSilent() {
        ticket(7001, "open", "[\"parley_handed_off\"]", "Where is my parcel?");
        ticket(7002, "solved", "[]", "When are you open?");
        ticket(7003, "open", "[]", "Why was I charged twice?");
        ticket(7004, "pending", "[]", "Do you sell unicorns?");
        ticket(7005, "open", "[\"vip\"]", "When are you open on Saturday?");
        for (long id = 7001; id <= 7005; id++) {
            customerCommented(id, Instant.now()).expect(200);
        }

        LoggedRequest note = Await.value(SharedParley.PATIENCE, () -> puts("/tickets/7005").stream().findFirst().orElse(null), "note");
        JsonObject comment = HandoffIT.json(note).getJsonObject("ticket").getJsonObject("comment");
        assertFalse(comment.getBoolean("public"), "a suggestion is an internal note, never sent to the customer");
        assertTrue(comment.getString("body").contains("We are open 9-17, Monday to Friday."), comment.toString());

        LoggedRequest topic = Await.value(SharedParley.PATIENCE, () -> puts("/tickets/7003/tags").stream().findFirst().orElse(null), "topic tag");
        assertEquals(List.of("parley_skipped_topic_billing"), ZendeskIT.strings(HandoffIT.json(topic).getJsonArray("tags")));
        LoggedRequest unhelpful = Await.value(SharedParley.PATIENCE, () -> puts("/tickets/7004/tags").stream().findFirst().orElse(null), "tag");
        assertEquals(List.of("parley_skipped_not_helpful_answer"), ZendeskIT.strings(HandoffIT.json(unhelpful).getJsonArray("tags")));
        assertTrue(puts("/tickets/7003").isEmpty() && puts("/tickets/7004").isEmpty(), "no note where the bot did not help");

        Await.until(SharedParley.PATIENCE, () -> ZendeskIT.logs("zassist").contains("7001")
                && ZendeskIT.logs("zassist").contains("7002"), "skips logged");
        assertTrue(puts("/tickets/7001").isEmpty() && puts("/tickets/7001/tags").isEmpty(), "Parley's own ticket is left alone");
        assertTrue(puts("/tickets/7002").isEmpty() && puts("/tickets/7002/tags").isEmpty(), "a solved ticket is left alone");
        assertEquals(0, wm.findAll(postRequestedFor(urlPathMatching("/zbp/.*"))
                .withRequestBody(matchingJsonPath("$.text", containing("parcel")))).size(), "no bot call for Parley's own ticket");

        // The same customer comment reported again: no second suggestion.
        customerCommented(7005, Instant.now().plusSeconds(2)).expect(200);
        Await.until(SharedParley.PATIENCE, () -> wm.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlPathEqualTo(ZD + "/tickets/7005"))).size() >= 2, "second read");
        ZendeskIT.sleep(1500);
        assertEquals(1, puts("/tickets/7005").size(), "deduplicated per ticket comment");
    }

    private List<LoggedRequest> puts(String path) {
        return wm.findAll(putRequestedFor(urlPathEqualTo(ZD + path)));
    }

    private void botAnswers(String contains, String json) {
        wm.stubFor(post(urlPathMatching("/zbp/api/v1/bots/acme/converse/.+"))
                .withRequestBody(matchingJsonPath("$.text", containing(contains))).willReturn(okJson(json)));
    }

    private void ticket(long id, String status, String tags, String question) {
        wm.stubFor(get(urlPathEqualTo(ZD + "/tickets/" + id)).willReturn(okJson("{\"ticket\":{\"id\":" + id + ",\"status\":\"" + status
                + "\",\"requester_id\":31,\"external_id\":null,\"subject\":\"Question\",\"tags\":" + tags + "}}")));
        String comments = "{\"id\":" + id + "2,\"author_id\":31,\"public\":true,\"body\":\"" + question + "\",\"plain_body\":\"" + question
                + "\",\"created_at\":\"" + Instant.now() + "\"},"
                + "{\"id\":" + id + "1,\"author_id\":40,\"public\":false,\"body\":\"note\",\"plain_body\":\"note\",\"created_at\":\""
                + Instant.now().minusSeconds(100) + "\"}";
        wm.stubFor(get(urlPathEqualTo(ZD + "/tickets/" + id + "/comments"))
                .willReturn(okJson("{\"comments\":[" + comments + "],\"next_page\":null}")));
    }

    private static Http.Response customerCommented(long id, Instant at) {
        return ZendeskIT.zendeskCallsOn("zassist", "{\"ticket_id\":\"" + id + "\",\"external_id\":\"\",\"event\":\"customer_comment\"}",
                SharedParley.ZENDESK_HOOK_SECRET, at);
    }
}
