package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.MediaCopier;

import dev.parley.infobip.http.InfobipTime;
import dev.parley.infobip.webhook.SmsWebhooks;
import dev.parley.spi.Attachment;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.MessageContent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.util.Jsons;
import dev.parley.infobip.webhook.BatchItems.Skip;
import static dev.parley.infobip.webhook.BatchItems.each;
import static dev.parley.infobip.webhook.BatchItems.required;
import static dev.parley.infobip.webhook.BatchItems.results;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses Infobip's WhatsApp webhooks: inbound messages (every type of the published {@code WhatsAppInboundContent}),
 * delivery reports and seen reports. A malformed item is skipped with its reason; an item Parley cannot act on (an
 * unsupported type, infected content) is still an event, marked unsupported with the reason, so nothing breaks the
 * batch and nothing is silently dropped.
 */
public final class WhatsAppWebhooks {

    /** Files in an inbound message: copied at once, because their link needs the connection's key and expires. */
    static final Set<String> MEDIA_TYPES = Set.of("IMAGE", "DOCUMENT", "AUDIO", "VIDEO", "VOICE", "STICKER");

    /**
     * Infobip's chat error for a free-form message outside the 24-hour window (UNCONFIRMED: from Infobip's chat error
     * table, not from a delivery report seen in the wild); Meta's own code is 131047.
     */
    static final Set<String> WINDOW_ERRORS = Set.of("7010", "EC_NO_SESSION", "131047");

    /** The reason a send outside the window gets, whether Parley stopped it or the provider reported it. */
    public static final String OUTSIDE_WINDOW = "outside WhatsApp's 24-hour customer-care window: the customer last wrote"
            + " more than 24 hours ago (or never); free text is not allowed, send an approved template instead"
            + " (POST /api/connections/<id>/messages with \"template\")";

    /** A business-scoped user id (Meta usernames: a customer without a visible phone number). */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,149}");

    private WhatsAppWebhooks() {
    }

    /** {@code {"results":[{from, to, messageId, receivedAt, message:{type, ...}, contact:{...}}], ...}}. */
    public static WebhookBatch inbound(byte[] body, MediaCopier media) {
        return each(results(body), "results", r -> {
            String messageId = required(r, "messageId");
            JsonObject contact = Jsons.object(r, "contact");
            String from = Jsons.nonBlank(r, "from");
            if (from == null && contact != null) {
                from = Jsons.nonBlank(contact, "phoneNumber");
            }
            if (from == null && contact != null) {
                from = Jsons.nonBlank(contact, "userId"); // a Meta username: no phone number, still a contact
            }
            if (from == null) throw new Skip("missing from (and no contact phoneNumber or userId)");
            JsonObject message = Jsons.object(r, "message");
            if (message == null) throw new Skip("missing message");
            String type = Jsons.nonBlank(message, "type");
            if (type == null) throw new Skip("missing message.type");
            type = type.trim().toUpperCase(Locale.ROOT);
            String name = contact == null ? null : firstNonBlank(Jsons.nonBlank(contact, "name"), Jsons.nonBlank(contact, "username"));
            Content c = content(type, message, media);
            return new InboundEvent.MessageReceived(messageId, from, Jsons.string(r, "to"), c.text,
                    InfobipTime.parse(Jsons.string(r, "receivedAt")), name, c.content);
        });
    }

    private record Content(String text, MessageContent content) {
    }

    private static Content content(String type, JsonObject m, MediaCopier media) throws Skip {
        switch (type) {
            case "TEXT":
                return new Content(orEmpty(Jsons.string(m, "text")), null);
            case "BUTTON": // a template's quick reply
                return choice(type, Jsons.string(m, "text"), Jsons.string(m, "payload"));
            case "INTERACTIVE_BUTTON_REPLY":
            case "INTERACTIVE_LIST_REPLY":
                return choice(type, Jsons.string(m, "title"), Jsons.string(m, "id"));
            case "LOCATION": {
                Double lat = number(m, "latitude");
                Double lon = number(m, "longitude");
                if (lat == null || lon == null) throw new Skip("a LOCATION without latitude and longitude");
                String place = String.join(", ", nonBlank(Jsons.string(m, "name"), Jsons.string(m, "address")));
                String text = "Location: " + (place.isEmpty() ? "" : place + " ") + "(" + lat + ", " + lon + ")";
                JsonObject structured = Jsons.BUILDERS.createObjectBuilder(m).remove("type").remove("context").build();
                return new Content(text, new MessageContent(type, null, List.of(), structured.toString(), null));
            }
            case "CONTACT": {
                JsonArray contacts = Jsons.array(m, "contacts");
                if (contacts == null) throw new Skip("a CONTACT without contacts");
                List<String> names = new ArrayList<>();
                for (JsonValue v : contacts) {
                    if (v instanceof JsonObject o && Jsons.object(o, "name") != null) {
                        String formatted = Jsons.nonBlank(Jsons.object(o, "name"), "formattedName");
                        if (formatted != null) names.add(formatted);
                    }
                }
                String text = "Shared contact" + (contacts.size() == 1 ? "" : "s") + (names.isEmpty() ? "" : ": " + String.join(", ", names));
                return new Content(text, new MessageContent(type, null, List.of(), contacts.toString(), null));
            }
            case "INTERACTIVE_FLOW_REPLY": {
                JsonObject response = Jsons.object(m, "response");
                return new Content(orEmpty(Jsons.string(m, "text")), new MessageContent(type, null, List.of(),
                        response == null ? null : response.toString(), null));
            }
            case "INFECTED_CONTENT": {
                String malware = Jsons.nonBlank(m, "malware");
                return new Content("", new MessageContent(type, null, List.of(), null, "Infobip found malware in the file"
                        + (malware == null ? "" : " (" + malware + ")") + "; it was not downloaded or kept"));
            }
            case "REACTION": {
                String emoji = Jsons.nonBlank(m, "emoji");
                return new Content(orEmpty(emoji), new MessageContent(type, null, List.of(), null,
                        "a reaction" + (emoji == null ? "" : " " + emoji) + " to an earlier message; the bot is not asked"));
            }
            default:
                if (MEDIA_TYPES.contains(type)) {
                    String url = Jsons.nonBlank(m, "url");
                    if (url == null) throw new Skip("a " + type + " without url");
                    String caption = Jsons.nonBlank(m, "caption");
                    Attachment a = media.copy(type, url, caption);
                    return new Content(orEmpty(caption), new MessageContent(type, null, List.of(a), null, null));
                }
                // ORDER, payments, call permissions, authentication replies, UNSUPPORTED and types newer than this code
                return new Content(orEmpty(Jsons.string(m, "text")), new MessageContent(type, null, List.of(), null,
                        "message type " + type + " is not handled by Parley"));
        }
    }

    private static Content choice(String type, String title, String payload) throws Skip {
        if (payload == null || payload.isBlank()) throw new Skip("a " + type + " without its payload/id");
        String text = title == null || title.isBlank() ? payload : title;
        return new Content(text, new MessageContent(type, payload, List.of(), null, null));
    }

    /** Delivery reports: {@code {"results":[{messageId, status:{...}, error:{...}, doneAt}]}}. */
    public static WebhookBatch deliveryReports(byte[] body) {
        return each(results(body), "results", WhatsAppWebhooks::deliveryReport);
    }

    private static InboundEvent deliveryReport(JsonObject r) throws Skip {
        {
            String messageId = required(r, "messageId");
            JsonObject status = Jsons.object(r, "status");
            if (status == null) throw new Skip("missing status");
            DeliveryStatus mapped = SmsWebhooks.mapStatus(status);
            if (mapped == null) {
                throw new Skip("unknown status group '" + Jsons.string(status, "groupName") + "'");
            }
            String providerStatus = firstNonBlank(Jsons.nonBlank(status, "name"), Jsons.string(status, "groupName"));
            JsonObject error = Jsons.object(r, "error");
            String errorText = errorText(error);
            return new InboundEvent.DeliveryReported(messageId, mapped, providerStatus, errorText,
                    InfobipTime.parse(Jsons.string(r, "doneAt")));
        }
    }

    /** Seen reports: {@code {"results":[{messageId, from, to, sentAt, seenAt}]}}: the status moves to SEEN. */
    public static WebhookBatch seenReports(byte[] body) {
        return each(results(body), "results", r -> new InboundEvent.DeliveryReported(required(r, "messageId"), DeliveryStatus.SEEN,
                "SEEN", null, InfobipTime.parse(Jsons.string(r, "seenAt"))));
    }

    /**
     * What arrives at the {@code notifyUrl} Parley gives with each send: Infobip posts both delivery and seen reports
     * there, so each item is read by its shape (a seen report has {@code seenAt} and no {@code status}).
     */
    public static WebhookBatch reports(byte[] body) {
        return each(results(body), "results", r -> r.containsKey("seenAt") && !r.containsKey("status")
                ? new InboundEvent.DeliveryReported(required(r, "messageId"), DeliveryStatus.SEEN, "SEEN", null,
                        InfobipTime.parse(Jsons.string(r, "seenAt")))
                : deliveryReport(r));
    }

    /** The report's error as the timeline shows it; the window error is named as such. */
    static String errorText(JsonObject error) {
        if (error == null) return null;
        String id = Jsons.string(error, "id");
        String name = Jsons.nonBlank(error, "name");
        if ((id != null && WINDOW_ERRORS.contains(id.trim())) || (name != null && WINDOW_ERRORS.contains(name.trim()))) {
            return OUTSIDE_WINDOW + " (Infobip: " + firstNonBlank(name, id) + ")";
        }
        return SmsWebhooks.errorText(error);
    }

    /** WhatsApp addresses: phone digits (E.164 without '+') or a business-scoped user id. */
    public static boolean isUserId(String address) {
        return address != null && !address.chars().allMatch(Character::isDigit) && USER_ID.matcher(address).matches();
    }




    private static Double number(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v instanceof JsonNumber n) return n.doubleValue();
        if (v instanceof JsonString s) {
            try {
                return Double.valueOf(s.getString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static List<String> nonBlank(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) if (v != null && !v.isBlank()) out.add(v.strip());
        return out;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
