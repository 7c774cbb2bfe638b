package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code infobip-whatsapp} connection through the real server, with Infobip stood in by WireMock (every request
 * checked against Infobip's published WhatsApp spec): inbound types to the bot, media copied and served at a signed
 * link (and the fallback), the 24-hour window and templates, long replies split, delivery and seen reports, a customer
 * without a phone number, duplicates and bad credentials. Each test uses its own numbers.
 */
@ExtendWith(SharedParleyExtension.class)
class WhatsAppIT {

    private static final String WEBHOOK = "/channel/wa/webhook/whatsapp";
    private static final Map<String, String> BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));
    private static final String SENDER = SharedParley.WHATSAPP_SENDER;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final AtomicInteger IDS = new AtomicInteger();

    WireMockServer infobip;
    Http admin;
    Http anonymous;

    @BeforeEach
    void setUp(WireMockServer infobip, Http admin) {
        this.infobip = infobip;
        this.admin = admin;
        this.anonymous = SharedParley.anonymous();
        InfobipSmsIT.awaitRunning(admin, "wa");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String inbound(String messageId, String from, JsonObject message, JsonObject contact) {
        var result = Json.createObjectBuilder().add("to", SENDER).add("integrationType", "WHATSAPP")
                .add("receivedAt", "2026-11-30T10:10:00.000+0000").add("messageId", messageId).add("message", message)
                .add("price", Json.createObjectBuilder().add("pricePerMessage", 0).add("currency", "EUR")).add("contact", contact);
        if (from != null) result.add("from", from);
        return Json.createObjectBuilder().add("results", Json.createArrayBuilder().add(result))
                .add("messageCount", 1).add("pendingMessageCount", 0).build().toString();
    }

    private Http.Response deliver(String from, JsonObject message) {
        return deliver("wamid.it-" + IDS.incrementAndGet() + "-" + System.nanoTime(), from, message);
    }

    private Http.Response deliver(String messageId, String from, JsonObject message) {
        JsonObject contact = Json.createObjectBuilder().add("name", "Ada").add("phoneNumber", from).build();
        return anonymous.post(WEBHOOK, inbound(messageId, from, message, contact), "application/json", BASIC);
    }

    private static JsonObject text(String text) {
        return Json.createObjectBuilder().add("type", "TEXT").add("text", text).build();
    }

    private List<LoggedRequest> textSends(String to) {
        return infobip.findAll(postRequestedFor(urlPathEqualTo("/whatsapp/1/message/text"))
                .withRequestBody(matchingJsonPath("$.to", equalTo(to))));
    }

    private static JsonObject body(LoggedRequest r) {
        return Json.createReader(new StringReader(r.getBodyAsString())).readObject();
    }

    private List<String> awaitTexts(String to, int count) {
        return Await.value(SharedParley.PATIENCE, () -> {
            List<LoggedRequest> sends = textSends(to);
            return sends.size() >= count ? sends.stream().map(r -> body(r).getJsonObject("content").getString("text")).toList() : null;
        }, count + " WhatsApp texts to " + to);
    }

    private JsonObject session(String contact) {
        var sessions = admin.get("/api/sessions?connection=wa&contact=" + contact.replace("+", "%2B")).expect(200).jsonArray();
        long id = sessions.stream().mapToLong(v -> v.asJsonObject().getJsonNumber("id").longValue()).max().orElseThrow();
        return admin.get("/api/sessions/" + id).expect(200).json();
    }

    private static JsonObject message(JsonObject session, String direction, int index) {
        return session.getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals(direction)).toList().get(index);
    }

    private static List<String> timeline(JsonObject session) {
        return Conversations.timelineKinds(session);
    }

    // ---- inbound to the bot, reports -------------------------------------------------------------------

    @Test
    void aTextIsAnsweredAndDeliveryAndSeenReportsMoveTheStatus() {
        String me = "41790611001";
        deliver(me, text("hours")).expect(200);
        assertEquals(List.of("We are open 9-17."), awaitTexts(me, 1));
        JsonObject send = body(textSends(me).get(0));
        assertEquals(SENDER, send.getString("from"));
        String reference = send.getString("messageId");
        URI notify = URI.create(send.getString("notifyUrl"));
        assertTrue(notify.getPath().endsWith("/channel/wa/webhook/dlr") && notify.getQuery().startsWith("token="), notify.toString());

        String dlr = "{\"results\":[{\"bulkId\":\"\",\"messageId\":\"" + reference + "\",\"to\":\"" + me + "\","
                + "\"sentAt\":\"2026-11-30T10:10:01.000+0000\",\"doneAt\":\"2026-11-30T10:10:02.000+0000\",\"messageCount\":1,"
                + "\"price\":{\"pricePerMessage\":0,\"currency\":\"EUR\"},\"status\":{\"id\":5,\"groupId\":3,\"groupName\":\"DELIVERED\","
                + "\"name\":\"DELIVERED_TO_HANDSET\",\"description\":\"Message delivered to handset\"},\"error\":{\"id\":0,"
                + "\"name\":\"NO_ERROR\",\"description\":\"No Error\",\"groupId\":0,\"groupName\":\"OK\",\"permanent\":false}}]}";
        String relative = notify.getRawPath() + "?" + notify.getRawQuery();
        anonymous.post(relative, dlr, "application/json", Map.of()).expect(200);
        Await.until(SharedParley.PATIENCE, () -> "DELIVERED".equals(message(session("+" + me), "OUT", 0).getString("status")),
                "DELIVERED");
        String seen = "{\"results\":[{\"messageId\":\"" + reference + "\",\"from\":\"" + me + "\",\"to\":\"" + SENDER + "\","
                + "\"sentAt\":\"2026-11-30T10:10:01.000+0000\",\"seenAt\":\"2026-11-30T10:11:00.000+0000\"}]}";
        anonymous.post(relative, seen, "application/json", Map.of()).expect(200);
        Await.until(SharedParley.PATIENCE, () -> "SEEN".equals(message(session("+" + me), "OUT", 0).getString("status")), "SEEN");
        // the report URL without its token is refused
        assertEquals(401, anonymous.post(notify.getRawPath(), seen, "application/json", Map.of()).status());
    }

    @Test
    void aButtonReplyReachesTheBotAsItsPostbackAndTheTranscriptShowsItsTitle() {
        String me = "41790611002";
        deliver(me, Json.createObjectBuilder().add("type", "INTERACTIVE_BUTTON_REPLY").add("id", "opt_yes")
                .add("title", "Yes please").build()).expect(200);
        assertEquals(List.of("You chose yes."), awaitTexts(me, 1));
        JsonObject in = message(session("+" + me), "IN", 0);
        assertEquals("Yes please", in.getString("text"));
        assertEquals("INTERACTIVE_BUTTON_REPLY", in.getString("kind"));
        assertEquals("opt_yes", in.getString("postback"));
    }

    @Test
    void locationIsKeptAsStructuredContent() {
        String me = "41790611003";
        deliver(me, Json.createObjectBuilder().add("type", "LOCATION").add("latitude", 46.2044).add("longitude", 6.1432)
                .add("name", "Parley HQ").add("address", "Rue du Rhône 1").build()).expect(200);
        awaitTexts(me, 1);
        JsonObject in = message(session("+" + me), "IN", 0);
        assertEquals("LOCATION", in.getString("kind"));
        assertEquals(46.2044, in.getJsonObject("content").getJsonObject("structured").getJsonNumber("latitude").doubleValue());
        assertTrue(in.getString("text").contains("Parley HQ"), in.getString("text"));
    }

    // ---- media ---------------------------------------------------------------------------------------

    @Test
    void anImageIsCopiedAtOnceAndServedAtASignedLink() throws Exception {
        String me = "41790611004";
        String path = "/whatsapp/1/senders/" + SENDER + "/media/it-img-1";
        infobip.stubFor(get(urlEqualTo(path)).withHeader("Authorization", equalTo("App it-infobip-key"))
                .willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        deliver(me, Json.createObjectBuilder().add("type", "IMAGE").add("url", SharedParley.wireMockUrl() + path)
                .add("caption", "my cat").build()).expect(200);
        awaitTexts(me, 1);
        JsonObject session = session("+" + me);
        JsonObject in = message(session, "IN", 0);
        assertEquals("my cat", in.getString("text"));
        JsonObject attachment = in.getJsonObject("content").getJsonArray("attachments").getJsonObject(0);
        assertEquals("IMAGE", attachment.getString("kind"));
        assertFalse(attachment.containsKey("copyFailure"), attachment.toString());
        assertTrue(timeline(session).contains("MEDIA_COPIED"), timeline(session).toString());

        String link = attachment.getString("link"); // the session view signs a link to each copy
        assertTrue(link.contains("/media/" + attachment.getString("mediaId") + "?expires="), link);
        assertTrue(admin.get("/api/media/" + attachment.getString("mediaId")).expect(200).json().getString("link")
                .contains("/media/"), "the admin media API signs one too");
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(PNG, fetched.body(), "the copy, served without other credentials");
        infobip.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aHandoffTicketLinksToParleysCopyOfTheCustomersImage() throws Exception {
        String me = "41790611011";
        HandoffIT.deskAccepts(infobip);
        String path = "/whatsapp/1/senders/" + SENDER + "/media/it-img-handoff";
        infobip.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        deliver(me, Json.createObjectBuilder().add("type", "IMAGE").add("url", SharedParley.wireMockUrl() + path)
                .add("caption", "the broken part").build()).expect(200);
        awaitTexts(me, 1);
        deliver(me, text("human")).expect(200);
        LoggedRequest ticket = Await.value(SharedParley.PATIENCE, () -> HandoffIT.tickets(infobip, "+" + me).stream()
                .findFirst().orElse(null), "the desk ticket");
        String transcript = HandoffIT.json(ticket).getJsonArray("transcript").toString();
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\[IMAGE: (http[^ \\]]+/media/[^ \\]]+) \\(link valid")
                .matcher(transcript);
        assertTrue(link.find(), transcript);
        assertTrue(transcript.contains("the broken part"), transcript);
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(PNG, fetched.body(), "a desk agent opens the copy from the ticket");
    }

    @Test
    void whenTheCopyFailsTheLinkIsKeptTheTimelineSaysWhyAndTheBotStillAnswers() {
        String me = "41790611005";
        String path = "/whatsapp/1/senders/" + SENDER + "/media/it-expired";
        infobip.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Media not found or expired\"}}}")));
        deliver(me, Json.createObjectBuilder().add("type", "DOCUMENT").add("url", SharedParley.wireMockUrl() + path).build())
                .expect(200);
        awaitTexts(me, 1);
        JsonObject session = session("+" + me);
        JsonObject attachment = message(session, "IN", 0).getJsonObject("content").getJsonArray("attachments").getJsonObject(0);
        assertEquals(SharedParley.wireMockUrl() + path, attachment.getString("providerUrl"));
        assertTrue(attachment.getString("copyFailure").contains("404"), attachment.toString());
        assertTrue(timeline(session).contains("MEDIA_NOT_COPIED"), timeline(session).toString());
    }

    @Test
    void infectedContentIsRecordedWithItsReasonAndNotAnswered() {
        String me = "41790611006";
        deliver(me, Json.createObjectBuilder().add("type", "INFECTED_CONTENT").add("malware", "EICAR").build()).expect(200);
        Await.until(SharedParley.PATIENCE, () -> timeline(session("+" + me)).contains("MESSAGE_UNSUPPORTED"), "recorded");
        InfobipSmsIT.quietly(1000);
        assertEquals(0, textSends(me).size(), "the bot is not asked about it");
        JsonObject in = message(session("+" + me), "IN", 0);
        assertTrue(in.getJsonObject("content").getString("unsupported").contains("EICAR"), in.toString());
    }

    // ---- the window, templates, long replies --------------------------------------------------------

    @Test
    void outsideTheWindowNoFreeTextIsSentAndATemplateIs() {
        String me = "41790611007";
        Http.Response queued = admin.postJson("/api/connections/wa/messages",
                Json.createObjectBuilder().add("to", "+" + me).add("text", "Your order shipped").build()).expect(202);
        long messageId = queued.json().getJsonNumber("messageId").longValue();
        Await.until(SharedParley.PATIENCE, () -> "FAILED".equals(message(session("+" + me), "OUT", 0).getString("status")), "FAILED");
        JsonObject failed = message(session("+" + me), "OUT", 0);
        assertEquals(messageId, failed.getJsonNumber("id").longValue());
        assertTrue(failed.getString("error").contains("24-hour"), failed.toString());
        assertTrue(failed.getString("error").contains("template"), failed.toString());
        assertEquals(0, textSends(me).size(), "no free text attempted");

        admin.postJson("/api/connections/wa/messages", "{\"to\":\"+" + me + "\",\"template\":{\"name\":\"order_update\","
                + "\"language\":\"en\",\"placeholders\":[\"Ada\",\"#42\"]}}").expect(202);
        List<LoggedRequest> templates = Await.value(SharedParley.PATIENCE, () -> {
            List<LoggedRequest> t = infobip.findAll(postRequestedFor(urlPathEqualTo("/whatsapp/1/message/template"))
                    .withRequestBody(matchingJsonPath("$.messages[0].to", equalTo(me))));
            return t.isEmpty() ? null : t;
        }, "the template send");
        JsonObject content = body(templates.get(0)).getJsonArray("messages").getJsonObject(0).getJsonObject("content");
        assertEquals("order_update", content.getString("templateName"));
        assertEquals(List.of("Ada", "#42"), content.getJsonObject("templateData").getJsonObject("body").getJsonArray("placeholders")
                .getValuesAs(jakarta.json.JsonString::getString));
        Await.until(SharedParley.PATIENCE, () -> "SENT".equals(message(session("+" + me), "OUT", 1).getString("status")), "SENT");
        assertEquals("TEMPLATE", message(session("+" + me), "OUT", 1).getString("kind"));

        // Once the customer writes, the window is open and free text goes out.
        deliver(me, text("hours")).expect(200);
        assertEquals(List.of("We are open 9-17."), awaitTexts(me, 1));
    }

    @Test
    void theWindowBelongsToTheCustomerNotToOneSession() {
        String me = "41790611031";
        HandoffIT.deskAccepts(infobip);
        deliver(me, text("hours")).expect(200);
        awaitTexts(me, 1);
        deliver(me, text("human")).expect(200); // handed to the desk, which solves it: the session ends
        long first = session("+" + me).getJsonObject("session").getJsonNumber("id").longValue();
        // Parley must have recorded the desk's answer (the ticket id) before the desk can solve it: the stub logs
        // the create request before its 201 reaches Parley, and a solve for a ticket nobody knows is dropped.
        Await.until(SharedParley.PATIENCE, () -> admin.get("/api/sessions/" + first).expect(200).json().getJsonArray("handoffs")
                .getValuesAs(JsonObject.class).stream().anyMatch(h -> ("T-" + first).equals(h.getString("ticketRef", null))),
                "the ticket recorded");
        HandoffIT.deskSays("desk", "{\"id\":\"solved-wa-" + first + "\",\"ticket\":\"T-" + first + "\",\"solved\":true}");
        Await.until(SharedParley.PATIENCE, () -> "RESOLVED".equals(admin.get("/api/sessions/" + first).expect(200).json()
                .getJsonObject("session").getString("state")), "the first session RESOLVED");

        // A message from the business opens a new session; the customer wrote minutes ago, so free text may go.
        admin.postJson("/api/connections/wa/messages", Json.createObjectBuilder().add("to", "+" + me)
                .add("text", "Did that solve it?").build()).expect(202);
        Await.until(SharedParley.PATIENCE, () -> textSends(me).stream()
                .anyMatch(r -> body(r).getJsonObject("content").getString("text").equals("Did that solve it?")), "sent as text");
        JsonObject second = session("+" + me);
        assertTrue(second.getJsonObject("session").getJsonNumber("id").longValue() != first, "a new session");
        assertEquals("SENT", message(second, "OUT", 0).getString("status"));
    }

    @Test
    void aReplyLongerThanWhatsAppTakesIsSplitIntoMessagesInOrder() {
        String me = "41790611008";
        deliver(me, text("essay")).expect(200);
        List<String> parts = awaitTexts(me, 2);
        String expected = ("Parley answers at length. ").repeat(200).strip();
        assertEquals(2, parts.size());
        parts.forEach(p -> assertTrue(p.length() <= 4096, "at most 4096: " + p.length()));
        assertEquals(expected, String.join(" ", parts), "nothing lost, cut between two words");
        assertTrue(timeline(session("+" + me)).contains("MESSAGE_SPLIT"));
    }

    @Test
    void aChatbotOnTheWhatsAppConnectionHasItsWaMeLinkAndQrCode() {
        String yaml = """
                name: WhatsApp greeter
                channel: wa
                sender: "+44 113 496 0000"
                welcome: welcome
                fallback: welcome
                dialogs:
                  - id: welcome
                    messages:
                      - Hello from WhatsApp.
                """;
        admin.send("PUT", "/api/chatbots/wagreeter", yaml, "application/yaml", Map.of()).expect(200);
        JsonObject share = admin.get("/api/chatbots/wagreeter/share?text=Hi").expect(200).json();
        assertTrue(share.toString().contains("https://wa.me/441134960000?text=Hi"), share.toString());
        Http.Response qr = admin.get("/api/chatbots/wagreeter/qr.png?text=Hi").expect(200);
        assertEquals("image/png", qr.header("Content-Type"));
    }

    // ---- the built-in sandbox ------------------------------------------------------------------------

    private JsonObject sandboxMessage(Http sandbox, String to) {
        return sandbox.get("/sandbox/wasb/messages").expect(200).json().getJsonArray("messages").stream()
                .map(JsonValue::asJsonObject).filter(m -> to.equals(m.getString("to", null))).reduce((a, b) -> b).orElse(null);
    }

    @Test
    void onTheSandboxACustomerWritesSendsAnImageAndSeesTheWindowClose() {
        InfobipSmsIT.awaitRunning(admin, "wasb");
        Http sandbox = anonymous.withHeader("Authorization", "App sandbox-key");
        String me = "41790611021";
        sandbox.postJson("/sandbox/wasb/customer/" + me + "/text", "{\"text\":\"hours\",\"name\":\"Ada\"}").expect(200);
        Await.until(SharedParley.PATIENCE, () -> {
            JsonObject m = sandboxMessage(sandbox, me);
            return m != null && m.toString().contains("We are open 9-17.") && m.containsKey("seenAt");
        }, "the reply delivered and seen in the sandbox");
        Await.until(SharedParley.PATIENCE, () -> "SEEN".equals(message(sessionOn("wasb", "+" + me), "OUT", 0)
                .getString("status")), "SEEN in Parley");

        sandbox.postJson("/sandbox/wasb/customer/" + me + "/image", "{\"caption\":\"the broken part\"}").expect(200);
        Await.until(SharedParley.PATIENCE, () -> timeline(sessionOn("wasb", "+" + me)).contains("MEDIA_COPIED"),
                "the image copied from the sandbox's media URL, through its CDN redirect");

        // Meta's window closes (the sandbox ages the customer's last message): the sandbox reports EC_NO_SESSION.
        sandbox.postJson("/sandbox/wasb/customer/" + me + "/age-window", "{\"hours\":25}").expect(200);
        admin.postJson("/api/connections/wasb/messages", Json.createObjectBuilder().add("to", "+" + me)
                .add("text", "One more thing").build()).expect(202);
        Await.until(SharedParley.PATIENCE, () -> sessionOn("wasb", "+" + me).getJsonArray("messages").stream()
                .map(JsonValue::asJsonObject).anyMatch(m -> "One more thing".equals(m.getString("text"))
                        && "UNDELIVERABLE".equals(m.getString("status", null))
                        && m.getString("error", "").contains("24-hour")), "the window error named as such");
    }

    private JsonObject sessionOn(String connection, String contact) {
        var sessions = admin.get("/api/sessions?connection=" + connection + "&contact=" + contact.replace("+", "%2B"))
                .expect(200).jsonArray();
        long id = sessions.stream().mapToLong(v -> v.asJsonObject().getJsonNumber("id").longValue()).max().orElseThrow();
        return admin.get("/api/sessions/" + id).expect(200).json();
    }

    // ---- contacts, duplicates, credentials -----------------------------------------------------------

    @Test
    void aCustomerWithoutAPhoneNumberIsAContactByTheirUserIdAndIsAnswered() {
        String userId = "GB.1234567" + IDS.incrementAndGet();
        JsonObject contact = Json.createObjectBuilder().add("name", "Frank").add("userId", userId).add("username", "frank").build();
        anonymous.post(WEBHOOK, inbound("wamid.user-" + System.nanoTime(), null, text("hours"), contact), "application/json", BASIC)
                .expect(200);
        assertEquals(List.of("We are open 9-17."), awaitTexts(userId, 1));
        assertEquals(userId, session(userId).getJsonObject("session").getString("contact"));
    }

    @Test
    void aRepeatedDeliveryIsStoredAndAnsweredOnce() {
        String me = "41790611009";
        String id = "wamid.dup-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            deliver(id, me, text("hours")).expect(200);
        }
        awaitTexts(me, 1);
        InfobipSmsIT.quietly(1000);
        assertEquals(1, textSends(me).size());
        assertEquals(1, session("+" + me).getJsonArray("messages").stream()
                .filter(m -> m.asJsonObject().getString("direction").equals("IN")).count());
    }

    @Test
    void wrongCredentialsAreRefusedAndNothingIsStored() {
        String me = "41790611010";
        Http.Response r = anonymous.post(WEBHOOK, inbound("wamid.bad", me, text("hours"), Json.createObjectBuilder().build()),
                "application/json", Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("infobip:wrong".getBytes())));
        assertEquals(401, r.status());
        assertEquals(0, admin.get("/api/sessions?connection=wa&contact=%2B" + me).expect(200).jsonArray().size());
    }
}
