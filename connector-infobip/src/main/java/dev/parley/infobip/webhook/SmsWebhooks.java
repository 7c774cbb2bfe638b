package dev.parley.infobip.webhook;

import dev.parley.infobip.http.InfobipTime;
import dev.parley.spi.util.Jsons;
import static dev.parley.infobip.webhook.BatchItems.each;
import static dev.parley.infobip.webhook.BatchItems.required;
import static dev.parley.infobip.webhook.BatchItems.results;
import static dev.parley.infobip.webhook.BatchItems.root;
import dev.parley.infobip.webhook.BatchItems.ItemParser;
import dev.parley.infobip.webhook.BatchItems.Skip;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Parses Infobip's SMS webhooks: inbound messages ({@code sms}), delivery reports ({@code dlr}, v2 and
 * v3 shapes) and URL click reports ({@code click}). A malformed item is skipped and described; it never
 * loses the other items of its batch. (WhatsApp's and Conversations' webhooks get classes of their own beside it;
 * {@link WebhookAuth} serves them all.)
 */
public final class SmsWebhooks {

    private SmsWebhooks() {
    }

    /** Inbound SMS: {@code {"results":[{messageId, from, to, text, receivedAt, ...}], ...}}. */
    public static WebhookBatch sms(byte[] body) {
        return each(results(body), "results", r -> {
            String messageId = required(r, "messageId");
            String from = required(r, "from");
            String text = Jsons.string(r, "text");
            return new InboundEvent.MessageReceived(messageId, from, Jsons.string(r, "to"),
                    text == null ? "" : text, InfobipTime.parse(Jsons.string(r, "receivedAt")), null);
        });
    }

    /** Delivery reports: {@code {"results":[{messageId, status:{...}, error:{...}, doneAt, ...}]}}. */
    public static WebhookBatch dlr(byte[] body) {
        return each(results(body), "results", r -> {
            String messageId = required(r, "messageId");
            JsonObject status = Jsons.object(r, "status");
            if (status == null) throw new Skip("missing status");
            DeliveryStatus mapped = mapStatus(status);
            if (mapped == null) {
                throw new Skip("unknown status group '" + Jsons.string(status, "groupName")
                        + "' (groupId " + Jsons.string(status, "groupId") + ")");
            }
            String providerStatus = Jsons.nonBlank(status, "name");
            if (providerStatus == null) providerStatus = Jsons.string(status, "groupName");
            return new InboundEvent.DeliveryReported(messageId, mapped, providerStatus,
                    errorText(Jsons.object(r, "error")), InfobipTime.parse(Jsons.string(r, "doneAt")));
        });
    }

    /**
     * Click reports: a single {@code {"notificationType":"CLICKED", recipient, url, sendDateTime, messageId}}
     * object, or defensively {@code {"results":[...]}} of them.
     */
    public static WebhookBatch click(byte[] body) {
        JsonObject root = root(body);
        JsonArray results = Jsons.array(root, "results");
        ItemParser click = c -> {
            String type = Jsons.nonBlank(c, "notificationType");
            if (type != null && !type.equalsIgnoreCase("CLICKED")) {
                throw new Skip("notificationType '" + type + "' is not CLICKED");
            }
            String messageId = required(c, "messageId");
            String url = required(c, "url");
            return new InboundEvent.LinkClicked(messageId, Jsons.string(c, "recipient"), url, clickTime(c));
        };
        return results != null ? each(results, "results", click)
                : each(Jsons.BUILDERS.createArrayBuilder().add(root).build(), "click", click);
    }


    /** {@code sendDateTime} is epoch millis per the spec; an ISO string is tolerated. */
    private static OffsetDateTime clickTime(JsonObject c) {
        JsonValue v = c.get("sendDateTime");
        if (v instanceof JsonNumber n) {
            try {
                return InfobipTime.ofEpochMillis(n.longValueExact());
            } catch (ArithmeticException | java.time.DateTimeException e) {
                return null;
            }
        }
        if (v instanceof JsonString s) {
            String t = s.getString().trim();
            if (t.matches("[0-9]{1,15}")) return InfobipTime.ofEpochMillis(Long.parseLong(t));
            return InfobipTime.parse(t);
        }
        return null;
    }

    /** Maps Infobip's status group (by name, else by id 1..5) to Parley's; {@code null} when unknown. */
    public static DeliveryStatus mapStatus(JsonObject status) {
        String group = Jsons.nonBlank(status, "groupName");
        if (group != null) {
            switch (group.trim().toUpperCase(Locale.ROOT)) {
                case "PENDING", "ACCEPTED": return DeliveryStatus.SENT;
                case "DELIVERED": return DeliveryStatus.DELIVERED;
                case "UNDELIVERABLE": return DeliveryStatus.UNDELIVERABLE;
                case "EXPIRED": return DeliveryStatus.EXPIRED;
                case "REJECTED": return DeliveryStatus.REJECTED;
                default: break; // fall back to the id
            }
        }
        Long id = Jsons.integer(status, "groupId");
        if (id == null || id < 1 || id > 5) return null; // not intValue() first: 4294967299 is not 3
        return switch (id.intValue()) {
            case 1 -> DeliveryStatus.SENT;
            case 2 -> DeliveryStatus.UNDELIVERABLE;
            case 3 -> DeliveryStatus.DELIVERED;
            case 4 -> DeliveryStatus.EXPIRED;
            case 5 -> DeliveryStatus.REJECTED;
            default -> null;
        };
    }

    /** {@code "<name>: <description>"} for a real error; {@code null} for none or Infobip's NO_ERROR. */
    public static String errorText(JsonObject error) {
        if (error == null) return null;
        Long groupId = Jsons.integer(error, "groupId");
        String name = Jsons.nonBlank(error, "name");
        String description = Jsons.nonBlank(error, "description");
        if ((groupId != null && groupId == 0) || "NO_ERROR".equalsIgnoreCase(name)) return null;
        if (name == null && description == null) {
            Long id = Jsons.integer(error, "id");
            return id == null || id == 0 ? null : "error id " + id;
        }
        if (name == null) return description;
        if (description == null) return name;
        return name + ": " + description;
    }

}
