package dev.parley.zendesk.webhook;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.ZendeskConnector;
import dev.parley.zendesk.ZendeskSettings;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Zendesk webhook calls, as the registered triggers render them: the signature first (fail-closed, constant
 * time, over the raw bytes), then the replay window, then the ids. The payload carries ids only; what happened
 * is read from the API afterwards ({@code HandoffDesk.activity}), so no provider call happens here.
 */
public final class TicketWebhooks {

    public static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    public static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";
    /** The trigger event of a customer comment on a ticket Parley did not open (assist mode). */
    public static final String CUSTOMER_COMMENT = "customer_comment";
    /** How far ahead of this server's clock a signed timestamp may be (clock skew, not a replay window). */
    static final Duration MAX_FUTURE = Duration.ofSeconds(60);

    private final ZendeskSettings settings;
    private final ConnectionContext ctx;
    private final Supplier<List<String>> secrets;

    public TicketWebhooks(ZendeskSettings settings, ConnectionContext ctx, Supplier<List<String>> secrets) {
        this.settings = settings;
        this.ctx = ctx;
        this.secrets = secrets;
    }

    public WebhookReceiver.WebhookBatch receive(WebhookRequest request) {
        String kind = request.kind();
        if (!ZendeskConnector.TICKET_WEBHOOK.equals(kind) && !ZendeskConnector.ASSIST_WEBHOOK.equals(kind)) {
            throw WebhookRejectedException.unknownKind(kind);
        }
        String timestamp = authenticate(request);
        JsonObject body;
        try {
            JsonValue v = Jsons.parse(request.body());
            if (!(v instanceof JsonObject o)) throw new IllegalArgumentException("not an object");
            body = o;
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badRequest("the body is " + e.getMessage() + ": check the trigger's webhook body");
        }
        String ticketId = Jsons.nonBlank(body, "ticket_id");
        if (ticketId == null || !ticketId.strip().matches("[0-9]{1,20}")) {
            throw WebhookRejectedException.badRequest("missing ticket_id: the trigger's body must include "
                    + "\"ticket_id\":\"{{ticket.id}}\"");
        }
        ticketId = ticketId.strip();
        String eventId = ticketId + "@" + timestamp;
        if (ZendeskConnector.ASSIST_WEBHOOK.equals(kind) || CUSTOMER_COMMENT.equals(Jsons.string(body, "event"))) {
            return new WebhookReceiver.WebhookBatch(List.of(new InboundEvent.AssistRequested(eventId, ticketId)), List.of());
        }
        String externalId = Jsons.nonBlank(body, "external_id");
        if (externalId == null) {
            throw WebhookRejectedException.badRequest("missing external_id: the trigger's body must include "
                    + "{{ticket.external_id}}");
        }
        return new WebhookReceiver.WebhookBatch(
                List.of(new InboundEvent.DeskTicketChanged(eventId, ticketId, externalId.strip())), List.of());
    }

    /** Checks the signature and the timestamp; returns the timestamp header as sent. */
    private String authenticate(WebhookRequest request) {
        List<String> keys = secrets.get().stream().filter(s -> s != null && !s.isBlank()).toList();
        if (keys.isEmpty()) {
            throw WebhookRejectedException.unauthorized("no signing secret: set "
                    + ZendeskSettings.WEBHOOK_SECRET + " or register the webhook");
        }
        String signature = request.header(SIGNATURE).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String timestamp = request.header(TIMESTAMP).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (signature == null || timestamp == null) {
            throw WebhookRejectedException.unauthorized("missing header " + (signature == null ? SIGNATURE : TIMESTAMP));
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String key : keys) {
            // Every key is tried, so the time taken says nothing about which one matched.
            match |= MessageDigest.isEqual(given, sign(key, timestamp, request.body()).getBytes(StandardCharsets.UTF_8));
        }
        if (!match) {
            throw WebhookRejectedException.unauthorized("wrong signature: the webhook's signing secret does not match");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            throw WebhookRejectedException.unauthorized("stale or future timestamp (not ISO-8601)");
        }
        // Old calls within the replay window pass (Zendesk retries); from the future, only clock skew does.
        Duration age = Duration.between(at, ctx.clock().instant());
        if (age.compareTo(settings.replayWindow()) > 0 || age.compareTo(MAX_FUTURE.negated()) < 0) {
            throw WebhookRejectedException.unauthorized("stale or future timestamp (more than "
                    + settings.replayWindow().toSeconds() + " s from now)");
        }
        return timestamp;
    }

    /** base64(HMAC-SHA256(key = secret as UTF-8, message = timestamp + raw body)), Zendesk's scheme. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
