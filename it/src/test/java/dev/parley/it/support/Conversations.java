package dev.parley.it.support;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.util.function.Supplier;

/**
 * A customer texting an Infobip SMS connection of the shared server (or of any other Parley, see
 * {@link #on}), and what Parley did about it: the texts Infobip (WireMock) was asked to send back, and the
 * session as the admin API shows it.
 */
public final class Conversations {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<String, String> INFOBIP_BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));

    private final String connection;
    private final Supplier<Http> anonymous;
    private final Supplier<Http> admin;
    private final Supplier<WireMockServer> wireMock;

    /** On the shared server (resolved at each call, so a field initialiser may create it before the start). */
    public Conversations(String connection) {
        this(connection, SharedParley::anonymous, SharedParley::admin, SharedParley::wireMock);
    }

    private Conversations(String connection, Supplier<Http> anonymous, Supplier<Http> admin, Supplier<WireMockServer> wireMock) {
        this.connection = connection;
        this.anonymous = anonymous;
        this.admin = admin;
        this.wireMock = wireMock;
    }

    /** On a private server with {@link SharedParley#config}'s connections and admin password, and its WireMock. */
    public static Conversations on(ParleyServer server, WireMockServer wireMock, String connection) {
        Http anonymous = Http.of(server.baseUrl());
        Http admin = anonymous.withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
        return new Conversations(connection, () -> anonymous, () -> admin, () -> wireMock);
    }

    /** The admin API (Basic) of the server these conversations happen on. */
    public Http admin() {
        return admin.get();
    }

    /** The Infobip inbound-SMS webhook body of one message (the JSON Infobip forwards). */
    public static String inboundJson(String messageId, String fromDigits, String text) {
        return inboundJson(messageId, fromDigits, "447491163443", text);
    }

    /** The same, to another of our numbers (a chatbot's sender). */
    public static String inboundJson(String messageId, String fromDigits, String toDigits, String text) {
        return Json.createObjectBuilder().add("results", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("messageId", messageId)
                        .add("from", fromDigits).add("to", toDigits).add("text", text).add("cleanText", text)
                        .add("keyword", "").add("receivedAt", "2026-11-21T16:00:00.000+0000").add("smsCount", 1)))
                .add("messageCount", 1).add("pendingMessageCount", 0).build().toString();
    }

    /** The customer (digits, no plus) writes {@code text} to our number 447491163443. */
    public void customerWrites(String fromDigits, String text) {
        deliver(connection + "-in-" + IDS.incrementAndGet() + "-" + System.nanoTime(), fromDigits, text).expect(200);
    }

    /** Infobip delivers one inbound SMS with the given message id (the same id again is a duplicate delivery). */
    public Http.Response deliver(String messageId, String fromDigits, String text) {
        return deliver(anonymous.get(), messageId, fromDigits, text);
    }

    /** The same, to another server of the same database (several instances behind one load balancer). */
    public Http.Response deliver(Http server, String messageId, String fromDigits, String text) {
        return deliver(server, messageId, fromDigits, "447491163443", text);
    }

    /** The same, to another of our numbers ({@code toDigits}, e.g. a chatbot's own sender). */
    public Http.Response deliver(Http server, String messageId, String fromDigits, String toDigits, String text) {
        return server.post("/channel/" + connection + "/webhook/sms", inboundJson(messageId, fromDigits, toDigits, text),
                "application/json", INFOBIP_BASIC);
    }

    /** Texts sent to the customer so far, oldest first. */
    public List<String> textsTo(String digits) {
        return wireMock.get().findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
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
        return latestSession(digits).map(id -> admin.get().get("/api/sessions/" + id).expect(200).json())
                .orElseThrow(() -> new AssertionError("no session for +" + digits + " on " + connection));
    }

    public Optional<Long> latestSession(String digits) {
        JsonArray sessions = admin.get().get("/api/sessions?connection=" + connection + "&contact=%2B" + digits)
                .expect(200).jsonArray();
        return sessions.stream().map(v -> v.asJsonObject().getJsonNumber("id").longValue()).max(Long::compare);
    }

    public int sessionCount(String digits) {
        return admin.get().get("/api/sessions?connection=" + connection + "&contact=%2B" + digits)
                .expect(200).jsonArray().size();
    }

    public static List<String> timelineKinds(JsonObject session) {
        return session.getJsonArray("timeline").stream().map(v -> v.asJsonObject().getString("kind")).toList();
    }

    /** The details of the session's timeline lines of {@code kind}, in timeline order. */
    public static List<String> timelineDetails(JsonObject session, String kind) {
        return session.getJsonArray("timeline").stream().map(JsonValue::asJsonObject)
                .filter(e -> e.getString("kind").equals(kind)).map(e -> e.getString("detail")).toList();
    }

    public static Optional<JsonObject> timelineEntry(JsonObject session, String kind) {
        return session.getJsonArray("timeline").stream().map(JsonValue::asJsonObject)
                .filter(e -> e.getString("kind").equals(kind)).findFirst();
    }
}
