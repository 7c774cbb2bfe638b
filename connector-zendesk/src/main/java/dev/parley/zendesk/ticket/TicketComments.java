package dev.parley.zendesk.ticket;

import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.http.ZendeskClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A ticket's comments as the desk, the relay check and assist read them. */
public final class TicketComments {

    private TicketComments() {
    }

    /**
     * The newest comments first: the first page (Zendesk's 100), which holds the recent ones even on a long
     * ticket.
     */
    public static List<JsonObject> newestFirst(ZendeskClient client, long ticketId) {
        JsonArray comments = Jsons.array(client.ok("read the comments of Zendesk ticket " + ticketId,
                (api, auth) -> api.comments(auth, ticketId, "desc")), "comments");
        List<JsonObject> out = new ArrayList<>();
        for (JsonValue v : comments == null ? List.<JsonValue>of() : comments) {
            if (v instanceof JsonObject c) out.add(c);
        }
        return out;
    }

    /** What the comment says as text: its {@code plain_body}, else its {@code body}; null when neither. */
    public static String text(JsonObject comment) {
        String plain = Jsons.nonBlank(comment, "plain_body");
        return plain != null ? plain : Jsons.string(comment, "body");
    }

    /** When it was written, or null when Zendesk did not say (or not as ISO-8601). */
    public static Instant createdAt(JsonObject comment) {
        String iso = Jsons.string(comment, "created_at");
        if (iso == null) return null;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
