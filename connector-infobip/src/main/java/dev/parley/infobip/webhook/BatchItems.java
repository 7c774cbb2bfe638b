package dev.parley.infobip.webhook;

import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * How every Infobip webhook parser reads a batch: the body must be a JSON object (else 400), its items are parsed one
 * by one, and an unusable item is skipped with its reason ({@link WebhookBatch#skipped()}), never losing the others.
 */
public final class BatchItems {

    private BatchItems() {
    }

    /** Parses one item of a batch; throws {@link Skip} with the reason when the item is unusable. */
    public interface ItemParser {
        InboundEvent parse(JsonObject item) throws Skip;
    }

    /** An unusable batch item: reported in {@link WebhookBatch#skipped()}, never fatal for the others. */
    public static final class Skip extends Exception {
        public Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Parses every item; an item that is not an object, or that the parser skips, is named in the answer as
     * {@code <name>[<index>]} (for {@code results}) or {@code <name>}.
     */
    public static WebhookBatch each(JsonArray items, String name, ItemParser parser) {
        List<InboundEvent> events = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = name.equals("results") ? name + "[" + i + "]" : name;
            try {
                if (!(items.get(i) instanceof JsonObject item)) throw new Skip("not a JSON object");
                events.add(parser.parse(item));
            } catch (Skip s) {
                skipped.add(where + ": " + s.getMessage());
            }
        }
        return new WebhookBatch(events, skipped);
    }

    /** A non-blank string field of an item, or {@link Skip} naming it. */
    public static String required(JsonObject item, String field) throws Skip {
        String value = Jsons.nonBlank(item, field);
        if (value == null) throw new Skip("missing " + field);
        return value;
    }

    /** The body's {@code results} array; 400 when there is none. */
    public static JsonArray results(byte[] body) {
        JsonArray results = Jsons.array(root(body), "results");
        if (results == null) throw WebhookRejectedException.badRequest("body has no 'results' array");
        return results;
    }

    /** The body as a JSON object; 400 when it is not one. */
    public static JsonObject root(byte[] body) {
        JsonValue v;
        try {
            v = Jsons.parse(body);
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badRequest("body is " + e.getMessage()); // not valid / not usable JSON
        }
        if (!(v instanceof JsonObject o)) throw WebhookRejectedException.badRequest("body is not a JSON object");
        return o;
    }
}
