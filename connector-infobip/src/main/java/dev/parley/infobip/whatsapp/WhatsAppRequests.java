package dev.parley.infobip.whatsapp;

import dev.parley.spi.OutboundMessage;
import dev.parley.spi.Template;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;

/**
 * The bodies of Infobip's WhatsApp sends, as its published spec has them. Parley's reference is the provider's
 * {@code messageId}, so reports match before the send returns and a lost answer can be looked up; the {@code notifyUrl}
 * (delivery and seen reports) carries the connection's report token.
 */
final class WhatsAppRequests {

    /** WhatsApp's limit for a text message's {@code content.text}. */
    static final int MAX_TEXT = 4096;

    private WhatsAppRequests() {
    }

    /** {@code POST /whatsapp/1/message/text}. */
    static JsonObject text(String sender, OutboundMessage m, URI notifyUrl) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("from", sender)
                .add("to", m.to())
                .add("messageId", m.reference())
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("text", m.text()).add("previewUrl", false))
                .add("notifyUrl", notifyUrl.toString())
                .build();
    }

    /** {@code POST /whatsapp/1/message/template}: one message in the bulk envelope. */
    static JsonObject template(String sender, OutboundMessage m, URI notifyUrl) {
        Template t = m.template();
        JsonArrayBuilder placeholders = Jsons.BUILDERS.createArrayBuilder();
        t.placeholders().forEach(placeholders::add);
        JsonObjectBuilder content = Jsons.BUILDERS.createObjectBuilder()
                .add("templateName", t.name())
                .add("templateData", Jsons.BUILDERS.createObjectBuilder()
                        .add("body", Jsons.BUILDERS.createObjectBuilder().add("placeholders", placeholders)))
                .add("language", t.language());
        return Jsons.BUILDERS.createObjectBuilder()
                .add("messages", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("from", sender)
                        .add("to", m.to())
                        .add("messageId", m.reference())
                        .add("content", content)
                        .add("notifyUrl", notifyUrl.toString())))
                .build();
    }

    /**
     * A template name as WhatsApp registers them: lowercase letters, digits and underscores, at most 512; null when it
     * is one, else what is wrong.
     */
    static String templateNameProblem(String name) {
        return name.matches("[a-z0-9_]{1,512}") ? null
                : "template name '" + name + "' is not one WhatsApp registers (lowercase letters, digits and _ only)";
    }
}
