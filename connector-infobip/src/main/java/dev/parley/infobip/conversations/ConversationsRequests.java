package dev.parley.infobip.conversations;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The bodies of the Conversations and Subscriptions calls, as Infobip's published specs have them
 * ({@code infobip-conversations.json}, {@code infobip-subscriptions-api.json}).
 */
public final class ConversationsRequests {

    /** The spec's limit for an internal note's content. */
    public static final int MAX_NOTE = 4000;
    /** The spec's limit for a message's text content (the connection splits longer replies with TextSplit). */
    public static final int MAX_TEXT = 4096;
    /** The spec's limit for a tag name. */
    public static final int MAX_TAG = 100;
    /** Parley's prefix of what it creates at Infobip (subscription, profile and security ids, the name). */
    public static final String PREFIX = "parley-";
    /**
     * The subscription events of channel CUSTOMER_ENGAGEMENT Parley needs (the spec's {@code SimpleCustomerEngagementEvents}):
     * new conversations, the customer's messages, status and assignment changes. Which webhook {@code type}s each
     * delivers is UNCONFIRMED (INBOUND_MESSAGE for CONVERSATION_MESSAGE_RECEIVED is inferred).
     */
    public static final List<String> EVENTS = List.of("CONVERSATION_CREATED", "CONVERSATION_MESSAGE_RECEIVED",
            "CONVERSATION_STATUS_UPDATED", "CONVERSATION_ASSIGNMENT_UPDATED");

    private static final String CUT = "\n[cut: %d characters]";

    private ConversationsRequests() {
    }

    /**
     * Where a reply goes: the channel, sender and customer of the conversation's last inbound message, reversed. The
     * Conversations API has no "reply to the conversation" call; {@code POST .../messages} needs {@code channel},
     * {@code from} (our sender: the inbound message's {@code to}) and {@code to} (the customer: its {@code from}).
     *
     * @param channel  Infobip's channel name ({@code WHATSAPP}, {@code SMS}, {@code LIVE_CHAT}, ...)
     * @param sender   our address on that channel
     * @param customer the customer's address on that channel
     */
    public record ReplyRoute(String channel, String sender, String customer) {

        /** The route back to whoever sent {@code inbound}: an INBOUND_MESSAGE webhook's {@code payload.message}. */
        public static ReplyRoute back(String channel, String inboundFrom, String inboundTo) {
            return new ReplyRoute(channel, inboundTo, inboundFrom);
        }
    }

    /** {@code POST /ccaas/1/conversations/{id}/messages}: a text reply (at most {@link #MAX_TEXT}). */
    public static JsonObject reply(ReplyRoute route, String text) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("channel", route.channel())
                .add("from", route.sender())
                .add("to", route.customer())
                .add("contentType", "TEXT")
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("text", text))
                .build();
    }

    /**
     * {@code POST /ccaas/1/conversations/{id}/notes}: an internal note by the AI agent, its content cut to
     * {@link #MAX_NOTE} by {@link #cutNote}. The published spec contradicts itself on the content: its schema
     * ({@code NoteContent}) and its attachment example say an object ({@code {"text": ...}}), its text example a string.
     * Parley sends the object, which a request validator accepts; {@link #noteAsString} is the fallback when Infobip
     * refuses it (UNCONFIRMED which form the live API takes for INTERNAL notes).
     */
    public static JsonObject note(String agentId, String content) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("type", "INTERNAL")
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("text", cutNote(content)))
                .add("agentId", agentId)
                .build();
    }

    /** {@link #note} with the content as a plain string, as the spec's "Text note." example has it. */
    public static JsonObject noteAsString(String agentId, String content) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("type", "INTERNAL")
                .add("content", cutNote(content))
                .add("agentId", agentId)
                .build();
    }

    /**
     * The text itself when it fits a note, else its beginning (the summary comes first and stays) with
     * {@code "\n[cut: N characters]"} where N is the code points left out. Counted in UTF-16 units, never more than a
     * provider counting code points sees; a surrogate pair (an emoji) is never cut in two.
     */
    public static String cutNote(String text) {
        if (text.length() <= MAX_NOTE) return text;
        for (int digits = 1; ; digits++) { // the marker's length depends on N, N on what the marker leaves
            int keep = MAX_NOTE - String.format(Locale.ROOT, CUT, 0).length() - (digits - 1);
            if (Character.isHighSurrogate(text.charAt(keep - 1))) keep--;
            int cut = text.codePointCount(keep, text.length());
            if (String.valueOf(cut).length() <= digits) return text.substring(0, keep) + String.format(Locale.ROOT, CUT, cut);
        }
    }

    /** {@code PATCH /ccaas/1/conversations/{id}}: {@code CLOSED} or {@code SOLVED} (also OPEN, WAITING). */
    public static JsonObject status(String status) {
        return Jsons.BUILDERS.createObjectBuilder().add("status", status).build();
    }

    /** {@code PATCH /ccaas/1/conversations/{id}}: moves the conversation to a queue. */
    public static JsonObject queue(String queueId) {
        return Jsons.BUILDERS.createObjectBuilder().add("queueId", queueId).build();
    }

    /** {@code PUT /ccaas/1/conversations/{id}/assignee}: an agent's or bot's id. */
    public static JsonObject assignee(String agentId) {
        return Jsons.BUILDERS.createObjectBuilder().add("agentId", agentId).build();
    }

    /** {@code POST /ccaas/1/tags}: a tag must exist before a conversation takes it. */
    public static JsonObject newTag(String name) {
        return Jsons.BUILDERS.createObjectBuilder().add("name", name).build();
    }

    /** {@code POST /ccaas/1/conversations/{id}/tags}. */
    public static JsonObject tag(String name) {
        return Jsons.BUILDERS.createObjectBuilder().add("tagName", name).build();
    }

    /**
     * A configured tag as Infobip takes it: "numbers, uppercase and lowercase letters, along with '.' and '_'" (the
     * spec's {@code CreateTagApiRequest.name}), at most {@link #MAX_TAG}. Every other character becomes {@code _}
     * ({@code "handled by AI"} is sent as {@code handled_by_AI}); {@link #tagChange} says so for the log.
     *
     * @throws IllegalArgumentException when nothing is left (blank)
     */
    public static String tagName(String configured) {
        String t = configured == null ? "" : configured.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("the tag is blank");
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(c -> b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_')
                ? (char) c : '_'));
        return b.length() <= MAX_TAG ? b.toString() : b.substring(0, MAX_TAG);
    }

    /** What {@link #tagName} changed, for the operator; null when the tag is sent as configured. */
    public static String tagChange(String configured) {
        String name = tagName(configured);
        return name.equals(configured) ? null : "tag '" + configured + "' is sent as '" + name + "': Infobip's tags take"
                + " only letters, digits, '.' and '_', at most " + MAX_TAG;
    }

    /**
     * The id Parley gives the connection's subscription, its profile and its security setting:
     * {@code parley-<connectionId>}, with anything that would need URL encoding as {@code -} (the spec: "must not
     * include any characters that require URL encoding"). Every instance of a cluster computes the same id, so one
     * that starts second finds the subscription in the list instead of making another, and a create that races
     * another is refused by Infobip rather than duplicated (subscription ids are unique; UNCONFIRMED: the status
     * of that refusal).
     */
    public static String subscriptionId(String connectionId) {
        String id = PREFIX + connectionId.replaceAll("[^A-Za-z0-9._~-]", "-");
        return id.length() <= 255 ? id : id.substring(0, 255);
    }

    /**
     * {@code POST /subscriptions/1/subscription/CUSTOMER_ENGAGEMENT}: the {@link #EVENTS} to {@code notifyUrl} with
     * BASIC credentials (the connection's webhook user and password), the profile and security defined inline (the
     * spec's {@code ProfileRequest} with {@code SecurityRequest}); all three ids and the name are
     * {@link #subscriptionId}.
     */
    public static JsonObject subscription(String connectionId, URI notifyUrl, String username, String password) {
        String id = subscriptionId(connectionId);
        JsonArrayBuilder events = Jsons.BUILDERS.createArrayBuilder();
        EVENTS.forEach(events::add);
        jakarta.json.JsonObjectBuilder profile = Jsons.BUILDERS.createObjectBuilder()
                .add("profileId", id)
                .add("webhook", Jsons.BUILDERS.createObjectBuilder().add("notifyUrl", notifyUrl.toString()));
        if (username != null && password != null) { // webhook-auth=none: no security (INSECURE, logged at open)
            profile.add("security", Jsons.BUILDERS.createObjectBuilder()
                    .add("authId", id)
                    .add("type", "BASIC")
                    .add("credentials", Jsons.BUILDERS.createObjectBuilder()
                            .add("username", username)
                            .add("password", password)));
        }
        return Jsons.BUILDERS.createObjectBuilder()
                .add("subscriptionId", id)
                .add("name", id)
                .add("events", events)
                .add("profile", profile)
                .build();
    }
}
