package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import dev.parley.it.support.SmsLogsFromJournal;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox survives a crash: what was pending when the server died is sent once after it comes back. */
@ExtendWith(SharedParleyExtension.class)
class OutboxRecoveryIT {

    @Test
    void pendingSendsAreSentOnceAfterAKill(ParleyServer parley, WireMockServer infobip, Http admin) {
        InfobipSmsIT.awaitRunning(admin, "sms");
        StubMapping unavailable = infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("41790030001")))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "4")));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41790030001")
                .add("text", "your parcel is on its way").build()).expect(202);
        // Wait for Parley to have recorded the refusal, not only for the stand-in to have answered it: a kill in
        // between leaves an attempt that may have reached the provider, which is the other test's case.
        Await.until(SharedParley.PATIENCE, () -> attempts(infobip) == 1
                && session(admin, "41790030001").getJsonArray("timeline").toString().contains("SEND_RETRY"),
                "the first attempt, refused and recorded for a retry");

        parley.crash();  // SIGKILL while the message waits for its retry
        infobip.removeStub(unavailable);
        parley.start();
        InfobipSmsIT.awaitRunning(admin, "sms");

        Await.until(Duration.ofSeconds(60), () -> "SENT".equals(message(admin).getString("status")), "sent after the restart");
        sleep(2000);
        assertEquals(2, attempts(infobip), "one refused attempt before the crash, one accepted after it");
        JsonObject m = message(admin);
        assertEquals("SENT", m.getString("status"));
        assertTrue(m.getString("providerMessageId").length() > 0);
    }

    /**
     * The server dies while the provider is taking a send: the provider got it, Parley never recorded it. After the
     * restart the entry's claim has run out in SENDING, so Parley asks Infobip's SMS logs by its own messageId
     * before sending again, finds it, and records it as sent: the customer gets it once.
     */
    @Test
    void aSendInFlightWhenTheServerDiesIsLookedUpAndNotSentTwice(ParleyServer parley, WireMockServer infobip, Http admin) {
        String to = "41790030002";
        InfobipSmsIT.awaitRunning(admin, "sms");
        StubMapping slow = infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(to)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(10_000).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"messageId\":\"late\",\"status\":{\"groupId\":1,\"groupName\":\"PENDING\"}}]}")));
        // Infobip's SMS logs answer from what the stand-in really received.
        StubMapping logs = infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).atPriority(1)
                .willReturn(aResponse().withTransformers(SmsLogsFromJournal.NAME)));
        admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+" + to)
                .add("text", "your refund is on its way").build()).expect(202);
        Await.until(SharedParley.PATIENCE, () -> attempts(infobip, to) == 1, "the send reached the provider");
        String reference = message(admin, to).getString("providerMessageId"); // Parley's own id until a receipt

        parley.crash();  // SIGKILL while Infobip is still answering: the send arrived, its result is never recorded
        infobip.removeStub(slow);
        parley.start();
        InfobipSmsIT.awaitRunning(admin, "sms");

        Await.until(Duration.ofSeconds(60), () -> "SENT".equals(message(admin, to).getString("status")) ? true : null,
                "recorded after the restart");
        sleep(2000);
        assertEquals(1, attempts(infobip, to), "looked up at the provider, not sent a second time");
        infobip.verify(getRequestedFor(urlPathEqualTo("/sms/3/logs")).withQueryParam("messageId", equalTo(reference)));
        assertEquals(reference, message(admin, to).getString("providerMessageId"));
        String timeline = session(admin, to).getJsonArray("timeline").toString();
        assertTrue(timeline.contains("FOUND_AT_PROVIDER"), timeline);
        infobip.removeStub(logs);
    }

    private static int attempts(WireMockServer infobip) {
        return attempts(infobip, "41790030001");
    }

    private static int attempts(WireMockServer infobip, String to) {
        return infobip.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(to)))).size();
    }

    private static JsonObject session(Http admin, String to) {
        long id = admin.get("/api/sessions?contact=%2B" + to).expect(200).jsonArray().getJsonObject(0)
                .getJsonNumber("id").longValue();
        return admin.get("/api/sessions/" + id).expect(200).json();
    }

    private static JsonObject message(Http admin, String to) {
        return session(admin, to).getJsonArray("messages").stream()
                .map(JsonValue::asJsonObject).filter(o -> o.getString("direction").equals("OUT")).findFirst().orElseThrow();
    }

    private static JsonObject message(Http admin) {
        return message(admin, "41790030001");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
