package dev.parley.zendesk.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagingWebhooksTest {

    static final String SECRET = "hook-SECRET-abc";
    final MessagingWebhooks hooks = new MessagingWebhooks(SECRET);

    private static WebhookRequest request(String apiKey, String body) {
        Map<String, List<String>> headers = apiKey == null ? Map.of() : Map.of("x-api-key", List.of(apiKey));
        return new WebhookRequest("messaging", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(String eventId, String authorType, String source, String metadata, String text) {
        return """
                {"id":"%s","createdAt":"2026-01-01T10:00:00.000Z","type":"conversation:message",
                 "payload":{"conversation":{"id":"conv1","type":"personal"},
                   "message":{"id":"msg-%s","author":{"type":"%s","displayName":"Sam Agent"},
                     "content":{"type":"text","text":"%s"},"source":{"type":"%s"}%s}}}
                """.formatted(eventId, eventId, authorType, text, source, metadata == null ? "" : ",\"metadata\":" + metadata);
    }

    private WebhookBatch receive(String... events) {
        return hooks.receive(request(SECRET, "{\"app\":{\"id\":\"app123\"},\"webhook\":{\"id\":\"w1\",\"version\":\"v2\"},"
                + "\"events\":[" + String.join(",", events) + "]}"));
    }

    @Test
    void aMissingOrWrongApiKeyIsRefusedWithoutTheSecret() {
        for (String key : new String[] {null, "", "hook-SECRET-abd", SECRET + "x"}) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                    () -> hooks.receive(request(key, "{\"events\":[]}")));
            assertEquals(401, e.status());
            assertFalse(e.getMessage().contains(SECRET));
        }
    }

    @Test
    void anUnparseableBodyIs400() {
        for (String body : new String[] {"not json", "[]", "{\"events\":{}}", ""}) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> hooks.receive(request(SECRET, body)));
            assertEquals(400, e.status(), body);
        }
    }

    /**
     * Found by fuzzing: JSON-P (Parsson) throws UnsupportedOperationException for a number of more than 1100
     * characters and a plain RuntimeException for nesting deeper than 1000 levels, which escaped as 500s.
     */
    @Test
    void aTooLongNumberOrTooDeepNestingIs400() {
        String longNumber = "{\"events\":[{\"id\":" + "7".repeat(1200) + ",\"type\":\"switchboard:releaseControl\"}]}";
        String deep = "{\"events\":[" + "{\"a\":".repeat(1001) + "1" + "}".repeat(1001) + "]}";
        for (String body : List.of(longNumber, deep)) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> hooks.receive(request(SECRET, body)));
            assertEquals(400, e.status());
            assertEquals("the body is not usable JSON (a number too long or nesting too deep)", e.getMessage());
        }
    }

    @Test
    void onlyHumanAgentMessagesAreReplies() {
        WebhookBatch batch = receive(
                message("e1", "business", "zd:agentWorkspace", null, "We sent a new one."),
                message("e2", "user", "api:conversations", "{\"parley\":true}", "Any news?"),
                message("e3", "business", "api:conversations", "{\"parley\":true}", "Let me get a colleague."),
                message("e4", "business", "zd:agentWorkspace", "{\"parley\":true}", "echo with our marker"),
                message("e5", "business", "api:conversations", null, "another integration's bot"));
        assertEquals(List.of(new InboundEvent.AgentReplied("sc:e1", "sc:conv1", "We sent a new one.", "Sam Agent")),
                batch.events());
        assertEquals(List.of(), batch.skipped());
    }

    @Test
    void releaseAndPassAwayFromTheAgentWorkspaceCloseTheConversation() {
        WebhookBatch batch = receive("""
                {"id":"e10","type":"switchboard:releaseControl","payload":{"conversation":{"id":"conv1"}}}""", """
                {"id":"e11","type":"switchboard:passControl","payload":{"conversation":{"id":"conv1",
                  "activeSwitchboardIntegration":{"id":"si2","name":"agentWorkspace","integrationType":"zd:agentWorkspace"}}}}""", """
                {"id":"e12","type":"switchboard:passControl","payload":{"conversation":{"id":"conv2",
                  "activeSwitchboardIntegration":{"id":"si1","name":"bot","integrationType":"custom"}},"reason":"ticketClosed"}}""", """
                {"id":"e13","type":"conversation:read","payload":{"conversation":{"id":"conv1"}}}""");
        assertEquals(List.of(new InboundEvent.ConversationClosed("sc:e10", "sc:conv1"),
                new InboundEvent.ConversationClosed("sc:e12", "sc:conv2")), batch.events());
        assertEquals(List.of(), batch.skipped());
    }

    @Test
    void aMalformedEventIsSkippedAndTheOthersKept() {
        WebhookBatch batch = receive(
                "42",
                "{\"type\":\"conversation:message\"}",
                "{\"id\":\"e20\",\"type\":\"conversation:message\",\"payload\":{\"message\":{\"author\":{\"type\":\"business\"}}}}",
                "{\"id\":\"e21\",\"type\":\"switchboard:passControl\",\"payload\":{\"conversation\":{\"id\":\"c\"}}}",
                "{\"id\":\"e22\",\"type\":\"conversation:message\",\"payload\":{\"conversation\":{\"id\":\"c\"},"
                        + "\"message\":{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"carousel\"}}}}",
                message("e23", "business", "zd:agentWorkspace", null, "Still here"));
        assertEquals(1, batch.events().size());
        assertEquals("sc:e23", batch.events().get(0).dedupKey().substring("reply:".length()));
        assertEquals(5, batch.skipped().size(), batch.skipped().toString());
        assertTrue(batch.skipped().get(0).startsWith("events[0]: not an object"));
        assertTrue(batch.skipped().get(1).contains("no id"));
        assertTrue(batch.skipped().get(2).contains("(e20)") && batch.skipped().get(2).contains("conversation.id"));
        assertTrue(batch.skipped().get(3).contains("activeSwitchboardIntegration"));
        assertTrue(batch.skipped().get(4).contains("without text"));
    }

    @Test
    void anImageFromAnAgentKeepsItsUrl() {
        WebhookBatch batch = receive("""
                {"id":"e30","type":"conversation:message","payload":{"conversation":{"id":"conv1"},
                  "message":{"author":{"type":"business","displayName":"Sam"},
                    "content":{"type":"image","mediaUrl":"https://x/label.png"},"source":{"type":"zd:agentWorkspace"}}}}""");
        assertEquals(new InboundEvent.AgentReplied("sc:e30", "sc:conv1", "https://x/label.png", "Sam"), batch.events().get(0));
    }
}
