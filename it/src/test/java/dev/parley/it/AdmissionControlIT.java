package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission control through the real server: one bot worker, busy for seconds on a slow provider send, and a turn
 * backlog of one allowed. A second customer's message waits in the queue; a third is answered 503 with
 * {@code Retry-After} before anything is stored, and when it is delivered again after the backlog drained, it is
 * answered like the others. Nothing acknowledged is lost; the refused one is not half-stored (its retry is new, not a
 * duplicate).
 */
@ExtendWith(SharedParleyExtension.class)
class AdmissionControlIT {

    private static final String SLOW = "41790600001";
    private static final String WAITING = "41790600002";
    private static final String REFUSED = "41790600003";

    @Test
    void pastTheTurnBacklogAWebhookIsRefusedWith503AndItsRetryIsAnswered() throws Exception {
        WireMockServer wm = SharedParley.wireMock();
        Map<String, String> config = new LinkedHashMap<>(SharedParley.config(SharedParley.wireMockUrl()));
        config.put("parley.workers.bot-threads", "1");
        config.put("parley.workers.batch", "1");
        config.put("parley.ingest.max-turn-backlog", "1");
        config.put("parley.ingest.retry-after-seconds", "7");
        StubMapping slowSend = wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(SLOW)))
                .willReturn(aResponse().withFixedDelay(6_000).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"messageId\":\"slow-1\",\"status\":{\"groupId\":1,\"groupName\":\"PENDING\","
                                + "\"id\":26,\"name\":\"PENDING_ACCEPTED\"}}]}")));
        try (ParleyServer parley = ParleyServer.builder().name("admission").config(config).build().start()) {
            Conversations sms = Conversations.on(parley, wm, "sms");
            InfobipSmsIT.awaitRunning(sms.admin(), "sms");

            sms.deliver("admission-1", SLOW, "hello").expect(200);
            // the one worker takes it and then waits 6 s on the provider
            InfobipSmsIT.quietly(1500);
            sms.deliver("admission-2", WAITING, "hello").expect(200); // waits in the queue: the backlog is full
            Http.Response refused = sms.deliver("admission-3", REFUSED, "hello");
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("7", refused.header("Retry-After"), "the configured Retry-After");
            assertTrue(refused.body().contains("backlog"), refused.body());
            assertEquals(0, sms.sessionCount(REFUSED), "nothing of a refused webhook is stored");

            assertEquals(1, sms.awaitTexts(SLOW, 1).size());
            assertEquals(1, sms.awaitTexts(WAITING, 1).size());
            // the provider's retry, once the backlog drained, is admitted and answered
            sms.deliver("admission-3", REFUSED, "hello").expect(200);
            assertEquals(1, sms.awaitTexts(REFUSED, 1).size());
            String metrics = sms.admin().get("/metrics").expect(200).body();
            assertTrue(java.util.regex.Pattern.compile("(?m)^parley_ingest_shed_total\\{[^}]*reason=\"backlog\"[^}]*\\}\\s+1")
                    .matcher(metrics).find(), "counted at /metrics");
            InfobipSmsIT.quietly(1000);
            for (String customer : List.of(SLOW, WAITING, REFUSED)) {
                assertEquals(1, sms.textsTo(customer).size(), "one reply each, none twice: " + customer);
            }
        } finally {
            wm.removeStub(slowSend);
        }
    }
}
