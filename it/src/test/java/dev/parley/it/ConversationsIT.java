package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code infobip-conversations} connection through the real server, with Infobip stood in by WireMock (every
 * request checked against Infobip's published Conversations and Subscriptions specs): which conversations the AI
 * answers (assigned to it, to a human, unassigned with the toggle off and on, reassigned), replies through the
 * messages API as the AI agent, the handoff requests, closed conversations, duplicate events, verify and the event
 * subscription. Each test uses its own conversation ids.
 */
@ExtendWith(SharedParleyExtension.class)
class ConversationsIT {

    private static final Map<String, String> BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));
    private static final String AI = SharedParley.AI_AGENT;
    private static final String OUR_NUMBER = "447860099299";
    private static final AtomicInteger IDS = new AtomicInteger();

    WireMockServer infobip;
    Http admin;
    Http anonymous;

    @BeforeEach
    void setUp(WireMockServer infobip, Http admin) {
        this.infobip = infobip;
        this.admin = admin;
        this.anonymous = SharedParley.anonymous();
        InfobipSmsIT.awaitRunning(admin, "conv");
        InfobipSmsIT.awaitRunning(admin, "convu");
        // Replies into any conversation are accepted and answered as Infobip's message model.
        infobip.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/ccaas/1/conversations/[^/]+/messages"))
                .atPriority(8).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"id\":\"msg-{{randomValue length=12 type='ALPHANUMERIC'}}\",\"channel\":\"WHATSAPP\","
                                + "\"from\":\"{{jsonPath request.body '$.from'}}\",\"to\":\"{{jsonPath request.body '$.to'}}\","
                                + "\"direction\":\"OUTBOUND\",\"conversationId\":\"{{request.pathSegments.[3]}}\","
                                + "\"authorId\":\"" + AI + "\",\"authorType\":\"AGENT\",\"createdAt\":\"2026-11-30T10:10:01.000+0000\","
                                + "\"updatedAt\":\"2026-11-30T10:10:01.000+0000\",\"content\":{\"text\":\"x\"},\"contentType\":\"TEXT\"}")));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String newConversation() {
        return "conv-it-" + IDS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    private static JsonObjectBuilder payload(String conversation, String status, String assignee) {
        JsonObjectBuilder p = Json.createObjectBuilder().add("id", conversation).add("shortId", "S1").add("status", status)
                .add("queue", Json.createObjectBuilder().add("id", "queue-1").add("name", "Support"))
                .add("priority", "NORMAL").add("channel", "WHATSAPP").add("direction", "INBOUND")
                .add("customer", Json.createObjectBuilder().add("id", "cust-1").add("name", "Ada Customer").add("personId", "p-1"))
                .add("form", JsonValue.NULL).add("tags", Json.createArrayBuilder())
                .add("invoker", Json.createObjectBuilder().add("type", "SYSTEM").add("id", "system").add("name", "System"));
        if (assignee == null) {
            p.add("assignee", JsonValue.NULL);
        } else {
            p.add("assignee", Json.createObjectBuilder().add("id", assignee)
                    .add("name", assignee.equals(AI) ? "Parley AI" : "Ana Agent").add("email", "x@acme.test")
                    .add("role", assignee.equals(AI) ? "BOT" : "AGENT"));
        }
        return p;
    }

    private static String envelope(String type, String timestamp, JsonObjectBuilder payload) {
        return Json.createObjectBuilder().add("type", type).add("timestamp", timestamp).add("payload", payload).build().toString();
    }

    private static String message(String conversation, String messageId, String status, String assignee, String text) {
        JsonObjectBuilder p = payload(conversation, status, assignee).add("message", Json.createObjectBuilder()
                .add("id", messageId).add("messageId", messageId).add("channel", "WHATSAPP").add("from", "385911234567")
                .add("to", OUR_NUMBER).add("conversationId", conversation).add("createdAt", now())
                .add("updatedAt", now()).add("content", Json.createObjectBuilder().add("text", text)));
        return envelope("INBOUND_MESSAGE", now(), p);
    }

    private static String now() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .format(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
    }

    private Http.Response deliver(String connection, String body) {
        return anonymous.post("/channel/" + connection + "/webhook/events", body, "application/json", BASIC);
    }

    private Http.Response say(String connection, String conversation, String status, String assignee, String text) {
        return deliver(connection, message(conversation, "m-" + IDS.incrementAndGet() + "-" + System.nanoTime(), status, assignee, text));
    }

    private Http.Response assign(String connection, String conversation, String assignee) {
        return deliver(connection, envelope("CONVERSATION_ASSIGNMENT_UPDATED", now(), payload(conversation, "OPEN", assignee)));
    }

    private List<LoggedRequest> replies(String conversation) {
        return infobip.findAll(postRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + conversation + "/messages")));
    }

    private List<String> awaitReplies(String conversation, int count) {
        return Await.value(SharedParley.PATIENCE, () -> {
            List<LoggedRequest> r = replies(conversation);
            return r.size() >= count ? r.stream().map(x -> json(x).getJsonObject("content").getString("text")).toList() : null;
        }, count + " replies into " + conversation);
    }

    private static JsonObject json(LoggedRequest r) {
        return Json.createReader(new StringReader(r.getBodyAsString())).readObject();
    }

    private JsonObject session(String connection, String conversation) {
        var sessions = admin.get("/api/sessions?connection=" + connection + "&contact=" + conversation).expect(200).jsonArray();
        long id = sessions.stream().mapToLong(v -> v.asJsonObject().getJsonNumber("id").longValue()).max().orElseThrow();
        return admin.get("/api/sessions/" + id).expect(200).json();
    }

    private static String detail(JsonObject session, String kind) {
        return Conversations.timelineEntry(session, kind).map(e -> e.getString("detail", "")).orElse(null);
    }

    /** Gives a reply that is not coming time to show up: the bot answers the shared server in well under this. */
    private static void quietly() throws InterruptedException {
        Thread.sleep(1500);
    }

    // ---- which conversations the AI answers ----------------------------------------------------------

    @Test
    void aConversationAssignedToTheAiIsAnsweredThroughTheMessagesApiAsTheAiAgent() {
        String c = newConversation();
        say("conv", c, "OPEN", AI, "hours").expect(200);
        assertEquals(List.of("We are open 9-17."), awaitReplies(c, 1));
        LoggedRequest reply = replies(c).get(0);
        assertEquals(AI, reply.getHeader("x-agent-id"));
        JsonObject body = json(reply);
        assertEquals("WHATSAPP", body.getString("channel"));
        assertEquals(OUR_NUMBER, body.getString("from"));
        assertEquals("385911234567", body.getString("to"));
        assertEquals("TEXT", body.getString("contentType"));
        JsonObject session = session("conv", c);
        assertEquals("Ada Customer", session.getJsonObject("session").getString("contactName", null));
    }

    @Test
    void aConversationAssignedToAHumanIsNotAnsweredAndTheSessionSaysWhy() throws Exception {
        String c = newConversation();
        say("conv", c, "OPEN", "agent-ana", "hours").expect(200);
        quietly();
        assertTrue(replies(c).isEmpty(), "the AI wrote into a human's conversation");
        String why = detail(session("conv", c), "AI_STAYS_OUT");
        assertTrue(why != null && why.contains("agent-ana") && why.contains(AI), String.valueOf(why));
    }

    @Test
    void anUnassignedConversationIsLeftAloneWithTheToggleOffAndTakenWithItOn() throws Exception {
        String off = newConversation();
        say("conv", off, "OPEN", null, "hours").expect(200);
        String on = newConversation();
        infobip.stubFor(put(urlPathEqualTo("/ccaas/1/conversations/" + on + "/assignee")).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + on + "\",\"status\":\"OPEN\",\"agentId\":\"" + AI + "\"}")));
        say("convu", on, "OPEN", null, "hours").expect(200);

        assertEquals(List.of("We are open 9-17."), awaitReplies(on, 1));
        List<LoggedRequest> assigned = infobip.findAll(putRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + on + "/assignee")));
        assertEquals(1, assigned.size());
        assertEquals(AI, json(assigned.get(0)).getString("agentId"));
        assertTrue(assigned.get(0).getLoggedDate().before(replies(on).get(0).getLoggedDate()), "assigned before the reply");

        assertTrue(replies(off).isEmpty());
        String why = detail(session("conv", off), "AI_STAYS_OUT");
        assertTrue(why != null && why.contains("handle-unassigned is off"), String.valueOf(why));
    }

    @Test
    void aHumanTakingOverSilencesTheAiAndReassigningItToTheAiResumesIt() throws Exception {
        String c = newConversation();
        say("conv", c, "OPEN", AI, "hours").expect(200);
        awaitReplies(c, 1);
        assign("conv", c, "agent-ana").expect(200);
        say("conv", c, "OPEN", "agent-ana", "hours again").expect(200);
        quietly();
        assertEquals(1, replies(c).size(), "the AI answered while a human had the conversation");
        JsonObject session = session("conv", c);
        assertTrue(Conversations.timelineKinds(session).contains("AI_STAYS_OUT"), Conversations.timelineKinds(session).toString());

        assign("conv", c, AI).expect(200);
        say("conv", c, "OPEN", AI, "hours").expect(200);
        assertEquals(2, awaitReplies(c, 2).size());
        assertTrue(Conversations.timelineKinds(session("conv", c)).contains("ASSIGNED_TO_AI"));
    }

    /**
     * Infobip accepts a handoff's calls on conversation {@code c}: the account's tags (with the handoff tag or without
     * it, then its creation), tagging, the note and the unassign.
     */
    private void acceptsHandoff(String c, boolean tagExists) {
        String tag = tagExists ? "parley_handed_off" : "vip";
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/tags")).atPriority(5)
                .willReturn(okJson("{\"tags\":[{\"id\":\"t1\",\"name\":\"" + tag + "\"}],\"pagination\":{\"totalItems\":1,"
                        + "\"page\":0,\"limit\":10,\"orderBy\":\"name:asc\"}}")));
        infobip.stubFor(post(urlPathEqualTo("/ccaas/1/tags")).atPriority(5)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"t2\",\"name\":\"parley_handed_off\"}")));
        infobip.stubFor(post(urlPathEqualTo("/ccaas/1/conversations/" + c + "/tags")).atPriority(5)
                .willReturn(okJson("{\"id\":\"t2\",\"name\":\"parley_handed_off\"}")));
        infobip.stubFor(post(urlPathEqualTo("/ccaas/1/conversations/" + c + "/notes")).atPriority(5)
                .willReturn(okJson("{\"id\":\"n1\",\"conversationId\":\"" + c + "\",\"agentId\":\"" + AI
                        + "\",\"content\":\"x\",\"type\":\"INTERNAL\"}")));
        infobip.stubFor(delete(urlPathEqualTo("/ccaas/1/conversations/" + c + "/assignee")).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + c + "\",\"status\":\"OPEN\"}")));
    }

    // ---- handoff --------------------------------------------------------------------------------------

    @Test
    void aHandoffTagsNotesAndUnassignsAndTheAiResumesWhenTheConversationIsGivenBack() throws Exception {
        String c = newConversation();
        acceptsHandoff(c, false);

        say("conv", c, "OPEN", AI, "hours").expect(200);
        awaitReplies(c, 1);
        say("conv", c, "OPEN", AI, "human").expect(200);
        Await.until(SharedParley.PATIENCE, () -> !infobip.findAll(deleteRequestedFor(
                urlPathEqualTo("/ccaas/1/conversations/" + c + "/assignee"))).isEmpty(), "the AI unassigned");

        List<LoggedRequest> tagged = infobip.findAll(postRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c + "/tags")));
        assertEquals("parley_handed_off", json(tagged.get(0)).getString("tagName"));
        List<LoggedRequest> notes = infobip.findAll(postRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c + "/notes")));
        assertEquals(1, notes.size());
        JsonObject note = json(notes.get(0));
        assertEquals("INTERNAL", note.getString("type"));
        assertEquals(AI, note.getString("agentId"));
        String content = note.getJsonObject("content").getString("text");
        assertTrue(content.contains("Reason:") && content.contains("Sentiment:") && content.contains("Language:")
                && content.contains("Summary:"), content);
        assertTrue(content.length() <= 4000);
        assertTrue(tagged.get(0).getLoggedDate().compareTo(notes.get(0).getLoggedDate()) <= 0, "tag, then note, then unassign");
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(session("conv", c)).contains("HANDOFF_OPENED")
                || Conversations.timelineKinds(session("conv", c)).stream().anyMatch(k -> k.startsWith("DESK")), "handoff recorded");

        // During the handoff the AI is silent, even though the conversation is unassigned now.
        int before = replies(c).size();
        assign("conv", c, null).expect(200);
        say("conv", c, "OPEN", null, "hours").expect(200);
        quietly();
        assertEquals(before, replies(c).size(), "the AI spoke during the handoff");

        // Given back to the AI: the same session, the bot answers again.
        assign("conv", c, AI).expect(200);
        Await.until(SharedParley.PATIENCE, () -> Conversations.timelineKinds(session("conv", c)).contains("AI_RESUMED"), "resumed");
        say("conv", c, "OPEN", AI, "hours").expect(200);
        assertEquals("We are open 9-17.", awaitReplies(c, before + 1).get(before));
    }

    @Test
    void aHandoffOnAConnectionWithAQueueMovesTheConversationThere() {
        String c = newConversation();
        acceptsHandoff(c, true);
        infobip.stubFor(patch(urlPathEqualTo("/ccaas/1/conversations/" + c)).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + c + "\",\"status\":\"OPEN\",\"queueId\":\"queue-humans\"}")));
        say("convu", c, "OPEN", AI, "human").expect(200);
        try {
            Await.until(SharedParley.PATIENCE, () -> !infobip.findAll(deleteRequestedFor(
                    urlPathEqualTo("/ccaas/1/conversations/" + c + "/assignee"))).isEmpty(), "the AI unassigned");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; session: " + session("convu", c).getJsonArray("timeline"), e);
        }
        List<LoggedRequest> moved = infobip.findAll(patchRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c)));
        assertEquals(1, moved.size());
        assertEquals("queue-humans", json(moved.get(0)).getString("queueId"));
    }

    // ---- closed conversations -------------------------------------------------------------------------

    @Test
    void aClosedConversationGetsNoWriteAndItsSessionEnds() throws Exception {
        String c = newConversation();
        say("conv", c, "OPEN", AI, "hours").expect(200);
        awaitReplies(c, 1);
        deliver("conv", envelope("CONVERSATION_STATUS_UPDATED", now(), payload(c, "CLOSED", AI))).expect(200);
        Await.until(SharedParley.PATIENCE, () -> "CLOSED".equals(session("conv", c).getJsonObject("session").getString("state")), "session CLOSED");
        say("conv", c, "CLOSED", AI, "hours").expect(200);
        quietly();
        assertEquals(1, replies(c).size(), "the AI wrote into a closed conversation");
        String why = detail(session("conv", c), "AI_STAYS_OUT");
        assertTrue(why != null && why.contains("CLOSED"), String.valueOf(why));
    }

    @Test
    void infobipsClosedConversationRefusalFailsTheReplyOnceWithTheReason() {
        String c = newConversation();
        infobip.stubFor(post(urlPathEqualTo("/ccaas/1/conversations/" + c + "/messages")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"BAD_REQUEST\",\"text\":\"Closed conversation cannot be changed\"}}}")));
        say("conv", c, "OPEN", AI, "hours").expect(200);
        Await.until(SharedParley.PATIENCE, () -> session("conv", c).getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .anyMatch(m -> m.getString("direction").equals("OUT") && m.getString("status").equals("FAILED")), "reply FAILED");
        JsonObject out = session("conv", c).getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals("OUT")).findFirst().orElseThrow();
        assertTrue(out.toString().contains("closed"), out.toString());
        assertEquals(1, replies(c).size(), "a refused write to a closed conversation was retried");
    }

    // ---- media ---------------------------------------------------------------------------------------------

    @Test
    void anImageInAConversationEventIsCopiedAndTheBotStillAnswers() {
        String c = newConversation();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        infobip.stubFor(get(urlPathEqualTo("/files/" + c + ".png")).atPriority(5)
                .withHeader("Authorization", equalTo("App it-infobip-key"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(png)));
        String url = SharedParley.wireMockUrl() + "/files/" + c + ".png";
        JsonObjectBuilder p = payload(c, "OPEN", AI).add("message", Json.createObjectBuilder()
                .add("id", "img-" + c).add("messageId", "img-" + c).add("channel", "WHATSAPP").add("from", "385911234567")
                .add("to", OUR_NUMBER).add("conversationId", c).add("createdAt", now()).add("contentType", "IMAGE")
                .add("content", Json.createObjectBuilder().add("url", url).add("caption", "hours")));
        deliver("conv", envelope("INBOUND_MESSAGE", now(), p)).expect(200);
        assertEquals(List.of("We are open 9-17."), awaitReplies(c, 1));
        JsonObject session = session("conv", c);
        String copied = detail(session, "MEDIA_COPIED");
        assertTrue(copied != null && copied.contains("image/png"), Conversations.timelineKinds(session).toString());
        JsonObject in = session.getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals("IN")).findFirst().orElseThrow();
        String link = in.getJsonObject("content").getJsonArray("attachments").getJsonObject(0).getString("link");
        assertTrue(link.contains("/media/"), link);
    }

    @Test
    void whenTheCopyFailsTheLinkIsKeptAndTheTimelineSaysWhy() {
        String c = newConversation();
        infobip.stubFor(get(urlPathEqualTo("/files/" + c + ".png")).atPriority(5).willReturn(aResponse().withStatus(410)));
        String url = SharedParley.wireMockUrl() + "/files/" + c + ".png";
        JsonObjectBuilder p = payload(c, "OPEN", AI).add("message", Json.createObjectBuilder()
                .add("id", "img-" + c).add("messageId", "img-" + c).add("channel", "WHATSAPP").add("from", "385911234567")
                .add("to", OUR_NUMBER).add("conversationId", c).add("createdAt", now()).add("contentType", "IMAGE")
                .add("content", Json.createObjectBuilder().add("url", url)));
        deliver("conv", envelope("INBOUND_MESSAGE", now(), p)).expect(200);
        Await.until(SharedParley.PATIENCE, () -> detail(session("conv", c), "MEDIA_NOT_COPIED") != null, "MEDIA_NOT_COPIED");
        assertTrue(detail(session("conv", c), "MEDIA_NOT_COPIED").contains("expires"));
    }

    // ---- resolve -----------------------------------------------------------------------------------------

    private void resolvingBotSays(String customerText, String reply) {
        infobip.stubFor(post(urlPathEqualTo("/crasa/webhooks/rest/webhook")).atPriority(5)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.message", equalTo(customerText)))
                .willReturn(okJson("[{\"text\":\"" + reply + "\"},{\"custom\":{\"parley\":\"resolve\",\"reason\":\"answered\"}}]")));
    }

    private void conversationAtInfobip(String c, String agentId) {
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/conversations/" + c)).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + c + "\",\"status\":\"OPEN\",\"priority\":\"NORMAL\",\"agentId\":\"" + agentId
                        + "\",\"createdAt\":\"2026-11-30T10:00:00.000+0000\",\"updatedAt\":\"2026-11-30T10:00:00.000+0000\"}")));
        infobip.stubFor(patch(urlPathEqualTo("/ccaas/1/conversations/" + c)).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + c + "\",\"status\":\"CLOSED\",\"priority\":\"NORMAL\"}")));
    }

    @Test
    void whenTheBotResolvesTheConversationIsClosedAfterTheLastReply() {
        String c = newConversation();
        resolvingBotSays("thanks, that is all " + c, "Glad I could help!");
        conversationAtInfobip(c, AI);
        say("convr", c, "OPEN", AI, "thanks, that is all " + c).expect(200);
        assertEquals(List.of("Glad I could help!"), awaitReplies(c, 1));
        Await.until(SharedParley.PATIENCE, () -> !infobip.findAll(patchRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c))).isEmpty(),
                "the conversation closed");
        List<LoggedRequest> closes = infobip.findAll(patchRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c)));
        assertEquals(1, closes.size());
        assertEquals("CLOSED", json(closes.get(0)).getString("status"));
        assertTrue(replies(c).get(0).getLoggedDate().compareTo(closes.get(0).getLoggedDate()) <= 0, "closed after the reply");
        JsonObject session = session("convr", c);
        assertEquals("RESOLVED", session.getJsonObject("session").getString("state"));
        assertTrue(String.valueOf(detail(session, "CONVERSATION_CLOSED")).contains("closed conversation " + c),
                Conversations.timelineKinds(session).toString());
    }

    @Test
    void aResolvedConversationAHumanOwnsByThenIsLeftOpenAndTheTimelineSaysWhy() throws Exception {
        String c = newConversation();
        resolvingBotSays("bye " + c, "Bye!");
        conversationAtInfobip(c, "agent-ana");
        say("convr", c, "OPEN", AI, "bye " + c).expect(200);
        awaitReplies(c, 1);
        Await.until(SharedParley.PATIENCE, () -> detail(session("convr", c), "CONVERSATION_CLOSED") != null, "the close step");
        String line = detail(session("convr", c), "CONVERSATION_CLOSED");
        assertTrue(line.contains("left open") && line.contains("agent-ana"), line);
        quietly();
        assertTrue(infobip.findAll(patchRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c))).isEmpty(),
                "closed a conversation a human owns");
    }

    @Test
    void theHandoffTextStillReachesTheCustomerRightAfterTheAiUnassignedItself() {
        String c = newConversation();
        acceptsHandoff(c, true);
        say("conv", c, "OPEN", AI, "human").expect(200);
        // the handoff confirmation follows the unassign, and is posted as the AI agent
        List<String> texts = awaitReplies(c, 1);
        assertTrue(texts.get(0).toLowerCase(java.util.Locale.ROOT).contains("team"), texts.toString());
        assertTrue(infobip.findAll(deleteRequestedFor(urlPathEqualTo("/ccaas/1/conversations/" + c + "/assignee"))).get(0)
                .getLoggedDate().compareTo(replies(c).get(0).getLoggedDate()) <= 0);
    }

    // ---- duplicates, credentials ----------------------------------------------------------------------

    @Test
    void aRepeatedEventDeliveryIsAnsweredOnce() throws Exception {
        String c = newConversation();
        String event = message(c, "dup-" + System.nanoTime(), "OPEN", AI, "hours");
        deliver("conv", event).expect(200);
        deliver("conv", event).expect(200);
        awaitReplies(c, 1);
        quietly();
        assertEquals(1, replies(c).size());
        assertEquals(1, session("conv", c).getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("direction").equals("IN")).count());
    }

    @Test
    void eventsWithoutTheSubscriptionsCredentialsAreRefused() {
        String c = newConversation();
        assertEquals(401, anonymous.post("/channel/conv/webhook/events", message(c, "m-x", "OPEN", AI, "hours"),
                "application/json", Map.of()).status());
        assertTrue(admin.get("/api/sessions?connection=conv&contact=" + c).expect(200).jsonArray().isEmpty());
    }

    // ---- verify and subscription ----------------------------------------------------------------------

    @Test
    void verifySaysWhichScopeAKeyLacks() {
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/conversations")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"FORBIDDEN\",\"text\":\"Forbidden\"}}}")));
        try {
            JsonObject verify = admin.post("/api/connections/conv/verify").expect(200).json();
            assertFalse(verify.getBoolean("ok"), verify.toString());
            String detail = verify.toString();
            assertTrue(detail.contains("conversations:manage") && detail.contains("API keys"), detail);
        } finally {
            infobip.removeStub(infobip.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1
                    && s.getRequest().getUrlPath() != null && s.getRequest().getUrlPath().equals("/ccaas/1/conversations"))
                    .findFirst().orElseThrow());
        }
        JsonObject again = admin.post("/api/connections/conv/verify").expect(200).json();
        assertTrue(again.getBoolean("ok"), again.toString());
    }

    @Test
    void anUnknownAiAgentIdIsNamed() {
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/agents/" + AI)).atPriority(1)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Agent not found\"}}}")));
        try {
            JsonObject verify = admin.post("/api/connections/conv/verify").expect(200).json();
            assertFalse(verify.getBoolean("ok"));
            assertTrue(verify.toString().contains("ai-agent-id") && verify.toString().contains(AI), verify.toString());
        } finally {
            infobip.removeStub(infobip.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1
                    && ("/ccaas/1/agents/" + AI).equals(s.getRequest().getUrlPath())).findFirst().orElseThrow());
        }
    }

    @Test
    void theSubscriptionIsCreatedAtStartPointingAtTheEventsWebhookAndRemovedOnUnregister() {
        admin.post("/api/connections/convu/stop?unregister=true").expect(200);
        List<LoggedRequest> deleted = infobip.findAll(deleteRequestedFor(
                urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT/parley-convu")));
        assertEquals(1, deleted.size());
        int createdBefore = creates("parley-convu").size();
        admin.post("/api/connections/convu/start").expect(200);
        InfobipSmsIT.awaitRunning(admin, "convu");
        List<LoggedRequest> created = creates("parley-convu");
        assertEquals(createdBefore + 1, created.size());
        JsonObject body = json(created.get(created.size() - 1));
        assertEquals("parley-convu", body.getString("subscriptionId"));
        assertTrue(body.getJsonArray("events").toString().contains("CONVERSATION_MESSAGE_RECEIVED"));
        JsonObject profile = body.getJsonObject("profile");
        assertTrue(profile.getJsonObject("webhook").getString("notifyUrl").endsWith("/channel/convu/webhook/events"));
        JsonObject security = profile.getJsonObject("security");
        assertEquals("BASIC", security.getString("type"));
        assertEquals("infobip", security.getJsonObject("credentials").getString("username"));
        assertEquals("it-hook-secret", security.getJsonObject("credentials").getString("password"));
        assertFalse(admin.get("/api/connections/convu").expect(200).body().contains("it-hook-secret"));
    }

    @Test
    void anExistingSubscriptionWithTheRightUrlIsNotCreatedAgain() {
        String url = SharedParley.server().baseUrl() + "/channel/conv/webhook/events";
        infobip.stubFor(get(urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT")).atPriority(1)
                .willReturn(okJson("{\"results\":[{\"subscriptionId\":\"parley-conv\",\"name\":\"parley-conv\",\"profile\":{\"profileId\":\"parley-conv\"},"
                        + "\"events\":[\"CONVERSATION_MESSAGE_RECEIVED\"]}],\"paging\":{\"page\":0,\"size\":100,\"totalPages\":1,\"totalResults\":1}}")));
        infobip.stubFor(get(urlPathEqualTo("/subscriptions/1/profiles/parley-conv")).atPriority(1)
                .willReturn(okJson("{\"profileId\":\"parley-conv\",\"webhook\":{\"contentType\":\"application/json\",\"notifyUrl\":\"" + url + "\"}}")));
        try {
            int before = creates("parley-conv").size();
            JsonObject setup = admin.post("/api/connections/conv/setup").expect(200).json();
            assertTrue(setup.toString().contains("active"), setup.toString());
            assertEquals(before, creates("parley-conv").size(), "created a second subscription");
            assertTrue(infobip.findAll(getRequestedFor(urlPathEqualTo("/subscriptions/1/profiles/parley-conv"))).size() >= 1);
        } finally {
            infobip.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1).toList()
                    .forEach(infobip::removeStub);
        }
    }

    private List<LoggedRequest> creates(String id) {
        return infobip.findAll(postRequestedFor(urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.subscriptionId", equalTo(id))));
    }
}
