package dev.parley.zendesk.ticket;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handoffs as Zendesk tickets: the customer becomes the requester (an end user found or created by email),
 * the conversation an internal note, customer messages public comments by the requester, and public agent
 * comments come back as {@link InboundEvent.AgentReplied} (read from the API, never from webhook payloads).
 */
public final class TicketDesk {

    /** Replies older than this are never returned: the runtime's dedup window (48 h) must still hold them. */
    static final Duration REPLY_MAX_AGE = Duration.ofHours(24);
    /** Zendesk keeps comments up to 64 KB; the transcript is clipped (oldest lines first) to stay below. */
    static final int MAX_NOTE_CHARS = 60_000;
    static final int MAX_SUBJECT_CHARS = 150;
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final int CACHE_LIMIT = 10_000;

    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;
    /** ticket id -> requester id: relays need the requester as author. */
    private final Map<Long, Long> requesters = new ConcurrentHashMap<>();
    /** user id -> (name, role), for reply authors. */
    private final Map<Long, Author> authors = new ConcurrentHashMap<>();
    private volatile Long ownUserId;

    public TicketDesk(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    /** The API user's id, when verification already read it (saves a users/me call). */
    public void rememberOwnUser(Long userId) {
        if (userId != null) ownUserId = userId;
    }

    public DeskTicket open(Handoff handoff) {
        HandoffContact contact = handoff.contact();
        String email = contact.email() == null ? null : contact.email().strip();
        if (email == null || email.isEmpty()) {
            throw new PermanentException("the customer has no email address; Zendesk tickets need one (a requester is "
                    + "an end user found by email): ask for it before handing off, or hand off to a desk that takes "
                    + "phone contacts");
        }
        long requesterId = requester(contact, email);
        String body = ticketBody(handoff, requesterId).toString();
        ZendeskResponse r = client.call("create the Zendesk ticket",
                (api, auth) -> api.createTicket(auth, handoff.key(), body));
        JsonObject sent = Jsons.object(Jsons.parseObjectOrNull(body), "ticket");
        if (r.status() == 422 && sent != null && sent.containsKey("custom_fields")) {
            // An AI value a custom field refuses (a dropdown, a date, a number) must not cost the customer the handoff:
            // the values are in the note anyway. A new key, as the body differs from the refused one.
            ctx.log().warn("handoff " + handoff.key() + ": Zendesk refused the mapped custom fields ("
                    + ZendeskClient.failure("create the Zendesk ticket", r).getMessage() + "); opening the ticket without them");
            JsonObject withoutFields = Jsons.BUILDERS.createObjectBuilder().add("ticket",
                    Jsons.BUILDERS.createObjectBuilder(sent).remove("custom_fields")).build();
            r = client.call("create the Zendesk ticket", (api, auth) -> api.createTicket(auth, handoff.key() + "-nofields",
                    withoutFields.toString()));
        }
        long ticketId;
        if (r.ok()) {
            ticketId = ticketId(r.json(), "create the Zendesk ticket");
            if ("hit".equalsIgnoreCase(r.header("x-idempotency-lookup").orElse(""))) {
                ctx.log().info("handoff " + handoff.key() + ": Zendesk already had ticket " + ticketId
                        + " for this idempotency key; reused it");
            }
        } else if (r.status() == 400 && "IdempotentRequestError".equals(Jsons.string(r.json(), "error"))) {
            ticketId = existingTicket(handoff);
            ctx.log().info("handoff " + handoff.key() + ": the handoff changed since its first try; reused ticket "
                    + ticketId + " (external_id " + handoff.sessionId() + ")");
        } else {
            throw ZendeskClient.failure("create the Zendesk ticket", r);
        }
        remember(requesters, ticketId, requesterId);
        return new DeskTicket(String.valueOf(ticketId), settings.baseUri() + "/agent/tickets/" + ticketId, null);
    }

    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
        long id = ticketId(ticket);
        Long requester = requesters.get(id);
        if (requester == null) {
            JsonObject t = ticketOrNull(id);
            if (t == null) {
                throw new PermanentException("Zendesk ticket " + id + " no longer exists (deleted): the message was not "
                        + "relayed");
            }
            requester = Jsons.integer(t, "requester_id");
            if (requester == null) {
                throw new PermanentException("Zendesk ticket " + id + " has no requester: the message was not relayed");
            }
            remember(requesters, id, requester);
        }
        String text = line.text() == null || line.text().isBlank() ? "(the customer sent no text)" : line.text();
        JsonObject comment = Jsons.BUILDERS.createObjectBuilder().add("body", text).add("public", true)
                .add("author_id", requester).build();
        // Zendesk's ticket update takes no idempotency key: a marker (the attempt's start) kept while the call is
        // under way tells a retry, after a timeout or a crash when the first call may have landed, to look first.
        String marker = "relay-attempt." + messageKey;
        Instant earlier = ctx.store().get(marker).map(TicketDesk::instant).orElse(null);
        if (earlier != null && alreadyCommented(id, requester, text, earlier)) {
            ctx.store().remove(marker);
            ctx.log().info("message " + messageKey + " was already on Zendesk ticket " + id + " (an earlier attempt landed)");
            return;
        }
        ctx.store().put(marker, ctx.clock().instant().toString());
        try {
            update(id, comment, "relay the customer's message to Zendesk ticket " + id);
        } catch (PermanentException e) {
            ctx.store().remove(marker); // never retried: nothing to look for later
            throw e;
        }
        ctx.store().remove(marker);
    }

    /**
     * True when the ticket's newest comments hold this text by this author, written since the earlier attempt
     * began (a minute of clock skew allowed): an older comment with the same words ("yes") is another message.
     */
    private boolean alreadyCommented(long id, long author, String text, Instant since) {
        for (JsonObject c : TicketComments.newestFirst(client, id)) {
            Instant created = TicketComments.createdAt(c);
            if (created == null || created.isBefore(since.minusSeconds(60))) continue;
            String body = TicketComments.text(c);
            if (Long.valueOf(author).equals(Jsons.integer(c, "author_id")) && body != null
                    && body.strip().equals(text.strip())) {
                return true;
            }
        }
        return false;
    }

    public void close(DeskTicket ticket, String reason) {
        long id = ticketId(ticket);
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        JsonObject note = Jsons.BUILDERS.createObjectBuilder()
                .add("body", "The customer ended the conversation in Parley: " + why).add("public", false).build();
        String what = "note the customer's close on Zendesk ticket " + id;
        // Note and tag in one update, so a retry cannot add the note twice after the tag failed.
        String body = Jsons.BUILDERS.createObjectBuilder().add("ticket", Jsons.BUILDERS.createObjectBuilder()
                .add("comment", note)
                .add("additional_tags", Jsons.BUILDERS.createArrayBuilder().add(settings.tag("customer_closed"))))
                .build().toString();
        ZendeskResponse r = client.call(what, (api, auth) -> api.updateTicket(auth, id, body));
        if (r.status() == 404 || r.status() == 422) {
            // A deleted or closed ticket: there is nothing left to record the close on.
            ctx.log().info("Zendesk ticket " + id + " could not take the close note (" + r.status()
                    + "): it is deleted or closed");
            return;
        }
        if (!r.ok()) throw ZendeskClient.failure(what, r);
    }

    public List<InboundEvent> activity(DeskTicket ticket) {
        long id = ticketId(ticket);
        JsonObject t = ticketOrNull(id);
        if (t == null) {
            ctx.log().info("Zendesk ticket " + id + " is gone (404, deleted): the handoff ends");
            return List.of(new InboundEvent.ConversationClosed(id + ":deleted", ticket.ref()));
        }
        Long requester = Jsons.integer(t, "requester_id");
        if (requester != null) remember(requesters, id, requester);
        long own = ownUserId();
        // Newest first, so the first page holds the last 24 hours even on a long ticket; returned oldest first.
        Instant oldest = ctx.clock().instant().minus(REPLY_MAX_AGE);
        List<InboundEvent> out = new ArrayList<>();
        for (JsonObject c : TicketComments.newestFirst(client, id)) {
            Long commentId = Jsons.integer(c, "id");
            Long author = Jsons.integer(c, "author_id");
            // Internal notes never reach the customer, whatever the webhook said.
            if (commentId == null || author == null || !Jsons.bool(c, "public", false)) continue;
            if (author.equals(requester) || author == own) continue;
            Instant created = TicketComments.createdAt(c);
            if (created == null || created.isBefore(oldest)) continue;
            Author who = author(author);
            if (who == null || !who.agent()) continue;
            String text = TicketComments.text(c);
            if (text == null || text.isBlank()) continue;
            out.add(new InboundEvent.AgentReplied(id + ":" + commentId, ticket.ref(), text.strip(), who.name()));
        }
        Collections.reverse(out);
        String status = String.valueOf(Jsons.string(t, "status")).toLowerCase(Locale.ROOT);
        if ("solved".equals(status) || "closed".equals(status)) {
            out.add(new InboundEvent.ConversationClosed(id + ":solved", ticket.ref()));
        }
        return out;
    }

    // --- open

    /** The id of the user with exactly this email, or null (none, or the search is not available). */
    private Long userByEmail(String email) {
        ZendeskResponse r = client.call("look up the Zendesk user by email",
                (api, auth) -> api.searchUsers(auth, "email:\"" + email + "\""));
        if (!r.ok()) {
            return null;
        }
        JsonArray users = Jsons.array(r.json(), "users");
        for (JsonValue v : users == null ? List.<JsonValue>of() : users) {
            if (v instanceof JsonObject u && email.equalsIgnoreCase(String.valueOf(Jsons.string(u, "email")))) {
                return Jsons.integer(u, "id");
            }
        }
        return null;
    }

    private long requester(HandoffContact contact, String email) {
        // An existing user is used as is: the address may have been typed in a chat, and create_or_update would
        // overwrite that user's name and phone with what this conversation claims.
        Long existing = userByEmail(email);
        if (existing != null) {
            return existing;
        }
        String name = contact.name() == null || contact.name().isBlank() ? email : contact.name().strip();
        JsonObjectBuilder user = Jsons.BUILDERS.createObjectBuilder().add("name", name).add("email", email);
        // No "role": Zendesk creates new users as end users, and a role here would demote an agent who writes in.
        if (contact.phone() != null && contact.phone().startsWith("+")) user.add("phone", contact.phone());
        String body = Jsons.BUILDERS.createObjectBuilder().add("user", user).add("skip_verify_email", true).build()
                .toString();
        JsonObject r = client.ok("find or create the Zendesk requester",
                (api, auth) -> api.createOrUpdateUser(auth, body));
        Long id = Jsons.integer(Jsons.object(r, "user"), "id");
        if (id == null) {
            throw new PermanentException("find or create the Zendesk requester: Zendesk's answer has no user id");
        }
        return id;
    }

    JsonObject ticketBody(Handoff h, long requesterId) {
        JsonArrayBuilder tags = Jsons.BUILDERS.createArrayBuilder()
                .add(settings.tag("channel_" + tagSafe(h.channel())))
                .add(settings.tag("sentiment_" + h.sentiment().tag()))
                .add(settings.tag("handed_off"))
                .add(settings.installationTag());
        JsonObjectBuilder ticket = Jsons.BUILDERS.createObjectBuilder()
                .add("subject", subject(h))
                .add("requester_id", requesterId)
                .add("external_id", h.sessionId())
                .add("tags", tags);
        JsonArrayBuilder fields = Jsons.BUILDERS.createArrayBuilder();
        int mapped = 0;
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(h.fields()).entrySet()) {
            Long fieldId = settings.customFields().get(f.getKey());
            if (fieldId == null) {
                // Unmapped fields stay in the note's context only; never fatal (names only: values may be personal).
                ctx.log().info("handoff " + h.key() + ": field '" + f.getKey() + "' has no Zendesk custom field in '"
                        + ZendeskSettings.CUSTOM_FIELDS + "'; left out of the ticket");
                continue;
            }
            if (f.getValue() == null) continue;
            fields.add(Jsons.BUILDERS.createObjectBuilder().add("id", fieldId).add("value", f.getValue()));
            mapped++;
        }
        if (mapped > 0) ticket.add("custom_fields", fields);
        ticket.add("comment", Jsons.BUILDERS.createObjectBuilder().add("body", note(h)).add("public", false));
        return Jsons.BUILDERS.createObjectBuilder().add("ticket", ticket).build();
    }

    static String subject(Handoff h) {
        String reason = h.reason() == null || h.reason().isBlank() ? "customer asked for a person" : h.reason().strip();
        String s = ("Handoff: " + reason).replaceAll("\\s+", " ");
        return s.length() <= MAX_SUBJECT_CHARS ? s : s.substring(0, MAX_SUBJECT_CHARS - 3) + "...";
    }

    /** The first comment, an internal note: summary, reason, language, transcript, link back to Parley. */
    static String note(Handoff h) {
        StringBuilder head = new StringBuilder();
        head.append("Summary: ").append(orNone(h.summary())).append('\n');
        head.append("Reason: ").append(orNone(h.reason())).append('\n');
        head.append("Language: ").append(orNone(h.language())).append('\n');
        head.append("Sentiment: ").append(h.sentiment().tag()).append('\n');
        head.append("Channel: ").append(orNone(h.channel()));
        if (h.channelType() != null) head.append(" (").append(h.channelType()).append(')');
        head.append("\n\nTranscript (UTC):\n");
        String tail = "\nView session in Parley: " + orNone(h.sessionUrl());
        List<String> lines = new ArrayList<>();
        for (TranscriptLine l : h.transcript()) lines.add(line(l));
        int budget = MAX_NOTE_CHARS - head.length() - tail.length() - 80;
        int used = 0;
        int first = lines.size();
        while (first > 0 && used + lines.get(first - 1).length() + 1 <= budget) {
            used += lines.get(--first).length() + 1;
        }
        StringBuilder sb = new StringBuilder(head);
        if (first > 0) sb.append("(").append(first).append(" earlier lines left out: see the session in Parley)\n");
        for (int i = first; i < lines.size(); i++) sb.append(lines.get(i)).append('\n');
        if (lines.isEmpty()) sb.append("(no messages)\n");
        return sb.append(tail).toString();
    }

    private static String line(TranscriptLine l) {
        String time = l.at() == null ? "--:--" : l.at().withOffsetSameInstant(ZoneOffset.UTC).format(HH_MM);
        String who = switch (String.valueOf(l.author())) {
            case TranscriptLine.CUSTOMER -> "Customer";
            case TranscriptLine.BOT -> "Bot";
            case TranscriptLine.AGENT -> "Agent";
            default -> l.author() == null ? "Unknown" : l.author();
        };
        return "[" + time + "] " + who + ": " + (l.text() == null ? "" : l.text());
    }

    /** After an IdempotentRequestError: the ticket this handoff created first, found by external_id. */
    private long existingTicket(Handoff h) {
        JsonObject r = client.ok("find the Zendesk ticket of session " + h.sessionId(),
                (api, auth) -> api.ticketsByExternalId(auth, h.sessionId()));
        JsonArray tickets = Jsons.array(r, "tickets");
        Long best = null;
        for (JsonValue v : tickets == null ? List.<JsonValue>of() : tickets) {
            if (!(v instanceof JsonObject t)) continue;
            JsonArray tags = Jsons.array(t, "tags");
            boolean ours = tags != null && tags.stream().anyMatch(x -> x instanceof jakarta.json.JsonString s
                    && s.getString().equals(settings.installationTag()));
            Long id = Jsons.integer(t, "id");
            if (ours && id != null && (best == null || id < best)) best = id;
        }
        if (best == null) {
            throw new RetryableException("create the Zendesk ticket: Zendesk refused a repeat of this handoff "
                    + "(IdempotentRequestError) but has no ticket with external_id " + h.sessionId() + " tagged "
                    + settings.installationTag() + " yet; will try again", Duration.ofMinutes(5), null);
        }
        return best;
    }

    // --- shared

    private void update(long id, JsonObject comment, String what) {
        String body = wrap(comment);
        client.write(what, (api, auth) -> api.updateTicket(auth, id, body));
    }

    private static String wrap(JsonObject comment) {
        return Jsons.BUILDERS.createObjectBuilder().add("ticket", Jsons.BUILDERS.createObjectBuilder()
                .add("comment", comment)).build().toString();
    }

    private JsonObject ticketOrNull(long id) {
        ZendeskResponse r = client.call("read Zendesk ticket " + id, (api, auth) -> api.ticket(auth, id));
        if (r.status() == 404) return null;
        if (!r.ok()) throw ZendeskClient.failure("read Zendesk ticket " + id, r);
        JsonObject t = Jsons.object(r.json(), "ticket");
        if (t == null) throw new PermanentException("read Zendesk ticket " + id + ": the answer has no ticket");
        return t;
    }

    private long ownUserId() {
        Long id = ownUserId;
        if (id == null) {
            id = Jsons.integer(Jsons.object(client.ok("read Parley's own Zendesk user",
                    (api, auth) -> api.me(auth)), "user"), "id");
            if (id == null) {
                throw new PermanentException("Zendesk answered users/me as an anonymous user: check 'email' and "
                        + "'api-token', and that token access is on");
            }
            ownUserId = id;
        }
        return id;
    }

    private Author author(long userId) {
        Author a = authors.get(userId);
        if (a != null) return a;
        ZendeskResponse r = client.call("read Zendesk user " + userId, (api, auth) -> api.user(auth, userId));
        if (r.status() == 404) return null;
        if (!r.ok()) throw ZendeskClient.failure("read Zendesk user " + userId, r);
        JsonObject u = Jsons.object(r.json(), "user");
        String role = String.valueOf(Jsons.string(u, "role")).toLowerCase(Locale.ROOT);
        String name = Jsons.nonBlank(u, "name");
        a = new Author(name == null ? "Agent" : name, "agent".equals(role) || "admin".equals(role));
        remember(authors, userId, a);
        return a;
    }

    private record Author(String name, boolean agent) {
    }

    private static <K, V> void remember(Map<K, V> cache, K key, V value) {
        if (cache.size() >= CACHE_LIMIT) cache.clear(); // a cache, not a record: refetched on demand
        cache.put(key, value);
    }

    private static long ticketId(DeskTicket ticket) {
        try {
            return Long.parseLong(ticket.ref().strip());
        } catch (NumberFormatException e) {
            throw new PermanentException("'" + ticket.ref() + "' is not a Zendesk ticket id (digits expected)");
        }
    }

    private static long ticketId(JsonObject answer, String what) {
        Long id = Jsons.integer(Jsons.object(answer, "ticket"), "id");
        if (id == null) throw new PermanentException(what + ": Zendesk's answer has no ticket id");
        return id;
    }

    private static Instant instant(String iso) {
        if (iso == null) return null;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String tagSafe(String s) {
        String v = s == null ? "unknown" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return v.isEmpty() ? "unknown" : v;
    }

    private static String orNone(String s) {
        return s == null || s.isBlank() ? "(none)" : s.strip();
    }
}
