package dev.parley.infobip.conversations;

import dev.parley.infobip.http.InfobipTime;
import dev.parley.infobip.http.MediaCopier;
import dev.parley.spi.Attachment;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.MessageContent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.util.Jsons;
import dev.parley.infobip.webhook.BatchItems.Skip;
import dev.parley.infobip.webhook.BatchItems;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses Infobip's conversation-event webhook (common-assets spec, {@code conversation-event-webhook}: one envelope
 * {@code {"type","timestamp","payload"}} per request, 23 types; an array of envelopes is read too) into the SPI's
 * events:
 * <ul>
 * <li>{@code INBOUND_MESSAGE}: {@link InboundEvent.MessageReceived}, {@code from} the customer's address and {@code to}
 * our sender as the message has them; the conversation travels in {@link MessageContent#structured} as
 * {@code {"conversationId","channel","assigneeId"?,"content"?}} ({@link #conversationId} reads it back), with the
 * channel so a reply can go back the way the message came ({@link ConversationsRequests.ReplyRoute#back}). Dedup: the
 * message's {@code id} (its {@code messageId} when absent).</li>
 * <li>{@code CONVERSATION_ASSIGNMENT_UPDATED}: {@link InboundEvent.AssignmentChanged}, the assignee's id (null when
 * unassigned) and {@code toBot} when that id is the configured AI agent's. The payload has no event id: the dedup key
 * is conversation id, envelope timestamp and assignee id.</li>
 * <li>{@code CONVERSATION_STATUS_UPDATED} to CLOSED or SOLVED, and {@code CONVERSATION_DELETED}:
 * {@link InboundEvent.ConversationClosed}. A conversation closes (or is deleted) once, so those keys are the
 * conversation id and the status alone; SOLVED can be reopened, so its key adds the timestamp.</li>
 * <li>every other type, and other statuses: skipped with the reason.</li>
 * </ul>
 * A malformed envelope is skipped with its reason; only a body that is not JSON is refused (HTTP 400).
 */
public final class ConversationsWebhooks {

    /** Statuses that end the AI's part in a conversation. */
    static final Set<String> ENDED = Set.of("CLOSED", "SOLVED");
    /** Content types whose {@code content.url} is a file to copy (the Conversations API's names). */
    static final Set<String> MEDIA_TYPES = Set.of("IMAGE", "DOCUMENT", "AUDIO", "VIDEO", "VOICE", "FILE", "STICKER",
            "WHATSAPP_STICKER");

    private ConversationsWebhooks() {
    }

    /**
     * @param body      the request body
     * @param aiAgentId the connection's AI agent id at Infobip: an assignment to it is {@code toBot}
     * @param media     copies a file a customer sent
     */
    public static WebhookBatch events(byte[] body, String aiAgentId, MediaCopier media) {
        return parse(body, aiAgentId, media).batch();
    }

    /**
     * The events, and what each envelope said about its conversation's status, assignee and route
     * ({@link ConversationState.Fact}), also for envelopes that yield no event (a conversation reopened to OPEN).
     */
    public record Parsed(WebhookBatch batch, List<ConversationState.Fact> facts, List<String> ignored) {

        /**
         * The batch without the items {@link #ignored} on purpose (events Parley subscribes to but needs nothing from,
         * such as a conversation created or reopened): they are no unusable input, so neither the connection log nor
         * the doctor should count them as refused.
         */
        public WebhookBatch withoutIgnored() {
            List<String> kept = new ArrayList<>(batch.skipped());
            kept.removeAll(ignored);
            return new WebhookBatch(batch.events(), kept);
        }
    }

    /** A skip on purpose: a well-formed event of a type or status Parley needs nothing from. */
    private static final class Ignore extends Exception {
        Ignore(String reason) {
            super(reason, null, false, false);
        }
    }

    /** {@link #events} with the facts. */
    public static Parsed parse(byte[] body, String aiAgentId, MediaCopier media) {
        List<InboundEvent> events = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<ConversationState.Fact> facts = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<JsonValue> items = envelopes(body);
        for (int i = 0; i < items.size(); i++) {
            String where = items.size() == 1 ? "" : "[" + i + "] ";
            try {
                if (!(items.get(i) instanceof JsonObject envelope)) throw new Skip("not a JSON object");
                ConversationState.Fact fact = fact(envelope);
                if (fact != null) facts.add(fact);
                events.add(event(envelope, aiAgentId, media));
            } catch (Ignore ignore) {
                skipped.add(where + ignore.getMessage());
                ignored.add(where + ignore.getMessage());
            } catch (Skip s) {
                skipped.add(where + s.getMessage());
            } catch (RuntimeException e) { // a value of an unexpected JSON type
                skipped.add(where + "malformed: " + e.getClass().getSimpleName());
            }
        }
        return new Parsed(new WebhookBatch(events, skipped), facts, ignored);
    }

    /** What an envelope says about its conversation; null when it names none. */
    private static ConversationState.Fact fact(JsonObject envelope) {
        JsonObject payload = Jsons.object(envelope, "payload");
        if (payload == null) return null;
        String type = String.valueOf(Jsons.nonBlank(envelope, "type")).toUpperCase(Locale.ROOT);
        JsonObject m = Jsons.object(payload, "message");
        String conversation = m == null ? null : Jsons.nonBlank(m, "conversationId");
        if (conversation == null) conversation = Jsons.nonBlank(payload, "id");
        if (conversation == null) return null;
        java.time.OffsetDateTime at = InfobipTime.parse(Jsons.string(envelope, "timestamp"));
        String status = Jsons.nonBlank(payload, "status");
        if (type.equals("CONVERSATION_DELETED")) status = "CLOSED";
        boolean assigneeKnown = payload.containsKey("assignee");
        JsonObject assignee = assigneeKnown && payload.get("assignee") instanceof JsonObject a ? a : null;
        ConversationsRequests.ReplyRoute route = null;
        if (type.equals("INBOUND_MESSAGE") && m != null) {
            String channel = Jsons.nonBlank(m, "channel");
            if (channel == null) channel = Jsons.nonBlank(payload, "channel");
            String from = Jsons.nonBlank(m, "from");
            if (channel != null && from != null) route = ConversationsRequests.ReplyRoute.back(channel, from, Jsons.string(m, "to"));
        }
        return new ConversationState.Fact(conversation, at == null ? null : at.toInstant(),
                status == null ? null : status.strip().toUpperCase(Locale.ROOT), assigneeKnown,
                assignee == null ? null : Jsons.nonBlank(assignee, "id"), route);
    }

    /** The conversation id a {@link #events} message carries, or null when it carries none. */
    public static String conversationId(InboundEvent.MessageReceived m) {
        if (m.content() == null || m.content().structured() == null) return null;
        JsonObject o = Jsons.parseObjectOrNull(m.content().structured());
        return o == null ? null : Jsons.nonBlank(o, "conversationId");
    }

    private static InboundEvent event(JsonObject envelope, String aiAgentId, MediaCopier media) throws Skip, Ignore {
        String type = BatchItems.required(envelope, "type").strip().toUpperCase(Locale.ROOT);
        String timestamp = BatchItems.required(envelope, "timestamp").strip();
        JsonObject payload = Jsons.object(envelope, "payload");
        if (payload == null) throw new Skip(type + ": missing payload");
        switch (type) {
            case "INBOUND_MESSAGE":
                return message(payload, media);
            case "CONVERSATION_ASSIGNMENT_UPDATED": {
                String conversation = required(payload, "id", type + ": missing payload.");
                JsonObject assignee = Jsons.object(payload, "assignee");
                String assigneeId = assignee == null ? null : Jsons.nonBlank(assignee, "id");
                boolean toBot = assigneeId != null && aiAgentId != null && assigneeId.strip().equalsIgnoreCase(aiAgentId.strip());
                return new InboundEvent.AssignmentChanged(conversation + ":" + timestamp + ":"
                        + (assigneeId == null ? "unassigned" : assigneeId), conversation, assigneeId, toBot);
            }
            case "CONVERSATION_STATUS_UPDATED": {
                String conversation = required(payload, "id", type + ": missing payload.");
                String status = required(payload, "status", type + ": missing payload.").strip().toUpperCase(Locale.ROOT);
                if (!ENDED.contains(status)) throw new Ignore(type + ": status " + status + " needs nothing of Parley");
                return new InboundEvent.ConversationClosed(conversation + ":" + status
                        + (status.equals("SOLVED") ? ":" + timestamp : ""), conversation);
            }
            case "CONVERSATION_DELETED": {
                String conversation = required(payload, "id", type + ": missing payload.");
                return new InboundEvent.ConversationClosed(conversation + ":DELETED", conversation);
            }
            case "OUTBOUND_MESSAGE":
                throw new Ignore(type + ": a message to the customer (Parley's own or an agent's), not the customer's");
            default:
                throw new Ignore(type + ": an event Parley does not act on");
        }
    }

    private static InboundEvent message(JsonObject payload, MediaCopier media) throws Skip {
        JsonObject m = Jsons.object(payload, "message");
        if (m == null) throw new Skip("INBOUND_MESSAGE: missing payload.message");
        String id = Jsons.nonBlank(m, "id");
        if (id == null) id = Jsons.nonBlank(m, "messageId");
        if (id == null) throw new Skip("INBOUND_MESSAGE: missing message.id and message.messageId");
        String from = required(m, "from", "INBOUND_MESSAGE: missing message.");
        String conversation = Jsons.nonBlank(m, "conversationId");
        if (conversation == null) conversation = required(payload, "id", "INBOUND_MESSAGE: missing message.conversationId and payload.");
        String channel = Jsons.nonBlank(m, "channel");
        if (channel == null) channel = required(payload, "channel", "INBOUND_MESSAGE: missing message.channel and payload.");

        JsonObjectBuilder carried = Jsons.BUILDERS.createObjectBuilder()
                .add("conversationId", conversation)
                .add("channel", channel);
        JsonObject assignee = Jsons.object(payload, "assignee");
        if (assignee != null && Jsons.nonBlank(assignee, "id") != null) carried.add("assigneeId", Jsons.nonBlank(assignee, "id"));
        if (assignee != null && Jsons.nonBlank(assignee, "name") != null) carried.add("assigneeName", Jsons.nonBlank(assignee, "name"));
        String status = Jsons.nonBlank(payload, "status");
        if (status != null) carried.add("status", status.strip().toUpperCase(Locale.ROOT));
        carried.add("customer", from);

        JsonObject content = Jsons.object(m, "content");
        String text = content == null ? null : Jsons.string(content, "text");
        String url = content == null ? null : Jsons.nonBlank(content, "url");
        String kind = contentType(m, content, url);
        List<Attachment> attachments = List.of();
        String unsupported = null;
        if (url != null && MEDIA_TYPES.contains(kind)) {
            String caption = Jsons.nonBlank(content, "caption");
            attachments = List.of(media.copy(kind, url, caption));
            if (text == null) text = caption;
        } else if (text == null) {
            unsupported = content == null || content.isEmpty() ? "the message has no content"
                    : "message content " + kind + " is not handled by Parley";
        }
        if (content != null && !(text != null && content.size() == 1)) carried.add("content", content); // more than text
        JsonObject customer = Jsons.object(payload, "customer");
        String name = customer == null ? null : Jsons.nonBlank(customer, "name");
        return new InboundEvent.MessageReceived(id, from, Jsons.string(m, "to"), text == null ? "" : text,
                InfobipTime.parse(Jsons.string(m, "createdAt")), name,
                new MessageContent(kind, null, attachments, carried.build().toString(), unsupported));
    }

    /**
     * The webhook's message has no content type in the spec (its {@code content} is any object): a
     * {@code contentType} is used when the message has one, else TEXT for a text and FILE for a link. UNCONFIRMED.
     */
    private static String contentType(JsonObject m, JsonObject content, String url) {
        String declared = Jsons.nonBlank(m, "contentType");
        if (declared == null && content != null) declared = Jsons.nonBlank(content, "type");
        if (declared != null) return declared.strip().toUpperCase(Locale.ROOT);
        return url != null ? "FILE" : "TEXT";
    }

    private static List<JsonValue> envelopes(byte[] body) {
        JsonValue v;
        try {
            v = Jsons.parse(body);
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badRequest("body is " + e.getMessage());
        }
        if (v instanceof JsonObject) return List.of(v);
        if (v instanceof JsonArray a) return a;
        throw WebhookRejectedException.badRequest("body is neither a JSON object nor an array");
    }


    /** @param missing the reason's text before the field name */
    private static String required(JsonObject o, String field, String missing) throws Skip {
        String value = Jsons.nonBlank(o, field);
        if (value == null) throw new Skip(missing + field);
        return value;
    }

}
