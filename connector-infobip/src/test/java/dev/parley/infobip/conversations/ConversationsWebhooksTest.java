package dev.parley.infobip.conversations;

import dev.parley.infobip.http.MediaCopier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.infobip.whatsapp.WhatsAppWebhooks;
import dev.parley.spi.Attachment;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Infobip's conversation-event webhook as the SPI's events: every example of the spec, assignment, closing, bad input. */
class ConversationsWebhooksTest {

    static final String AI = "a1a1a1a1-0000-4000-8000-000000000001";
    static final String HUMAN = "fbcfe58e-a5c3-3a80-b569-f631dbb27c41"; // the spec's example assignee
    static final JsonObject EXAMPLES = examples();

    private final List<String> copied = new ArrayList<>();
    private final MediaCopier copier = (kind, url, caption) -> {
        copied.add(kind + " " + url);
        return new Attachment(kind, "media-" + copied.size(), URI.create(url), "image/png", null, 10L, caption, null);
    };

    private static JsonObject examples() {
        try (InputStream in = ConversationsWebhooksTest.class.getResourceAsStream("/infobip/conversations-webhook-examples.json")) {
            return Jsons.parse(in.readAllBytes()).asJsonObject().getJsonObject("examples");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebhookBatch parse(String body) {
        return ConversationsWebhooks.events(body.getBytes(StandardCharsets.UTF_8), AI, copier);
    }

    private InboundEvent one(String body) {
        WebhookBatch b = parse(body);
        assertEquals(List.of(), b.skipped());
        assertEquals(1, b.events().size());
        return b.events().get(0);
    }

    private static String example(String type) {
        return EXAMPLES.getJsonObject(type).toString();
    }

    /** An example with a payload field replaced (JSON text of the value). */
    private static String with(String type, String field, String json) {
        JsonObject e = EXAMPLES.getJsonObject(type);
        JsonObject payload = Jsons.BUILDERS.createObjectBuilder(e.getJsonObject("payload"))
                .add(field, Jsons.parse(json)).build();
        return Jsons.BUILDERS.createObjectBuilder(e).add("payload", payload).build().toString();
    }

    private static String withTimestamp(String body, String timestamp) {
        JsonObject e = Jsons.parse(body).asJsonObject();
        return Jsons.BUILDERS.createObjectBuilder(e).add("timestamp", timestamp).build().toString();
    }

    @Test
    void everyExampleOfTheSpecIsAcceptedAndEachTypeHasItsOutcome() {
        assertEquals(23, EXAMPLES.size());
        Map<String, Class<?>> mapped = Map.of(
                "INBOUND_MESSAGE", InboundEvent.MessageReceived.class,
                "CONVERSATION_ASSIGNMENT_UPDATED", InboundEvent.AssignmentChanged.class,
                "CONVERSATION_DELETED", InboundEvent.ConversationClosed.class);
        for (String type : EXAMPLES.keySet()) {
            WebhookBatch b = parse(example(type));
            assertEquals(1, b.events().size() + b.skipped().size(), type);
            if (mapped.containsKey(type)) {
                assertEquals(List.of(), b.skipped(), type);
                assertEquals(mapped.get(type), b.events().get(0).getClass(), type);
            } else {
                String reason = b.skipped().get(0);
                assertTrue(reason.startsWith(type + ": "), reason);
                assertFalse(reason.contains("missing") || reason.contains("malformed"), reason);
            }
        }
        // the example's status is OPEN: nothing for Parley
        assertEquals(List.of("CONVERSATION_STATUS_UPDATED: status OPEN needs nothing of Parley"),
                parse(example("CONVERSATION_STATUS_UPDATED")).skipped());
    }

    @Test
    void eventsParleyNeedsNothingFromAreIgnoredNotCountedAsRefused() {
        String body = "[" + example("CONVERSATION_CREATED") + "," + example("CONVERSATION_STATUS_UPDATED") + ",42]";
        ConversationsWebhooks.Parsed p = ConversationsWebhooks.parse(body.getBytes(StandardCharsets.UTF_8), AI, copier);
        assertEquals(3, p.batch().skipped().size(), p.batch().skipped().toString());
        // Only the item that is no event at all stays skipped; the created and reopened conversations need nothing.
        assertEquals(List.of("[2] not a JSON object"), p.withoutIgnored().skipped());
        assertEquals(2, p.facts().size(), "both still update the conversation's state");
    }

    @Test
    void anInboundMessageIsTheCustomersWithItsConversationAndChannel() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) one(example("INBOUND_MESSAGE"));
        assertEquals("f74f3515-2a8d-481a-9bd1-36ee1f905585", m.providerMessageId());
        assertEquals("msg:f74f3515-2a8d-481a-9bd1-36ee1f905585", m.dedupKey());
        assertEquals("d21806c0-279e-418d-8caf-b96223fd8392", m.from());
        assertEquals("a48d5aad-f584-41c6-b5e3-c1e3a43b52d2", m.to());
        assertEquals("Customer Name", m.contactName());
        assertEquals("2025-03-21T13:12:06.495Z", m.receivedAt().toInstant().toString());
        // the message's own conversationId wins over payload.id (the spec's examples differ)
        assertEquals("b9263ee4-93b9-4352-912a-3b558f751276", ConversationsWebhooks.conversationId(m));
        JsonObject carried = Jsons.parse(m.content().structured()).asJsonObject();
        assertEquals("LIVE_CHAT", carried.getString("channel"));
        assertEquals(HUMAN, carried.getString("assigneeId"));
        assertEquals("the message has no content", m.content().unsupported()); // the spec's content is {}

        ConversationsRequests.ReplyRoute back = ConversationsRequests.ReplyRoute.back(carried.getString("channel"), m.from(), m.to());
        assertEquals(new ConversationsRequests.ReplyRoute("LIVE_CHAT", m.to(), m.from()), back);
    }

    @Test
    void aTextMessageIsPlainTextWithoutCopyingTheContent() {
        String body = example("INBOUND_MESSAGE").replace("\"content\":{}", "\"content\":{\"text\":\"Where is my order?\"}");
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) one(body);
        assertEquals("Where is my order?", m.text());
        assertEquals("TEXT", m.content().type());
        assertNull(m.content().unsupported());
        assertFalse(Jsons.parse(m.content().structured()).asJsonObject().containsKey("content"));
    }

    @Test
    void mediaIsCopiedThroughTheCopier() {
        String body = example("INBOUND_MESSAGE").replace("\"content\":{}",
                "\"contentType\":\"IMAGE\",\"content\":{\"url\":\"https://acme.api.infobip.com/media/1\",\"caption\":\"my cat\"}");
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) one(body);
        assertEquals(List.of("IMAGE https://acme.api.infobip.com/media/1"), copied);
        assertEquals("my cat", m.text());
        assertEquals("IMAGE", m.content().type());
        assertEquals("media-1", m.content().attachments().get(0).mediaId());
        // the webhook's message has no content type in the spec: a bare link is a FILE
        m = (InboundEvent.MessageReceived) one(example("INBOUND_MESSAGE").replace("\"content\":{}",
                "\"content\":{\"url\":\"https://acme.api.infobip.com/media/2\"}"));
        assertEquals("FILE", m.content().attachments().get(0).kind());
        assertEquals("", m.text());
    }

    @Test
    void anAssignmentSaysWhetherTheAiAgentNowOwnsTheConversation() {
        String type = "CONVERSATION_ASSIGNMENT_UPDATED";
        String conversation = "b9263ee4-93b9-4352-912a-3b558f751276";
        InboundEvent.AssignmentChanged human = (InboundEvent.AssignmentChanged) one(example(type));
        assertEquals(new InboundEvent.AssignmentChanged(conversation + ":2025-10-31T13:47:40.032+00:00:" + HUMAN,
                conversation, HUMAN, false), human);

        InboundEvent.AssignmentChanged ai = (InboundEvent.AssignmentChanged) one(with(type, "assignee",
                "{\"id\":\"" + AI.toUpperCase() + "\",\"name\":\"Parley\",\"role\":\"BOT\"}"));
        assertTrue(ai.toBot(), "ids compare without case");
        assertEquals(AI.toUpperCase(), ai.assignee());

        for (String none : new String[] {"{}", "null", "{\"id\":\"\"}"}) {
            InboundEvent.AssignmentChanged unassigned = (InboundEvent.AssignmentChanged) one(with(type, "assignee", none));
            assertNull(unassigned.assignee(), none);
            assertFalse(unassigned.toBot(), none);
            assertEquals("assign:" + conversation + ":2025-10-31T13:47:40.032+00:00:unassigned", unassigned.dedupKey());
        }
        // without a configured AI agent nothing is the bot's
        assertFalse(((InboundEvent.AssignmentChanged) ConversationsWebhooks.events(with(type, "assignee",
                "{\"id\":\"" + AI + "\"}").getBytes(StandardCharsets.UTF_8), null, copier).events().get(0)).toBot());
    }

    @Test
    void closedSolvedAndDeletedEndTheConversationOnce() {
        String type = "CONVERSATION_STATUS_UPDATED";
        String conversation = "b9263ee4-93b9-4352-912a-3b558f751276";
        String closed = with(type, "status", "\"CLOSED\"");
        InboundEvent.ConversationClosed c = (InboundEvent.ConversationClosed) one(closed);
        assertEquals(conversation, c.conversationRef());
        assertEquals("close:" + conversation + ":CLOSED", c.dedupKey());
        // a conversation closes once: a re-sent event (even re-stamped) is the same event
        assertEquals(c.dedupKey(), one(withTimestamp(closed, "2025-10-31T14:00:00.000+00:00")).dedupKey());

        String solved = with(type, "status", "\"SOLVED\"");
        InboundEvent s1 = one(solved);
        assertEquals("close:" + conversation + ":SOLVED:2025-10-31T13:47:40.032+00:00", s1.dedupKey());
        assertEquals(s1.dedupKey(), one(solved).dedupKey());
        // SOLVED can be reopened and solved again: a later one is another event
        assertNotEquals(s1.dedupKey(), one(withTimestamp(solved, "2025-11-01T09:00:00.000+00:00")).dedupKey());

        for (String status : new String[] {"OPEN", "WAITING", "PENDING"}) {
            assertEquals(List.of(type + ": status " + status + " needs nothing of Parley"),
                    parse(with(type, "status", "\"" + status + "\"")).skipped());
        }
        InboundEvent deleted = one(example("CONVERSATION_DELETED"));
        assertEquals("close:d1d1de2e-d8dc-4ad7-970e-acca0035e19d:DELETED", deleted.dedupKey());
    }

    @Test
    void duplicatesShareTheirKeyAndDifferentEventsDoNot() {
        InboundEvent a = one(example("INBOUND_MESSAGE"));
        assertEquals(a.dedupKey(), one(example("INBOUND_MESSAGE")).dedupKey());
        InboundEvent other = one(example("INBOUND_MESSAGE").replace("\"id\":\"f74f3515-2a8d-481a-9bd1-36ee1f905585\"",
                "\"id\":\"00000000-2a8d-481a-9bd1-36ee1f905585\""));
        assertNotEquals(a.dedupKey(), other.dedupKey());
        // without message.id, its messageId is the key
        InboundEvent noId = one(example("INBOUND_MESSAGE").replace("\"id\":\"f74f3515-2a8d-481a-9bd1-36ee1f905585\",", ""));
        assertEquals(a.dedupKey(), noId.dedupKey());

        String type = "CONVERSATION_ASSIGNMENT_UPDATED";
        InboundEvent toHuman = one(example(type));
        assertEquals(toHuman.dedupKey(), one(example(type)).dedupKey());
        assertNotEquals(toHuman.dedupKey(), one(withTimestamp(example(type), "2025-10-31T13:50:00.000+00:00")).dedupKey());
        for (InboundEvent e : List.of(a, toHuman, one(with("CONVERSATION_STATUS_UPDATED", "status", "\"CLOSED\"")))) {
            assertTrue(e.dedupKey().length() <= 300, e.dedupKey()); // the runtime's limit
        }
    }

    @Test
    void malformedItemsAreSkippedWithTheirReasonAndNeverBreakTheBatch() {
        String good = example("INBOUND_MESSAGE");
        String body = "[" + good + ",\"text\",{\"timestamp\":\"t\",\"payload\":{}},"
                + "{\"type\":\"INBOUND_MESSAGE\",\"timestamp\":\"t\"},"
                + "{\"type\":\"INBOUND_MESSAGE\",\"timestamp\":\"t\",\"payload\":{\"id\":\"c\"}},"
                + "{\"type\":\"INBOUND_MESSAGE\",\"timestamp\":\"t\",\"payload\":{\"id\":\"c\",\"message\":{\"id\":\"m\",\"to\":\"x\"}}},"
                + "{\"type\":\"CONVERSATION_ASSIGNMENT_UPDATED\",\"timestamp\":\"t\",\"payload\":\"x\"},"
                + "{\"type\":\"CONVERSATION_ASSIGNMENT_UPDATED\",\"timestamp\":\"t\",\"payload\":{\"assignee\":{\"id\":\"a\"}}},"
                + "{\"type\":\"CONVERSATION_STATUS_UPDATED\",\"timestamp\":\"t\",\"payload\":{\"id\":\"c\"}},"
                + "{\"type\":[1],\"timestamp\":\"t\",\"payload\":{}},"
                + "{\"type\":\"INBOUND_MESSAGE\",\"timestamp\":\"t\",\"payload\":{\"id\":\"c\",\"channel\":\"SMS\",\"message\":{\"id\":\"m\",\"from\":\"1\",\"content\":[1]}}},"
                + good + "]";
        WebhookBatch b = parse(body);
        assertEquals(3, b.events().size(), String.valueOf(b.skipped()));
        assertEquals(List.of(
                "[1] not a JSON object",
                "[2] missing type",
                "[3] INBOUND_MESSAGE: missing payload",
                "[4] INBOUND_MESSAGE: missing payload.message",
                "[5] INBOUND_MESSAGE: missing message.from",
                "[6] CONVERSATION_ASSIGNMENT_UPDATED: missing payload",
                "[7] CONVERSATION_ASSIGNMENT_UPDATED: missing payload.id",
                "[8] CONVERSATION_STATUS_UPDATED: missing payload.status",
                "[9] missing type"), b.skipped());
        // content that is not an object: the message still arrives, marked
        InboundEvent.MessageReceived odd = (InboundEvent.MessageReceived) b.events().get(1);
        assertEquals("the message has no content", odd.content().unsupported());

        assertEquals(List.of("missing timestamp"), parse("{\"type\":\"INBOUND_MESSAGE\",\"payload\":{}}").skipped());
        assertThrows(WebhookRejectedException.class, () -> parse("not json"));
        assertThrows(WebhookRejectedException.class, () -> parse("42"));
        assertEquals(0, parse("[]").events().size());
        assertEquals(JsonValue.ValueType.OBJECT, Jsons.parse(example("INBOUND_MESSAGE")).getValueType());
    }
}
