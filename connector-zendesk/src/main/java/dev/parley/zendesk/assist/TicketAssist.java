package dev.parley.zendesk.assist;

import dev.parley.spi.AssistDesk;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import dev.parley.zendesk.ticket.TicketComments;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Assist mode's ticket calls: read a ticket and the requester's newest public comment, post a suggestion
 * as an internal note ({@code public:false}: the customer never sees it), add tags.
 */
public final class TicketAssist {

    /** Heads every suggestion, so agents never mistake it for something the customer was sent. */
    static final String SUGGESTION_HEADER = "Parley suggests (not sent to the customer):\n\n";

    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public TicketAssist(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    public Optional<AssistDesk.AssistTicket> ticket(String ticketRef) {
        long id = ticketId(ticketRef);
        ZendeskResponse r = client.call("read ticket " + id, (api, auth) -> api.ticket(auth, id));
        if (r.status() == 404) return Optional.empty();
        if (!r.ok()) throw ZendeskClient.failure("read ticket " + id, r);
        JsonObject ticket = Jsons.object(r.json(), "ticket");
        if (ticket == null) {
            throw new PermanentException("read ticket " + id + ": Zendesk's answer has no ticket object");
        }
        Set<String> tags = new LinkedHashSet<>();
        JsonArray tagArray = Jsons.array(ticket, "tags");
        if (tagArray != null) {
            for (JsonValue t : tagArray) {
                if (t.getValueType() == JsonValue.ValueType.STRING) tags.add(((jakarta.json.JsonString) t).getString());
            }
        }
        String status = Optional.ofNullable(Jsons.nonBlank(ticket, "status")).map(s -> s.toLowerCase(Locale.ROOT))
                .orElse("");
        Long requester = Jsons.integer(ticket, "requester_id");

        String commentId = null;
        String question = null;
        if (requester != null) {
            for (JsonObject c : TicketComments.newestFirst(client, id)) {
                if (Jsons.bool(c, "public", false) && requester.equals(Jsons.integer(c, "author_id"))) {
                    commentId = Jsons.string(c, "id");
                    question = TicketComments.text(c);
                    break; // newest first
                }
            }
        }
        return Optional.of(new AssistDesk.AssistTicket(String.valueOf(id), status, tags,
                tags.contains(settings.tag("handed_off")), commentId, question, Jsons.string(ticket, "subject")));
    }

    public void suggest(String ticketRef, String commentId, String text) {
        long id = ticketId(ticketRef);
        String body = Jsons.BUILDERS.createObjectBuilder()
                .add("ticket", Jsons.BUILDERS.createObjectBuilder()
                        .add("comment", Jsons.BUILDERS.createObjectBuilder()
                                .add("body", SUGGESTION_HEADER + (text == null ? "" : text))
                                .add("public", false)))
                .build().toString();
        // As for relays: the update has no idempotency key, so a retry after an attempt that may have landed looks first.
        String marker = "suggest-attempt." + id + "." + commentId;
        if (ctx.store().get(marker).isPresent() && alreadySuggested(id, SUGGESTION_HEADER + (text == null ? "" : text))) {
            ctx.store().remove(marker);
            return;
        }
        ctx.store().put(marker, "1");
        try {
            client.write("post a suggestion on ticket " + id, (api, auth) -> api.updateTicket(auth, id, body));
        } catch (dev.parley.spi.PermanentException e) {
            ctx.store().remove(marker); // never retried: nothing to look for later
            throw e;
        }
        ctx.store().remove(marker);
    }

    private boolean alreadySuggested(long id, String note) {
        for (JsonObject c : TicketComments.newestFirst(client, id)) {
            String b = TicketComments.text(c);
            if (!Jsons.bool(c, "public", true) && b != null && b.strip().equals(note.strip())) return true;
        }
        return false;
    }

    public void tag(String ticketRef, List<String> tags) {
        long id = ticketId(ticketRef);
        if (tags == null || tags.isEmpty()) return;
        var array = Jsons.BUILDERS.createArrayBuilder();
        tags.forEach(array::add);
        String body = Jsons.BUILDERS.createObjectBuilder().add("tags", array).build().toString();
        client.ok("tag ticket " + id, (api, auth) -> api.addTags(auth, id, body));
    }

    private static long ticketId(String ref) {
        try {
            return Long.parseLong(ref == null ? "" : ref.strip());
        } catch (NumberFormatException e) {
            throw new PermanentException("'" + ref + "' is not a Zendesk ticket id (a number)");
        }
    }
}
