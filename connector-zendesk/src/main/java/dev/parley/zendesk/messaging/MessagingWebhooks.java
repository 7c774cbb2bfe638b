package dev.parley.zendesk.messaging;

import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sunshine Conversations webhook calls ({@code /channel/<id>/webhook/messaging}): the {@code X-API-Key}
 * shared secret (the configured one or the registered webhook's) checked in constant time, fail-closed; then every element of {@code events[]}:
 * <ul>
 *   <li>{@code conversation:message} by a human agent (author {@code business}, not posted through the API,
 *       not one of Parley's own messages) is an {@link InboundEvent.AgentReplied};</li>
 *   <li>{@code switchboard:releaseControl}, or {@code switchboard:passControl} away from the agent
 *       workspace, is an {@link InboundEvent.ConversationClosed};</li>
 *   <li>customer messages (Parley's own relays) and Parley's echoes are ignored; malformed events are
 *       skipped with a reason, the others still count.</li>
 * </ul>
 * Conversation refs are {@code sc:<conversation id>}; event ids are {@code sc:<event id>} (Sunshine reuses an
 * event's id when it retries a delivery).
 */
public final class MessagingWebhooks {

    static final String API_KEY_HEADER = "X-API-Key";

    /** The accepted X-API-Key values, read per call: setup may store a new webhook secret at any time. */
    private final Supplier<List<String>> secrets;
    private final String connectionId;

    public MessagingWebhooks(Supplier<List<String>> secrets, String connectionId) {
        this.secrets = secrets;
        this.connectionId = connectionId;
    }

    /** One fixed secret (tests, hand-made webhooks). */
    public MessagingWebhooks(String webhookSecret) {
        this(() -> webhookSecret == null ? List.of() : List.of(webhookSecret), "<id>");
    }

    public WebhookBatch receive(WebhookRequest request) {
        authenticate(request);
        JsonObject body;
        try {
            body = Jsons.parse(request.body()) instanceof JsonObject o ? o : null;
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badRequest("the body is " + e.getMessage()); // not valid / not usable JSON
        }
        JsonArray events = Jsons.array(body, "events");
        if (events == null) {
            throw WebhookRejectedException.badRequest("expected a JSON object with an 'events' array");
        }
        List<InboundEvent> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonValue v = events.get(i);
            if (!(v instanceof JsonObject event)) {
                skipped.add("events[" + i + "]: not an object");
                continue;
            }
            try {
                InboundEvent e = event(event);
                if (e != null) out.add(e);
            } catch (IllegalArgumentException e) {
                String id = Jsons.string(event, "id");
                skipped.add("events[" + i + "]" + (id == null ? "" : " (" + id + ")") + ": " + e.getMessage());
            }
        }
        return new WebhookBatch(out, skipped);
    }

    /** Fail-closed: no secret at all refuses every call; every secret is compared, in constant time. */
    private void authenticate(WebhookRequest request) {
        List<String> keys = secrets.get().stream().filter(k -> k != null && !k.isBlank()).toList();
        if (keys.isEmpty()) {
            throw WebhookRejectedException.unauthorized("no messaging webhook secret: set "
                    + MessagingSettings.WEBHOOK_SECRET + " or POST /api/connections/" + connectionId + "/setup");
        }
        String header = request.header(API_KEY_HEADER).orElse("");
        byte[] given = sha256(header);
        boolean match = false;
        for (String key : keys) {
            // Every key is tried, and digests are compared, so the time taken says nothing about which one matched
            // nor about the key's length.
            match |= !header.isEmpty() && MessageDigest.isEqual(sha256(key), given);
        }
        if (!match) {
            throw WebhookRejectedException.unauthorized("missing or wrong " + API_KEY_HEADER + ": it must be the secret "
                    + "of the webhook POST /api/connections/" + connectionId + "/setup registered, or '"
                    + MessagingSettings.WEBHOOK_SECRET + "'");
        }
    }

    /** The event, or null when it is not for Parley (customer messages, echoes, other types). */
    private static InboundEvent event(JsonObject event) {
        String id = require(Jsons.nonBlank(event, "id"), "no id");
        String type = require(Jsons.nonBlank(event, "type"), "no type");
        JsonObject payload = Jsons.object(event, "payload");
        switch (type) {
            case "conversation:message": {
                String conversation = conversationId(payload);
                JsonObject message = Jsons.object(payload, "message");
                JsonObject author = Jsons.object(message, "author");
                String authorType = require(Jsons.nonBlank(author, "type"), "message without author.type");
                if (!"business".equals(authorType)) return null; // the customer's side: Parley's own relays
                String source = Jsons.string(Jsons.object(message, "source"), "type");
                JsonObject metadata = Jsons.object(message, "metadata");
                if ("api:conversations".equals(source) || Jsons.bool(metadata, "parley", false)) {
                    return null; // posted through the API: Parley's transcript or another integration
                }
                return new InboundEvent.AgentReplied("sc:" + id, "sc:" + conversation,
                        text(Jsons.object(message, "content")), Jsons.nonBlank(author, "displayName"));
            }
            case "switchboard:releaseControl":
                return new InboundEvent.ConversationClosed("sc:" + id, "sc:" + conversationId(payload));
            case "switchboard:passControl": {
                String conversation = conversationId(payload);
                JsonObject active = Jsons.object(Jsons.object(payload, "conversation"), "activeSwitchboardIntegration");
                if (active == null) throw new IllegalArgumentException("passControl without activeSwitchboardIntegration");
                if (MessagingConnection.AGENT_WORKSPACE.equals(Jsons.string(active, "integrationType"))) {
                    return null; // Parley's own handoff reaching the agent workspace
                }
                return new InboundEvent.ConversationClosed("sc:" + id, "sc:" + conversation);
            }
            default:
                return null;
        }
    }

    private static String conversationId(JsonObject payload) {
        return require(Jsons.nonBlank(Jsons.object(payload, "conversation"), "id"), "no payload.conversation.id");
    }

    /** Text, or for media the text with its URL, so an agent's attachment still reaches the customer. */
    private static String text(JsonObject content) {
        String text = Jsons.nonBlank(content, "text");
        String media = Jsons.nonBlank(content, "mediaUrl");
        if (text == null && media == null) {
            throw new IllegalArgumentException("agent message without text (content type "
                    + Jsons.string(content, "type") + ")");
        }
        if (media == null) return text;
        return text == null ? media : text + "\n" + media;
    }

    private static String require(String value, String why) {
        if (value == null) throw new IllegalArgumentException(why);
        return value;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
