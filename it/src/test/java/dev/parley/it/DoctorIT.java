package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The doctor ({@code GET /api/doctor}) on the shared server: admin-only, every connection, a refused send grouped by
 * its error, a send the provider reported undeliverable, webhook rejections counted without lag, a conversation
 * nobody answers, and a connector's own check (Conversations' subscription) both ways.
 */
@ExtendWith(SharedParleyExtension.class)
class DoctorIT {

    WireMockServer infobip;
    Http admin;

    @BeforeEach
    void setUp(WireMockServer infobip, Http admin) {
        this.infobip = infobip;
        this.admin = admin;
    }

    @Test
    void theDoctorNeedsTheAdmin() {
        assertEquals(401, SharedParley.anonymous().get("/api/doctor").status());
        assertEquals(401, SharedParley.anonymous().get("/api/doctor?connection=sms").status());
        assertEquals(404, admin.get("/api/doctor?connection=no-such").status());
    }

    @Test
    void everyConfiguredConnectionIsExaminedWithItsState() {
        Set<String> configured = admin.get("/api/connections").expect(200).jsonArray().stream()
                .map(v -> v.asJsonObject().getString("id")).collect(Collectors.toSet());
        JsonObject report = admin.get("/api/doctor").expect(200).json();
        Set<String> examined = report.getJsonArray("connections").stream()
                .map(v -> v.asJsonObject().getString("id")).collect(Collectors.toSet());
        assertEquals(configured, examined);
        assertTrue(report.containsKey("runtime") && report.containsKey("worst"), report.toString());
        JsonObject disabled = connection(report, "disabled");
        assertEquals("STOPPED", disabled.getString("state"));
        assertTrue(findings(disabled, "connection.state").stream().anyMatch(f -> f.getString("severity").equals("INFO")),
                disabled.toString());
    }

    @Test
    void aRefusedSendShowsGroupedByItsError() {
        String refusal = "Doctor IT: destination blocked by the operator 4711";
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo("41790047110")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":\"E400\",\"description\":\"" + refusal + "\",\"action\":\"none\","
                                + "\"violations\":[],\"resources\":[]}")));
        try {
            InfobipSmsIT.awaitRunning(admin, "outonly");
            for (int i = 0; i < 2; i++) {
                admin.postJson("/api/connections/outonly/messages", Json.createObjectBuilder().add("to", "+41790047110")
                        .add("text", "hi " + i).build()).expect(202);
            }
            JsonObject failed = Await.value(SharedParley.PATIENCE, () -> findings(
                            admin.get("/api/doctor?connection=outonly").expect(200).json().getJsonArray("connections")
                                    .getJsonObject(0), "outbox.failed").stream()
                    .filter(f -> f.getString("cause").contains(refusal) && f.getString("symptom").startsWith("2 send(s)"))
                    .findFirst().orElse(null), "both refused sends in one group");
            assertEquals("ERROR", failed.getString("severity"));
            assertFalse(failed.getString("fix").isBlank());
        } finally {
            removePriorityOne();
        }
    }

    @Test
    void aSendTheProviderReportsUndeliveredCountsAsAFailedSend() {
        InfobipSmsIT.awaitRunning(admin, "outonly");
        JsonObject accepted = admin.postJson("/api/connections/outonly/messages", Json.createObjectBuilder()
                .add("to", "+41790047130").add("text", "doctor dlr").build()).expect(202).json();
        long session = accepted.getJsonNumber("sessionId").longValue();
        long message = accepted.getJsonNumber("messageId").longValue();
        // Infobip accepted it (SENT with its message id), then reports it undeliverable.
        String providerId = Await.value(SharedParley.PATIENCE, () -> admin.get("/api/sessions/" + session).expect(200).json()
                .getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getJsonNumber("id").longValue() == message && "SENT".equals(m.getString("status", null)))
                .map(m -> m.getString("providerMessageId")).findFirst().orElse(null), "the send accepted");
        SharedParley.anonymous().post("/channel/outonly/webhook/dlr", InfobipSmsIT.dlr(providerId, 2, "UNDELIVERABLE",
                "UNDELIVERABLE_NOT_DELIVERED", "EC_DOCTOR_IT_4713", 1), "application/json", InfobipSmsIT.INFOBIP_BASIC)
                .expect(200);
        JsonObject reported = Await.value(SharedParley.PATIENCE, () -> findings(admin.get("/api/doctor?connection=outonly")
                .expect(200).json().getJsonArray("connections").getJsonObject(0), "outbox.failed").stream()
                .filter(f -> f.getString("cause").contains("EC_DOCTOR_IT_4713")).findFirst().orElse(null),
                "the reported failure among the failed sends");
        assertEquals("ERROR", reported.getString("severity"));
        assertTrue(reported.getString("symptom").startsWith("1 send(s)")
                && reported.getString("symptom").contains("UNDELIVERABLE"), reported.toString());
    }

    @Test
    void webhookRejectionsAreCountedAtOnceNotASweepLater() {
        // Not on "outonly": SecurityIT counts a storm of its own there, which these would join as one burst.
        InfobipSmsIT.awaitRunning(admin, "night");
        long before = rejectedCount("night");
        Map<String, String> wrong = Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("infobip:not-the-password".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 3; i++) {
            assertEquals(401, SharedParley.anonymous().post("/channel/night/webhook/sms", "{\"results\":[]}",
                    "application/json", wrong).status());
        }
        // Without the doctor's flush, the 2nd and 3rd of a burst wait in memory for the sweeper.
        assertEquals(before + 3, rejectedCount("night"));
    }

    /** The count in the webhook.rejected finding: "N webhook call(s) ..." or 0 when OK. */
    private long rejectedCount(String id) {
        JsonObject f = single(admin.get("/api/doctor?connection=" + id).expect(200).json(), "webhook.rejected");
        return f.getString("severity").equals("OK") ? 0
                : Long.parseLong(f.getString("symptom").substring(0, f.getString("symptom").indexOf(' ')));
    }

    @Test
    void aConversationNobodyAnswersIsAWarning() {
        InfobipSmsIT.awaitRunning(admin, "outonly");
        SharedParley.anonymous().post("/channel/outonly/webhook/sms", InfobipSmsIT.inboundJson("doctor-in-1", "41790047120",
                "anyone there?"), "application/json", InfobipSmsIT.INFOBIP_BASIC).expect(200);
        JsonObject f = Await.value(SharedParley.PATIENCE, () -> findings(admin.get("/api/doctor?connection=outonly")
                .expect(200).json().getJsonArray("connections").getJsonObject(0), "agent.unanswered").stream()
                .filter(x -> x.getString("severity").equals("WARNING")).findFirst().orElse(null), "unanswered");
        assertTrue(f.getString("fix").contains("inbound=outonly"), f.toString());
    }

    @Test
    void theConversationsSubscriptionCheckSeesItMissingAndPresent() {
        InfobipSmsIT.awaitRunning(admin, "conv");
        // The shared stub lists no subscription: missing.
        JsonObject missing = single(admin.get("/api/doctor?connection=conv").expect(200).json(), "conversations.subscription");
        assertEquals("ERROR", missing.getString("severity"), missing.toString());
        assertTrue(missing.getString("cause").contains("missing"), missing.toString());
        assertTrue(missing.getString("fix").contains("/api/connections/conv/setup"), missing.toString());
        assertFalse(admin.get("/api/doctor?connection=conv").body().contains("it-infobip-key"), "no secret in the report");
        JsonObject agent = single(admin.get("/api/doctor?connection=conv").expect(200).json(), "conversations.ai-agent");
        assertEquals("OK", agent.getString("severity"), agent.toString());

        String url = SharedParley.server().baseUrl() + "/channel/conv/webhook/events";
        infobip.stubFor(get(urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT")).atPriority(1)
                .willReturn(okJson("{\"results\":[{\"subscriptionId\":\"parley-conv\",\"name\":\"parley-conv\",\"profile\":{\"profileId\":\"parley-conv\"},"
                        + "\"events\":[\"CONVERSATION_MESSAGE_RECEIVED\"]}],\"paging\":{\"page\":0,\"size\":100,\"totalPages\":1,\"totalResults\":1}}")));
        infobip.stubFor(get(urlPathEqualTo("/subscriptions/1/profiles/parley-conv")).atPriority(1)
                .willReturn(okJson("{\"profileId\":\"parley-conv\",\"webhook\":{\"contentType\":\"application/json\",\"notifyUrl\":\"" + url + "\"}}")));
        try {
            JsonObject present = single(admin.get("/api/doctor?connection=conv").expect(200).json(), "conversations.subscription");
            assertEquals("OK", present.getString("severity"), present.toString());
        } finally {
            removePriorityOne();
        }
    }

    private void removePriorityOne() {
        List<StubMapping> ones = infobip.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1)
                .toList();
        ones.forEach(infobip::removeStub);
    }

    private static JsonObject connection(JsonObject report, String id) {
        return report.getJsonArray("connections").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id + " in " + report));
    }

    private static List<JsonObject> findings(JsonObject connection, String check) {
        return connection.getJsonArray("findings").stream().map(JsonValue::asJsonObject)
                .filter(f -> f.getString("check").equals(check)).toList();
    }

    private static JsonObject single(JsonObject report, String check) {
        List<JsonObject> f = findings(report.getJsonArray("connections").getJsonObject(0), check);
        assertEquals(1, f.size(), check + " in " + report);
        return f.get(0);
    }
}
