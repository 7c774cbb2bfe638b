package dev.parley.it.support;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer texting an Infobip SMS connection of the shared server, and what Parley did about it: the
 * texts Infobip (WireMock) was asked to send back, and the session as the admin API shows it.
 */
public final class Conversations {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<String, String> INFOBIP_BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));

    private final String connection;

    public Conversations(String connection) {
        this.connection = connection;
    }

    /** The customer (digits, no plus) writes {@code text} to our number 447491163443. */
    public void customerWrites(String fromDigits, String text) {
        String json = Json.createObjectBuilder().add("results", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("messageId", connection + "-in-" + IDS.incrementAndGet() + "-" + System.nanoTime())
                        .add("from", fromDigits).add("to", "447491163443").add("text", text).add("cleanText", text)
                        .add("keyword", "").add("receivedAt", "2026-11-21T16:00:00.000+0000").add("smsCount", 1)))
                .add("messageCount", 1).add("pendingMessageCount", 0).build().toString();
        SharedParley.anonymous().post("/channel/" + connection + "/webhook/sms", json, "application/json", INFOBIP_BASIC)
                .expect(200);
    }

    /** Texts sent to the customer so far, oldest first. */
    public List<String> textsTo(String digits) {
        return SharedParley.wireMock().findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                        .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(digits))))
                .stream().map(r -> Json.createReader(new StringReader(r.getBodyAsString())).readObject()
                        .getJsonArray("messages").getJsonObject(0).getJsonObject("content").getString("text"))
                .toList();
    }

    /** Waits until {@code count} texts were sent to the customer and returns them. */
    public List<String> awaitTexts(String digits, int count) {
        return Await.value(SharedParley.PATIENCE, () -> {
            List<String> texts = textsTo(digits);
            return texts.size() >= count ? texts : null;
        }, count + " texts to " + digits + " (so far " + textsTo(digits) + ")");
    }

    /** The customer's newest session on this connection, with messages, timeline and handoffs. */
    public JsonObject session(String digits) {
        return latestSession(digits).map(id -> SharedParley.admin().get("/api/sessions/" + id).expect(200).json())
                .orElseThrow(() -> new AssertionError("no session for +" + digits + " on " + connection));
    }

    public Optional<Long> latestSession(String digits) {
        JsonArray sessions = SharedParley.admin().get("/api/sessions?connection=" + connection + "&contact=%2B" + digits)
                .expect(200).jsonArray();
        return sessions.stream().map(v -> v.asJsonObject().getJsonNumber("id").longValue()).max(Long::compare);
    }

    public int sessionCount(String digits) {
        return SharedParley.admin().get("/api/sessions?connection=" + connection + "&contact=%2B" + digits)
                .expect(200).jsonArray().size();
    }

    public static List<String> timelineKinds(JsonObject session) {
        return session.getJsonArray("timeline").stream().map(v -> v.asJsonObject().getString("kind")).toList();
    }

    public static Optional<JsonObject> timelineEntry(JsonObject session, String kind) {
        return session.getJsonArray("timeline").stream().map(JsonValue::asJsonObject)
                .filter(e -> e.getString("kind").equals(kind)).findFirst();
    }
}
