package dev.parley.hubspot.ticket;

import dev.parley.hubspot.HubSpotSettings;
import dev.parley.hubspot.http.HubSpotClient;
import dev.parley.hubspot.http.HubSpotResponse;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.PermanentException;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HubSpot as a handoff desk: one ticket per Parley session (upserted by the unique {@code ticket-id-property}),
 * associated with the customer's contact (found or created), and one internal note per handoff.
 *
 * <p>Idempotency. The ticket: the upsert by session id cannot create a second one. The association: a PUT, the same
 * when repeated. The note: HubSpot has no idempotency key, so the store remembers it ({@code note:<handoff key>});
 * the key is claimed {@value #PENDING}{@code @<instant>} before the create (an insert-if-absent the runtime decides in
 * its database, so of two instances writing the same handoff's note at once only one goes on; the other is told to
 * retry in {@link #CLAIM_FRESH}), and a retry that finds an older claim (a crash or timeout between create and
 * remember) first looks for the note among the ticket's associated notes by the visible marker
 * {@code Parley ref: <key>} in its body, and creates one only when there is none. The association list is read, not
 * the search API, because the search index lags behind writes by seconds.
 */
public final class TicketDesk {

    static final String PENDING = "pending";
    /** How long a claim on a note counts as another attempt still writing it. */
    static final java.time.Duration CLAIM_FRESH = java.time.Duration.ofSeconds(30);
    static final String SCOPE_NOTES = "crm.objects.contacts.write";
    static final int TICKET_TO_CONTACT = 16;
    static final int NOTE_TO_TICKET = 228;
    static final int NOTE_TO_CONTACT = 202;

    private final HubSpotClient client;
    private final HubSpotSettings settings;
    private final ConnectionContext ctx;
    private final TicketSetup setup;
    private final Contacts contacts;

    public TicketDesk(HubSpotClient client, HubSpotSettings settings, ConnectionContext ctx, TicketSetup setup) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
        this.setup = setup;
        this.contacts = new Contacts(client);
    }

    public DeskTicket open(Handoff h) {
        ConnectionStore store = ctx.store();
        String noteKey = "note:" + h.key();
        Optional<String> doneTicket = store.get("ticket:" + h.key());
        Optional<String> doneNote = store.get(noteKey).filter(v -> !v.startsWith(PENDING));
        if (doneTicket.isPresent() && doneNote.isPresent()) {
            return ticket(doneTicket.get(), store.get("contact:" + h.key()).orElse(null));
        }
        TicketSetup.Target target = setup.target();
        String contactKey = "contact:" + h.key();
        String contactId = store.get(contactKey).orElse(null);
        if (contactId == null) {
            contactId = contacts.findOrCreate(h.contact()).orElse(null);
            if (contactId != null) store.put(contactKey, contactId);
        }
        String ticketId = upsert(h, target);
        store.put("ticket:" + h.key(), ticketId);
        store.put("handoff-of:" + ticketId, h.key());
        if (contactId != null) {
            String cid = contactId;
            client.ok("associate HubSpot ticket " + ticketId + " with contact " + cid, SCOPE_NOTES,
                    (api, auth) -> api.associate(auth, "ticket", ticketId, "contact", cid, types(TICKET_TO_CONTACT)));
        }
        List<JsonObject> to = new ArrayList<>();
        to.add(association(ticketId, NOTE_TO_TICKET));
        if (contactId != null) to.add(association(contactId, NOTE_TO_CONTACT));
        noteOnce(noteKey, h.key(), ticketId, Texts.handoffNote(h), to);
        return ticket(ticketId, contactId);
    }

    /** A customer message written during the handoff becomes a note on the ticket, once per message key. */
    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
        String marker = "message " + messageKey;
        noteOnce("relay:" + messageKey, marker, ticket.ref(), Texts.relayNote(line, null, marker),
                List.of(association(ticket.ref(), NOTE_TO_TICKET)));
    }

    /** The conversation ended: a note on the ticket, once per handoff (the ticket itself is left to the agents). */
    public void close(DeskTicket ticket, String reason) {
        String handoff = ctx.store().get("handoff-of:" + ticket.ref()).orElse("ticket " + ticket.ref());
        String marker = "close " + handoff;
        noteOnce("close:" + handoff, marker, ticket.ref(), Texts.closeNote(reason, marker),
                List.of(association(ticket.ref(), NOTE_TO_TICKET)));
    }

    private DeskTicket ticket(String ticketId, String contactId) {
        String line = "HubSpot ticket " + ticketId + (contactId == null ? " without a contact (no phone or email)"
                : " for contact " + contactId);
        return new DeskTicket(ticketId, setup.ticketUrl(ticketId), line);
    }

    /** {@code POST /crm/v3/objects/tickets/batch/upsert} by the session id: the ticket id. */
    private String upsert(Handoff h, TicketSetup.Target target) {
        JsonObjectBuilder props = Jsons.BUILDERS.createObjectBuilder()
                .add("subject", Texts.subject(h))
                .add("content", Texts.content(h))
                .add("hs_pipeline", target.pipelineId())
                .add("hs_pipeline_stage", target.stageId());
        JsonObject input = Jsons.BUILDERS.createObjectBuilder().add("id", h.sessionId())
                .add("idProperty", settings.ticketIdProperty()).add("properties", props).build();
        String body = Jsons.BUILDERS.createObjectBuilder().add("inputs", Jsons.BUILDERS.createArrayBuilder().add(input))
                .build().toString();
        String what = "open the HubSpot ticket of session " + h.sessionId();
        HubSpotResponse r = client.call(what, (api, auth) -> api.upsertTickets(auth, body));
        if (!r.ok()) throw client.failure(what, TicketSetup.SCOPE_TICKETS, r);
        JsonArray results = Jsons.array(r.json(), "results");
        if (results != null && !results.isEmpty() && results.get(0) instanceof JsonObject first) {
            String id = Jsons.string(first, "id");
            if (id != null) return id;
        }
        JsonArray errors = Jsons.array(r.json(), "errors");
        String why = errors != null && !errors.isEmpty() && errors.get(0) instanceof JsonObject e
                ? Jsons.string(e, "message") : null;
        throw new PermanentException(what + ": HubSpot answered " + r.status() + " without a ticket"
                + (why == null ? "" : " - HubSpot: " + why) + " (check '" + HubSpotSettings.TICKET_ID_PROPERTY
                + "' names a unique ticket property: verify the connection)");
    }

    /** Creates a note once per {@code storeKey}; see the class comment. */
    private String noteOnce(String storeKey, String marker, String ticketId, String body, List<JsonObject> to) {
        ConnectionStore store = ctx.store();
        java.time.Instant now = ctx.clock().instant();
        String claim = PENDING + "@" + now;
        Optional<String> known = store.putIfAbsent(storeKey, claim) ? Optional.empty() : store.get(storeKey);
        if (known.isPresent() && !known.get().startsWith(PENDING)) return known.get();
        if (known.isPresent()) {
            java.time.Instant claimed = claimedAt(known.get());
            if (claimed != null && claimed.plus(CLAIM_FRESH).isAfter(now)) {
                throw new dev.parley.spi.RetryableException("another attempt is adding the note to HubSpot ticket "
                        + ticketId + " right now; trying again after it", CLAIM_FRESH, null);
            }
            Optional<String> found = findNote(ticketId, marker);
            if (found.isPresent()) {
                store.put(storeKey, found.get());
                return found.get();
            }
            if (!store.replace(storeKey, known.get(), claim)) {
                throw new dev.parley.spi.RetryableException("another attempt took over the note of HubSpot ticket "
                        + ticketId, CLAIM_FRESH, null);
            }
        }
        JsonObjectBuilder props = Jsons.BUILDERS.createObjectBuilder()
                .add("hs_timestamp", ctx.clock().instant().toString())
                .add("hs_note_body", body);
        if (settings.owner() != null) props.add("hubspot_owner_id", settings.owner());
        JsonArrayBuilder associations = Jsons.BUILDERS.createArrayBuilder();
        to.forEach(associations::add);
        String json = Jsons.BUILDERS.createObjectBuilder().add("properties", props).add("associations", associations)
                .build().toString();
        String what = "add a note to HubSpot ticket " + ticketId;
        HubSpotResponse r = client.write(what, (api, auth) -> api.createNote(auth, json));
        if (!r.ok()) throw client.failure(what, SCOPE_NOTES, r);
        String id = Jsons.string(r.json(), "id");
        if (id == null) throw new PermanentException(what + ": HubSpot answered " + r.status() + " without a note id");
        store.put(storeKey, id);
        return id;
    }

    /** When a {@value #PENDING} claim was made; null for an old claim without its time (then it is stale). */
    private static java.time.Instant claimedAt(String claim) {
        int at = claim.indexOf('@');
        try {
            return at < 0 ? null : java.time.Instant.parse(claim.substring(at + 1));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A note associated with the ticket whose body carries the marker. */
    private Optional<String> findNote(String ticketId, String marker) {
        JsonObject list = client.ok("list the notes of HubSpot ticket " + ticketId, TicketSetup.SCOPE_TICKETS,
                (api, auth) -> api.associations(auth, "ticket", ticketId, "note", 500));
        List<String> ids = new ArrayList<>();
        JsonArray results = Jsons.array(list, "results");
        if (results != null) {
            for (JsonValue v : results) {
                String id = v instanceof JsonObject o ? Jsons.string(o, "toObjectId") : null;
                if (id != null) ids.add(id);
            }
        }
        String needle = Texts.marker(marker);
        for (int from = 0; from < ids.size(); from += 100) {
            JsonArrayBuilder inputs = Jsons.BUILDERS.createArrayBuilder();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                inputs.add(Jsons.BUILDERS.createObjectBuilder().add("id", id));
            }
            String body = Jsons.BUILDERS.createObjectBuilder()
                    .add("properties", Jsons.BUILDERS.createArrayBuilder().add("hs_note_body"))
                    .add("inputs", inputs).build().toString();
            JsonObject read = client.ok("read the notes of HubSpot ticket " + ticketId, SCOPE_NOTES,
                    (api, auth) -> api.readNotes(auth, body));
            JsonArray notes = Jsons.array(read, "results");
            if (notes == null) continue;
            for (JsonValue v : notes) {
                if (!(v instanceof JsonObject n)) continue;
                String text = Jsons.string(Jsons.object(n, "properties"), "hs_note_body");
                if (hasMarker(text, needle)) return Optional.ofNullable(Jsons.string(n, "id"));
            }
        }
        return Optional.empty();
    }

    /** True when {@code text} holds {@code needle} not followed by more of a key (so key 1 never matches key 12). */
    static boolean hasMarker(String text, String needle) {
        if (text == null) return false;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            int end = at + needle.length();
            if (end == text.length() || !isKeyChar(text.charAt(end))) return true;
        }
        return false;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ':' || c == '.';
    }

    private static String types(int typeId) {
        return Jsons.BUILDERS.createArrayBuilder().add(type(typeId)).build().toString();
    }

    private static JsonObject type(int typeId) {
        return Jsons.BUILDERS.createObjectBuilder().add("associationCategory", "HUBSPOT_DEFINED")
                .add("associationTypeId", typeId).build();
    }

    private static JsonObject association(String id, int typeId) {
        return Jsons.BUILDERS.createObjectBuilder().add("to", Jsons.BUILDERS.createObjectBuilder().add("id", id))
                .add("types", Jsons.BUILDERS.createArrayBuilder().add(type(typeId))).build();
    }
}
