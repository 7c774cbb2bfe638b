package dev.parley.infobip.sandbox;

import dev.parley.infobip.http.InfobipTime;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.parley.infobip.sandbox.StandIn.withoutQuery;

/**
 * The state of {@link ConversationsSandbox} and its JSON renderers: Infobip's models as the published Conversations and
 * Subscriptions specs have them, the conversation-event webhook as common-assets' {@code conversation-event-webhook}
 * has it, and the console's views. Pure: every method reads what it is given; the sandbox holds its lock while calling.
 */
final class ConversationsSandboxModel {

    /** When the sandbox's agents "were created": a fixed time, as they exist before any call. */
    static final String AGENTS_CREATED = "2024-01-01T00:00:00.000+0000";

    private ConversationsSandboxModel() {
    }

    record Agent(String id, String displayName, boolean bot, String email) {
    }

    record Tag(String id, String name, Instant createdAt) {
    }

    record Note(String id, String agentId, String content, Instant createdAt) {
    }

    /** One message of a conversation: the customer's (INBOUND) or an agent's (OUTBOUND). */
    record Message(String id, String direction, String channel, String from, String to, String authorType,
                   String authorId, String contentType, JsonObject content, Instant createdAt) {
    }

    /**
     * A subscription of channel CUSTOMER_ENGAGEMENT: where events go and with what Authorization (null: none).
     *
     * @param authorization {@code Basic base64(user:pass)}, never shown
     */
    record Subscription(String id, String name, List<String> events, String profileId, String authId, URI notifyUrl,
                        String securityType, String username, String authorization) {
    }

    /** An event posted (or being posted) about a conversation; its status changes as it is delivered. */
    static final class EventRecord {
        final String type;
        final String subscriptionId;
        final Instant at;
        volatile String status = "PENDING";

        EventRecord(String type, String subscriptionId, Instant at) {
            this.type = type;
            this.subscriptionId = subscriptionId;
            this.at = at;
        }
    }

    /** A conversation; mutable, guarded by the sandbox's lock. */
    static final class Conversation {
        final String id;
        final String channel;
        final String customerAddress;
        final String customerName;
        final String customerId;
        final Instant createdAt;
        String status = "OPEN";
        String priority = "NORMAL";
        String queueId;
        String agentId;
        String topic;
        String summary;
        Instant updatedAt;
        Instant closedAt;
        String predecessorId;
        String successorId;
        final Set<String> tags = new LinkedHashSet<>();
        final Deque<Message> messages = new ArrayDeque<>();
        final Deque<Note> notes = new ArrayDeque<>();
        final Deque<EventRecord> events = new ArrayDeque<>();

        Conversation(String id, String channel, String customerAddress, String customerName, String customerId,
                     Instant createdAt) {
            this.id = id;
            this.channel = channel;
            this.customerAddress = customerAddress;
            this.customerName = customerName;
            this.customerId = customerId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        boolean closed() {
            return status.equals("CLOSED");
        }
    }

    // ---- the Conversations API's models ---------------------------------------------------------

    /** {@code ConversationApiModel}; absent values are left out (the spec's fields are not nullable). */
    static JsonObject conversation(Conversation c) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("id", c.id);
        addIfSet(b, "topic", c.topic);
        addIfSet(b, "summary", c.summary);
        b.add("status", c.status).add("priority", c.priority);
        addIfSet(b, "queueId", c.queueId);
        addIfSet(b, "agentId", c.agentId);
        b.add("createdAt", InfobipTime.format(c.createdAt)).add("updatedAt", InfobipTime.format(c.updatedAt));
        if (c.closedAt != null) b.add("closedAt", InfobipTime.format(c.closedAt));
        return b.build();
    }

    /** {@code MessageApiResponse}. */
    static JsonObject message(Message m, String conversationId) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", m.id()).add("channel", m.channel()).add("from", m.from()).add("to", m.to())
                .add("direction", m.direction()).add("conversationId", conversationId);
        addIfSet(b, "authorId", m.authorId());
        return b.add("authorType", m.authorType())
                .add("createdAt", InfobipTime.format(m.createdAt())).add("updatedAt", InfobipTime.format(m.createdAt()))
                .add("content", m.content()).add("contentType", m.contentType())
                .build();
    }

    /** {@code AgentResponseWithEmail}: every sandbox agent is an enabled, active AGENT (the spec has no BOT role). */
    static JsonObject agent(Agent a) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", a.id()).add("displayName", a.displayName()).add("status", "ACTIVE")
                .add("availability", "ACTIVE").add("role", "AGENT").add("enabled", true)
                .add("createdAt", AGENTS_CREATED).add("updatedAt", AGENTS_CREATED);
        addIfSet(b, "email", a.email());
        return b.build();
    }

    /** {@code TagApiResponse}. */
    static JsonObject tag(Tag t) {
        String at = InfobipTime.format(t.createdAt());
        return Jsons.BUILDERS.createObjectBuilder()
                .add("id", t.id()).add("name", t.name()).add("createdAt", at).add("updatedAt", at).build();
    }

    /** {@code NoteApiResponse}. */
    static JsonObject note(Note n, String conversationId) {
        String at = InfobipTime.format(n.createdAt());
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("id", n.id()).add("conversationId", conversationId);
        addIfSet(b, "agentId", n.agentId());
        return b.add("type", "INTERNAL").add("content", n.content()).add("createdAt", at).add("updatedAt", at).build();
    }

    /** The Conversations API's {@code Pagination}. */
    static JsonObject pagination(long totalItems, long page, long limit, String orderBy) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("totalItems", totalItems).add("page", page).add("limit", limit).add("orderBy", orderBy).build();
    }

    // ---- the Subscriptions API's models ---------------------------------------------------------

    /** {@code IdOnlySubscriptionResponse}: what create and delete answer. */
    static JsonObject idOnly(Subscription s) {
        JsonObjectBuilder security = Jsons.BUILDERS.createObjectBuilder();
        if (s.authId() != null) security.add("authId", s.authId());
        return Jsons.BUILDERS.createObjectBuilder()
                .add("subscriptionId", s.id())
                .add("profile", Jsons.BUILDERS.createObjectBuilder().add("profileId", s.profileId()).add("security", security))
                .build();
    }

    /** {@code SubscriptionResponse}: one item of the list. */
    static JsonObject subscription(Subscription s) {
        JsonArrayBuilder events = Jsons.BUILDERS.createArrayBuilder();
        s.events().forEach(events::add);
        JsonObject idOnly = idOnly(s);
        return Jsons.BUILDERS.createObjectBuilder()
                .add("subscriptionId", s.id()).add("name", s.name()).add("profile", idOnly.getJsonObject("profile"))
                .add("events", events)
                .add("criteria", Jsons.BUILDERS.createArrayBuilder())
                .add("resources", Jsons.BUILDERS.createArrayBuilder())
                .add("users", Jsons.BUILDERS.createArrayBuilder())
                .build();
    }

    /** The console's view of a subscription: where its events go and as whom, never the password. */
    static JsonObject shownSubscription(Subscription s) {
        JsonArrayBuilder events = Jsons.BUILDERS.createArrayBuilder();
        s.events().forEach(events::add);
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("subscriptionId", s.id()).add("name", s.name()).add("events", events)
                .add("profileId", s.profileId())
                .add("notifyUrl", withoutQuery(s.notifyUrl())) // a query may carry a token
                .add("securityType", s.securityType() == null ? "NONE" : s.securityType());
        addIfSet(b, "username", s.username());
        return b.build();
    }

    // ---- the conversation-event webhook ---------------------------------------------------------

    /**
     * One webhook body {@code {"type","timestamp","payload"}}: the conversation as it is now, and for
     * {@code INBOUND_MESSAGE} the customer's {@code message}; other types carry the {@code lastMessage}.
     */
    static String envelope(String type, Instant now, Conversation c, Map<String, Agent> agents, Map<String, Tag> tags,
                           Message inbound) {
        JsonObjectBuilder queue = Jsons.BUILDERS.createObjectBuilder();
        if (c.queueId != null) queue.add("id", c.queueId).add("name", ConversationsSandbox.queueName(c.queueId));
        JsonObjectBuilder p = Jsons.BUILDERS.createObjectBuilder()
                .add("id", c.id).add("status", c.status).add("queue", queue).add("priority", c.priority)
                .add("channel", c.channel).add("direction", "INBOUND");
        Agent a = c.agentId == null ? null : agents.get(c.agentId);
        if (c.agentId == null) {
            p.addNull("assignee");
        } else {
            p.add("assignee", Jsons.BUILDERS.createObjectBuilder().add("id", c.agentId)
                    .add("name", a == null ? c.agentId : a.displayName()).add("role", "AGENT"));
        }
        JsonObjectBuilder customer = Jsons.BUILDERS.createObjectBuilder().add("id", c.customerId);
        if (c.customerName != null) customer.add("name", c.customerName);
        p.add("customer", customer);
        JsonArrayBuilder tagList = Jsons.BUILDERS.createArrayBuilder();
        for (String name : c.tags) {
            Tag t = tags.get(name);
            tagList.add(Jsons.BUILDERS.createObjectBuilder().add("id", t == null ? name : t.id()).add("name", name));
        }
        p.add("tags", tagList);
        addIfSet(p, "topic", c.topic);
        addIfSet(p, "summary", c.summary);
        p.add("timestamp", InfobipTime.format(c.updatedAt));
        if (inbound != null) {
            String at = InfobipTime.format(inbound.createdAt());
            p.add("message", Jsons.BUILDERS.createObjectBuilder()
                    .add("id", inbound.id()).add("messageId", inbound.id()).add("channel", inbound.channel())
                    .add("from", inbound.from()).add("to", inbound.to()).add("conversationId", c.id)
                    .add("createdAt", at).add("updatedAt", at)
                    .add("content", inbound.content()).add("contentType", inbound.contentType()));
        } else if (!c.messages.isEmpty()) {
            Message last = c.messages.peekLast();
            p.add("lastMessage", Jsons.BUILDERS.createObjectBuilder().add("from", last.from()).add("to", last.to())
                    .add("direction", last.direction()).add("channel", last.channel()));
        }
        return Jsons.BUILDERS.createObjectBuilder()
                .add("type", type).add("timestamp", InfobipTime.format(now)).add("payload", p).build().toString();
    }

    // ---- the console's view ---------------------------------------------------------------------

    /** Everything about a conversation: state, tags, notes, messages in order, events posted. */
    static JsonObject view(Conversation c, Map<String, Agent> agents) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", c.id).add("status", c.status).add("priority", c.priority).add("channel", c.channel)
                .add("customer", Jsons.BUILDERS.createObjectBuilder().add("address", c.customerAddress)
                        .add("id", c.customerId).add("name", c.customerName == null ? "" : c.customerName))
                .add("sender", ConversationsSandbox.SENDER);
        if (c.queueId == null) b.addNull("queue");
        else b.add("queue", Jsons.BUILDERS.createObjectBuilder().add("id", c.queueId)
                .add("name", ConversationsSandbox.queueName(c.queueId)));
        Agent a = c.agentId == null ? null : agents.get(c.agentId);
        if (c.agentId == null) b.addNull("assignee");
        else b.add("assignee", Jsons.BUILDERS.createObjectBuilder().add("id", c.agentId)
                .add("name", a == null ? c.agentId : a.displayName()).add("bot", a != null && a.bot()));
        addIfSet(b, "topic", c.topic);
        addIfSet(b, "summary", c.summary);
        JsonArrayBuilder tagNames = Jsons.BUILDERS.createArrayBuilder();
        c.tags.forEach(tagNames::add);
        JsonArrayBuilder notes = Jsons.BUILDERS.createArrayBuilder();
        c.notes.forEach(n -> notes.add(note(n, c.id)));
        JsonArrayBuilder messages = Jsons.BUILDERS.createArrayBuilder();
        c.messages.forEach(m -> messages.add(message(m, c.id)));
        JsonArrayBuilder events = Jsons.BUILDERS.createArrayBuilder();
        c.events.forEach(e -> events.add(Jsons.BUILDERS.createObjectBuilder().add("type", e.type)
                .add("subscriptionId", e.subscriptionId).add("at", InfobipTime.format(e.at)).add("status", e.status)));
        b.add("tags", tagNames).add("notes", notes).add("messages", messages).add("events", events)
                .add("createdAt", InfobipTime.format(c.createdAt)).add("updatedAt", InfobipTime.format(c.updatedAt));
        if (c.closedAt != null) b.add("closedAt", InfobipTime.format(c.closedAt));
        addIfSet(b, "previousConversationId", c.predecessorId);
        addIfSet(b, "nextConversationId", c.successorId);
        return b.build();
    }

    private static void addIfSet(JsonObjectBuilder b, String key, String value) {
        if (value != null) b.add(key, value);
    }
}
