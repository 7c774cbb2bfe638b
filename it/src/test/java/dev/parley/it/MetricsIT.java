package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-connection metrics at /metrics (public, Prometheus text) move with a customer's message, its duplicate
 * delivery and a reply whose first send fails retryably: inbound, duplicates, sent, retried, the send timer; the
 * database gauges are there. Deltas, not absolute values: other tests use the same server and connection.
 */
@ExtendWith(SharedParleyExtension.class)
class MetricsIT {

    private static final String CUSTOMER = "41790130001";

    @Test
    void perConnectionMetricsMoveWithAMessageItsDuplicateAndARetriedReply() {
        Http anonymous = SharedParley.anonymous();
        Conversations sms = new Conversations("sms");
        InfobipSmsIT.awaitRunning(SharedParley.admin(), "sms");
        // The reply's first send is throttled (429, retryable: the outbox reschedules it), the second accepted.
        SharedParley.wireMock().stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(CUSTOMER)))
                .inScenario("metrics-retry").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("accepting")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\",\"action\":\"\","
                                + "\"violations\":[],\"resources\":[]}")));

        Http.Response scrape = anonymous.get("/metrics");
        assertEquals(200, scrape.status(), "/metrics needs no credentials");
        String before = scrape.body();

        String id = "metrics-in-" + System.nanoTime();
        assertEquals(1, sms.deliver(id, CUSTOMER, "What are your hours?").expect(200).json().getInt("accepted"));
        assertEquals(1, sms.deliver(id, CUSTOMER, "What are your hours?").expect(200).json().getInt("duplicates"));
        sms.awaitTexts(CUSTOMER, 2); // the refused attempt and the accepted one
        Await.until(SharedParley.PATIENCE, () -> "SENT".equals(sms.session(CUSTOMER).getJsonArray("messages").stream()
                .map(v -> v.asJsonObject()).filter(m -> m.getString("direction").equals("OUT")).findFirst()
                .map(m -> m.getString("status")).orElse("")), "the reply SENT after its retry");

        String after = anonymous.get("/metrics").expect(200).body();
        assertTrue(moved(before, after, "parley_inbound_messages_total") >= 1, after);
        assertTrue(moved(before, after, "parley_inbound_duplicates_total") >= 1, after);
        assertTrue(moved(before, after, "parley_outbound_sent_total") >= 1, after);
        assertTrue(moved(before, after, "parley_outbound_retried_total") >= 1, after);
        assertTrue(moved(before, after, "parley_outbound_send_seconds_count") >= 2, "both send calls timed: " + after);
        assertTrue(value(after, "parley_outbound_send_seconds_sum", "sms").orElse(0) > 0, after);
        // Gauges of every configured connection, from the database (cluster-wide); nothing waits once the reply is sent.
        for (String gauge : List.of("parley_outbox_depth", "parley_turn_backlog")) {
            assertTrue(value(after, gauge, "sms").isPresent(), gauge + " of sms in " + after);
            assertTrue(value(after, gauge, "desk").isPresent() || value(after, gauge, "wa").isPresent(),
                    gauge + " of other connections too");
        }
        assertTrue(after.contains("# HELP parley_outbox_depth"), "described");

        for (String secret : List.of("it-infobip-key", "it-hook-secret", SharedParley.ADMIN_PASSWORD,
                SharedParley.SECRETS_KEY, SharedParley.ZENDESK_TOKEN, SharedParley.ZENDESK_HOOK_SECRET)) {
            assertFalse(after.contains(secret), "/metrics is public and shows no secret");
        }
        assertFalse(after.contains(CUSTOMER), "nor a customer's number");
    }

    /** How much a per-connection sample of {@code sms} grew between two scrapes (absent counts as 0). */
    static double moved(String before, String after, String name) {
        return value(after, name, "sms").orElse(0) - value(before, name, "sms").orElse(0);
    }

    /** The sample of {@code name} whose labels include {@code connection="<connection>"}. */
    static OptionalDouble value(String metrics, String name, String connection) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\}\\s+(\\S+)").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("connection=\"" + connection + "\"")) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
