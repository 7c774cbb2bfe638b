package dev.parley.runtime.session;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.web.JsonSupport;
import dev.parley.spi.Attachment;
import dev.parley.spi.MessageContent;
import dev.parley.spi.Template;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON kept in {@code chat_message.extras}: what a message carried besides its text (attachments, structured
 * content, why it was not acted on) or the template Parley sent. Written once with the message, read for the admin
 * view, the bot and the send.
 */
public final class MessageExtras {

    /** Structured content beyond this is kept as a note that it was cut, not as JSON that no longer parses. */
    static final int MAX_STRUCTURED = 100_000;

    private MessageExtras() {
    }

    /** The extras of an inbound message; null when it was plain text. */
    public static String of(MessageContent content) {
        if (content == null || (content.attachments().isEmpty() && content.structured() == null && content.unsupported() == null)) {
            return null;
        }
        JsonObjectBuilder o = JsonSupport.JSON.createObjectBuilder();
        if (!content.attachments().isEmpty()) {
            JsonArrayBuilder a = JsonSupport.JSON.createArrayBuilder();
            content.attachments().forEach(att -> a.add(attachment(att)));
            o.add("attachments", a);
        }
        if (content.structured() != null) {
            o.add("structured", structured(content.structured()));
        }
        if (content.unsupported() != null) {
            o.add("unsupported", Columns.fit(content.unsupported(), 2000));
        }
        return o.build().toString();
    }

    /** The extras of a template Parley sends. */
    public static String of(Template template) {
        JsonArrayBuilder values = JsonSupport.JSON.createArrayBuilder();
        template.placeholders().forEach(values::add);
        return JsonSupport.JSON.createObjectBuilder().add("template", JsonSupport.JSON.createObjectBuilder()
                .add("name", template.name()).add("language", template.language()).add("placeholders", values)).build().toString();
    }

    /** The template a stored outbound message is, if it is one. */
    public static Optional<Template> template(String extras) {
        JsonObject o = parse(extras);
        if (o == null || !(o.get("template") instanceof JsonObject t)) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        t.getJsonArray("placeholders").forEach(v -> values.add(((jakarta.json.JsonString) v).getString()));
        return Optional.of(new Template(t.getString("name"), t.getString("language"), values));
    }

    /** The attachments of a stored message. */
    public static List<Attachment> attachments(String extras) {
        JsonObject o = parse(extras);
        List<Attachment> out = new ArrayList<>();
        if (o == null || !(o.get("attachments") instanceof jakarta.json.JsonArray a)) {
            return out;
        }
        for (JsonValue v : a) {
            JsonObject j = v.asJsonObject();
            out.add(new Attachment(j.getString("kind", null), j.getString("mediaId", null),
                    j.containsKey("providerUrl") ? URI.create(j.getString("providerUrl")) : null, j.getString("contentType", null),
                    j.getString("fileName", null), j.containsKey("sizeBytes") ? j.getJsonNumber("sizeBytes").longValue() : null,
                    j.getString("caption", null), j.getString("copyFailure", null)));
        }
        return out;
    }

    /** The whole object for views (null when none). */
    public static JsonObject parse(String extras) {
        if (extras == null || extras.isBlank()) {
            return null;
        }
        try {
            return JsonSupport.JSON.createReader(new StringReader(extras)).readObject();
        } catch (RuntimeException e) {
            return null; // written by this class: unreadable only if edited by hand
        }
    }

    private static JsonObject attachment(Attachment a) {
        JsonObjectBuilder j = JsonSupport.JSON.createObjectBuilder();
        put(j, "kind", a.kind(), 40);
        put(j, "mediaId", a.mediaId(), 200);
        put(j, "providerUrl", a.providerUrl() == null ? null : a.providerUrl().toString(), 4000);
        put(j, "contentType", a.contentType(), 200);
        put(j, "fileName", a.fileName(), 255);
        if (a.sizeBytes() != null) {
            j.add("sizeBytes", a.sizeBytes());
        }
        put(j, "caption", a.caption(), 4000);
        put(j, "copyFailure", a.copyFailure(), 2000);
        return j.build();
    }

    private static void put(JsonObjectBuilder j, String name, String value, int max) {
        if (value != null) {
            j.add(name, Columns.fit(value, max));
        }
    }

    private static JsonValue structured(String json) {
        if (json.length() > MAX_STRUCTURED) {
            return JsonSupport.JSON.createValue("(" + json.length() + " characters of structured content, more than "
                    + MAX_STRUCTURED + " are kept)");
        }
        try {
            return JsonSupport.JSON.createReader(new StringReader(json)).readValue();
        } catch (RuntimeException e) {
            return JsonSupport.JSON.createValue(json); // not JSON: kept as text
        }
    }
}
