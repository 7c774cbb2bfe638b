package dev.parley.zendesk.webhook;

import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import dev.parley.zendesk.DeskTestContext;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TicketWebhooksTest {

    /** Zendesk's static test secret, used as-is (not base64-decoded). */
    static final String SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    static final String TS = "2026-01-01T00:00:00Z";

    private final DeskTestContext ctx = DeskTestContext.against("http://localhost:1");
    private List<String> secrets = List.of(SECRET);

    private TicketWebhooks webhooks() {
        return new TicketWebhooks(ctx.zendeskSettings(), ctx, () -> secrets);
    }

    private static WebhookRequest request(String kind, String signature, String timestamp, String body) {
        Map<String, List<String>> h = new HashMap<>();
        if (signature != null) h.put("x-zendesk-webhook-signature", List.of(signature));
        if (timestamp != null) h.put("X-Zendesk-Webhook-Signature-Timestamp", List.of(timestamp));
        return new WebhookRequest(kind, h, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookRequest signed(String kind, String timestamp, String body) {
        return request(kind, TicketWebhooks.sign(SECRET, timestamp, body.getBytes(StandardCharsets.UTF_8)), timestamp, body);
    }

    private WebhookRejectedException rejected(WebhookRequest r) {
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> webhooks().receive(r));
        assertFalse(e.getMessage().contains(SECRET));
        return e;
    }

    @Test
    void theDocumentedVectorSigns() {
        assertEquals("S7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=",
                TicketWebhooks.sign(SECRET, TS, "{\"ticket_id\":\"123\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDocumentedVectorIsAcceptedAndAlteredOnesRefused() {
        String sig = "S7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=";
        // Passes the signature, then fails on the missing external_id: proof the signature was accepted.
        WebhookRejectedException e = rejected(request("ticket", sig, TS, "{\"ticket_id\":\"123\"}"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("missing external_id"));
        // The same vector is a valid assist call.
        WebhookReceiver.WebhookBatch b = webhooks().receive(request("assist", sig, TS, "{\"ticket_id\":\"123\"}"));
        assertEquals(List.of(new InboundEvent.AssistRequested("123@" + TS, "123")), b.events());

        e = rejected(request("ticket", sig, TS, "{\"ticket_id\":\"124\"}"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("wrong signature"));
        e = rejected(request("ticket", "T7S0tADDzB8xvVEBAAYmzULvAoQCf2UJs1hZcuGYW34=", TS, "{\"ticket_id\":\"123\"}"));
        assertEquals(401, e.status());
        e = rejected(request("ticket", sig, "2026-01-01T00:00:01Z", "{\"ticket_id\":\"123\"}"));
        assertEquals(401, e.status());
    }

    /**
     * Found by fuzzing: JSON-P (Parsson) throws UnsupportedOperationException for a number of more than 1100
     * characters and a plain RuntimeException for nesting deeper than 1000 levels, which escaped as 500s.
     */
    @Test
    void aSignedBodyWithATooLongNumberOrTooDeepNestingIs400() {
        String longNumber = "{\"ticket_id\":" + "1".repeat(1200) + ",\"external_id\":\"s-1\"}";
        String deep = "{\"ticket_id\":\"1\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        for (String body : List.of(longNumber, deep)) {
            for (String kind : List.of("ticket", "assist")) {
                WebhookRejectedException e = rejected(signed(kind, TS, body));
                assertEquals(400, e.status());
                assertEquals("the body is not usable JSON (a number too long or nesting too deep): check the trigger's "
                        + "webhook body", e.getMessage());
            }
        }
    }

    @Test
    void anyOfTheSecretsMaySign() {
        secrets = List.of("configured-by-hand", SECRET);
        String body = "{\"ticket_id\":\"9\",\"external_id\":\"s-1\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        assertEquals(1, webhooks().receive(signed("ticket", TS, body)).events().size());
    }

    @Test
    void noSecretMeansFailClosed() {
        secrets = List.of();
        WebhookRejectedException e = rejected(signed("ticket", TS, "{\"ticket_id\":\"1\",\"external_id\":\"x\"}"));
        assertEquals(401, e.status());
        assertEquals("no signing secret: set webhook-secret or register the webhook", e.getMessage());
    }

    @Test
    void missingHeadersAreNamed() {
        String body = "{\"ticket_id\":\"1\",\"external_id\":\"x\"}";
        WebhookRejectedException e = rejected(request("ticket", null, TS, body));
        assertEquals(401, e.status());
        assertEquals("missing header X-Zendesk-Webhook-Signature", e.getMessage());
        e = rejected(request("ticket", "abc", null, body));
        assertEquals("missing header X-Zendesk-Webhook-Signature-Timestamp", e.getMessage());
    }

    @Test
    void staleFutureAndUnparseableTimestampsAreRefused() {
        String body = "{\"ticket_id\":\"1\",\"external_id\":\"x\"}";
        // now is 00:02:00; the window is 300 s either way.
        ctx.now = Instant.parse("2026-01-01T00:05:00Z");
        assertEquals(1, webhooks().receive(signed("ticket", TS, body)).events().size());
        ctx.now = Instant.parse("2026-01-01T00:05:01Z");
        WebhookRejectedException e = rejected(signed("ticket", TS, body));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("stale or future timestamp"));
        ctx.now = Instant.parse("2025-12-31T23:54:59Z");
        assertTrue(rejected(signed("ticket", TS, body)).getMessage().startsWith("stale or future timestamp"));
        // From the future only clock skew passes (60 s), not the whole replay window.
        ctx.now = Instant.parse("2025-12-31T23:59:00Z");
        assertEquals(1, webhooks().receive(signed("ticket", TS, body)).events().size());
        ctx.now = Instant.parse("2025-12-31T23:58:59Z");
        assertTrue(rejected(signed("ticket", TS, body)).getMessage().startsWith("stale or future timestamp"));
        ctx.now = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(rejected(signed("ticket", "yesterday", body)).getMessage().startsWith("stale or future timestamp"));
    }

    @Test
    void aTicketCallBecomesDeskTicketChanged() {
        String body = "{\"ticket_id\":\"123\",\"external_id\":\"sess-42\",\"status\":\"open\",\"event\":\"agent_comment\"}";
        WebhookReceiver.WebhookBatch b = webhooks().receive(signed("ticket", TS, body));
        assertEquals(List.of(new InboundEvent.DeskTicketChanged("123@" + TS, "123", "sess-42")), b.events());
        assertEquals(List.of(), b.skipped());
    }

    @Test
    void aCustomerCommentBecomesAssistRequested() {
        String body = "{\"ticket_id\":\"77\",\"external_id\":\"\",\"status\":\"open\",\"event\":\"customer_comment\"}";
        assertEquals(List.of(new InboundEvent.AssistRequested("77@" + TS, "77")),
                webhooks().receive(signed("ticket", TS, body)).events());
    }

    @Test
    void missingIdsAndBadBodiesAre400() {
        WebhookRejectedException e = rejected(signed("ticket", TS, "{\"external_id\":\"x\"}"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("missing ticket_id"));
        e = rejected(signed("ticket", TS, "{\"ticket_id\":\"{{ticket.id}}\",\"external_id\":\"x\"}"));
        assertTrue(e.getMessage().startsWith("missing ticket_id"));
        e = rejected(signed("ticket", TS, "{\"ticket_id\":\"5\",\"external_id\":\"  \"}"));
        assertEquals(400, e.status());
        assertEquals("missing external_id: the trigger's body must include {{ticket.external_id}}", e.getMessage());
        e = rejected(signed("ticket", TS, "not json"));
        assertEquals(400, e.status());
        e = rejected(signed("assist", TS, "{\"event\":\"customer_comment\"}"));
        assertTrue(e.getMessage().startsWith("missing ticket_id"));
    }

    @Test
    void unknownKindsAre404() {
        assertEquals(404, rejected(signed("sms", TS, "{}")).status());
    }
}
