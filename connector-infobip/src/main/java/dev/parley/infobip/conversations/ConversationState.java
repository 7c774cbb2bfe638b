package dev.parley.infobip.conversations;

import dev.parley.spi.ConnectionStore;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What Parley knows of one Infobip conversation, kept in the connection's store (shared by every instance) under
 * {@code conv:<conversationId>}: its status and assignee as the latest event said (an older event delivered late
 * changes neither), and the route back to the customer (Infobip's "create message" call needs channel, sender and
 * customer, and a conversation has none of them). Kept only for conversations a customer wrote in; removed when the
 * conversation closes. Immutable.
 *
 * @param status     OPEN, WAITING, SOLVED, PENDING or CLOSED; null when unknown
 * @param assigneeId the assigned agent's or bot's id; null when unassigned
 * @param at         when Infobip said so (the event's timestamp)
 * @param route      how a reply reaches the customer; null when no message was seen
 * @param releasedAt when Parley's own handoff unassigned the AI; null otherwise (cleared when anyone is assigned)
 */
public record ConversationState(String status, String assigneeId, Instant at, ConversationsRequests.ReplyRoute route,
                                Instant releasedAt) {

    static final String KEY_PREFIX = "conv:";

    /**
     * What one event said about its conversation.
     *
     * @param assigneeKnown the event carried the assignee (null {@code assigneeId} then means unassigned)
     * @param route         the route of a customer message; null for other events
     */
    public record Fact(String conversationId, Instant at, String status, boolean assigneeKnown, String assigneeId,
                       ConversationsRequests.ReplyRoute route) {
    }

    public boolean closed() {
        return "CLOSED".equals(status);
    }

    /** The stored state of a conversation, if Parley has seen a customer message of it. */
    public static Optional<ConversationState> load(ConnectionStore store, String conversationId) {
        return store.get(KEY_PREFIX + conversationId).map(Jsons::parseObjectOrNull).map(ConversationState::of);
    }

    /**
     * Applies an event to the stored state: a customer message creates it, other events only update a conversation
     * Parley already keeps (the contact center's other conversations cost nothing). A CLOSED conversation's entry is
     * removed: a closed conversation never opens again at Infobip.
     */
    public static void apply(ConnectionStore store, Fact fact) {
        String key = KEY_PREFIX + fact.conversationId();
        Optional<ConversationState> known = load(store, fact.conversationId());
        if (known.isEmpty() && fact.route() == null) return;
        ConversationState now = known.map(s -> s.merge(fact)).orElseGet(() -> new ConversationState(fact.status(),
                fact.assigneeKnown() ? fact.assigneeId() : null, fact.at(), fact.route(), null));
        if (known.isPresent() && known.get().equals(now)) return;
        store.put(key, now.json());
    }

    /** Records what Parley itself changed (its own assign, close) or learnt from a refusal. */
    public static void update(ConnectionStore store, String conversationId, String status, boolean assigneeKnown,
                              String assigneeId, Instant at) {
        load(store, conversationId).ifPresent(s -> store.put(KEY_PREFIX + conversationId,
                s.merge(new Fact(conversationId, at, status, assigneeKnown, assigneeId, null)).json()));
    }

    /** Parley's handoff unassigned the AI: its own last words (the handoff confirmation) may still go out. */
    public static void released(ConnectionStore store, String conversationId, Instant at) {
        load(store, conversationId).ifPresent(s -> store.put(KEY_PREFIX + conversationId,
                new ConversationState(s.status, null, s.at != null && s.at.isAfter(at) ? s.at : at, s.route, at).json()));
    }

    /** Forgets a conversation (closed, or Parley closed it). */
    public static void forget(ConnectionStore store, String conversationId) {
        store.remove(KEY_PREFIX + conversationId);
    }

    private ConversationState merge(Fact f) {
        boolean newer = at == null || f.at() == null || !f.at().isBefore(at);
        ConversationsRequests.ReplyRoute r = f.route() != null ? f.route() : route;
        if (!newer) return new ConversationState(status, assigneeId, at, r, releasedAt);
        String assignee = f.assigneeKnown() ? f.assigneeId() : assigneeId;
        return new ConversationState(f.status() != null ? f.status() : status, assignee,
                f.at() != null ? f.at() : at, r, assignee == null ? releasedAt : null);
    }

    private String json() {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder();
        if (status != null) b.add("status", status);
        if (assigneeId != null) b.add("assignee", assigneeId);
        if (at != null) b.add("at", at.toString());
        if (releasedAt != null) b.add("released", releasedAt.toString());
        if (route != null) {
            b.add("channel", route.channel()).add("sender", route.sender() == null ? "" : route.sender())
                    .add("customer", route.customer());
        }
        return b.build().toString();
    }

    private static ConversationState of(JsonObject o) {
        if (o == null) return null;
        String at = Jsons.nonBlank(o, "at");
        String channel = Jsons.nonBlank(o, "channel");
        String customer = Jsons.nonBlank(o, "customer");
        String status = Jsons.nonBlank(o, "status");
        String released = Jsons.nonBlank(o, "released");
        return new ConversationState(status == null ? null : status.toUpperCase(Locale.ROOT), Jsons.nonBlank(o, "assignee"),
                instant(at), channel == null || customer == null ? null
                        : new ConversationsRequests.ReplyRoute(channel, Jsons.string(o, "sender"), customer),
                instant(released));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // a damaged value counts as unknown
        }
    }
}
