package dev.parley.runtime.bot.external;

import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotButton;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotMessage;
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.HandoffSignal;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Botpress (v12 server) bot over its HTTP converse API:
 * {@code POST {url}/api/v1/bots/{botId}/converse/parley-<sessionId>?include=nlu} with
 * {@code {"type":"text","text":"..."}}.
 *
 * <p>Answer mapping, per element of {@code responses}:
 * <ul>
 * <li>{@code text} → a message;</li>
 * <li>{@code single-choice} → its text with one postback button per choice ({@code title}, {@code value});</li>
 * <li>{@code card} → title and subtitle as text; actions with a {@code url} become URL buttons, those with a
 *     {@code payload} or {@code text} postback buttons; {@code carousel} → one such message per item;</li>
 * <li>any element whose {@code payload} holds {@code "parley":"handoff"} → the handoff, e.g.
 *     {@code {"type":"custom","payload":{"parley":"handoff","reason":"...","summary":"...","sentiment":"negative",
 *     "language":"en","fields":{"order":"A-1"}}}} (see {@link HandoffPayloads});</li>
 * <li>any element whose {@code payload} holds {@code "parley":"resolve"} → the conversation is resolved once the
 *     messages are sent, e.g. {@code {"type":"custom","payload":{"parley":"resolve","reason":"order tracked"}}};
 *     a handoff in the same answer wins;</li>
 * <li>other types (images, typing indicators, unmarked custom payloads) are skipped.</li>
 * </ul>
 * The NLU intent ({@code nlu.intent.name}, unless {@code none}) becomes the topic and {@code nlu.language}
 * the language; the intent and its {@code nlu.intent.confidence} go into the answer's reasoning. A 2xx answer without a {@code responses} array is a {@link BotFailure}.
 */
public final class BotpressBot implements Bot, AutoCloseable {

    private final BotpressSettings settings;
    private final ExternalCall http;
    private final BotpressApi api;

    public BotpressBot(BotpressSettings settings) {
        this.settings = settings;
        this.http = new ExternalCall("Botpress", settings.timeout(), settings.token());
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.token() != null) {
            headers.put("Authorization", "Bearer " + settings.token());
        }
        this.api = http.client(BotpressApi.class, settings.url(), headers);
    }

    @Override
    public BotAnswer answer(BotRequest request) {
        String body = Json.createObjectBuilder().add("type", "text").add("text", request.input()).build().toString();
        JsonValue answer = http.send(() -> api.converse(settings.botId(), "parley-" + request.sessionId(), "nlu", body));
        if (answer.getValueType() != JsonValue.ValueType.OBJECT
                || !(answer.asJsonObject().get("responses") instanceof jakarta.json.JsonArray)) {
            throw http.badAnswer("no responses array");
        }
        JsonObject root = answer.asJsonObject();
        List<BotMessage> messages = new ArrayList<>();
        HandoffSignal handoff = null;
        String resolved = null;
        for (JsonValue element : root.getJsonArray("responses")) {
            if (element.getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            JsonObject r = element.asJsonObject();
            Optional<HandoffSignal> signal = HandoffPayloads.marked(r.get("payload"));
            if (signal.isPresent()) {
                handoff = handoff == null ? signal.get() : handoff;
                continue;
            }
            Optional<String> resolve = HandoffPayloads.resolved(r.get("payload"));
            if (resolve.isPresent()) {
                resolved = resolved == null ? resolve.get() : resolved;
                continue;
            }
            String type = String.valueOf(HandoffPayloads.string(r, "type")).toLowerCase(Locale.ROOT);
            switch (type) {
                case "text" -> addIfAny(messages, HandoffPayloads.string(r, "text"), List.of());
                case "single-choice" -> addIfAny(messages, HandoffPayloads.string(r, "text"), choices(r));
                case "card" -> card(messages, r);
                case "carousel" -> {
                    if (r.get("items") instanceof jakarta.json.JsonArray items) {
                        for (JsonValue item : items) {
                            if (item.getValueType() == JsonValue.ValueType.OBJECT) {
                                card(messages, item.asJsonObject());
                            }
                        }
                    }
                }
                default -> {
                    // images, typing, unmarked custom payloads: nothing to send on a text channel
                }
            }
        }
        String topic = null;
        String language = null;
        Double confidence = null;
        if (root.get("nlu") instanceof JsonObject nlu) {
            language = HandoffPayloads.string(nlu, "language");
            if (nlu.get("intent") instanceof JsonObject intent) {
                topic = HandoffPayloads.string(intent, "name");
                if ("none".equalsIgnoreCase(topic)) {
                    topic = null;
                }
                confidence = topic == null ? null : HandoffPayloads.confidence(intent.get("confidence"));
            }
        }
        BotReasoning why = BotReasoning.by("Botpress bot " + settings.botId())
                .withRule(HandoffPayloads.payloadRule(handoff, resolved)).withIntent(topic, confidence);
        return new BotAnswer(messages, handoff, topic, language, null).resolving(resolved).reasoned(why);
    }

    private static List<BotButton> choices(JsonObject r) {
        List<BotButton> buttons = new ArrayList<>();
        if (r.get("choices") instanceof jakarta.json.JsonArray choices) {
            for (JsonValue c : choices) {
                if (c instanceof JsonObject choice) {
                    String title = HandoffPayloads.string(choice, "title");
                    String value = HandoffPayloads.string(choice, "value");
                    if (title != null || value != null) {
                        buttons.add(new BotButton(title == null ? value : title, value == null ? title : value, null));
                    }
                }
            }
        }
        return buttons;
    }

    private static void card(List<BotMessage> messages, JsonObject card) {
        String title = HandoffPayloads.string(card, "title");
        String subtitle = HandoffPayloads.string(card, "subtitle");
        String text = title == null ? subtitle : subtitle == null ? title : title + "\n" + subtitle;
        List<BotButton> buttons = new ArrayList<>();
        if (card.get("actions") instanceof jakarta.json.JsonArray actions) {
            for (JsonValue a : actions) {
                if (a instanceof JsonObject action) {
                    String caption = HandoffPayloads.string(action, "title");
                    String url = HandoffPayloads.string(action, "url");
                    String postback = HandoffPayloads.string(action, "payload");
                    if (postback == null) {
                        postback = HandoffPayloads.string(action, "text");
                    }
                    if (caption == null) {
                        continue;
                    }
                    if (url != null) {
                        buttons.add(new BotButton(caption, null, url));
                    } else if (postback != null) {
                        buttons.add(new BotButton(caption, postback, null));
                    }
                }
            }
        }
        addIfAny(messages, text, buttons);
    }

    private static void addIfAny(List<BotMessage> messages, String text, List<BotButton> buttons) {
        if (text != null || !buttons.isEmpty()) {
            messages.add(new BotMessage(text == null ? "" : text, buttons));
        }
    }

    @Override
    public void close() throws Exception {
        api.close();
    }

    @Override
    public String toString() {
        return "BotpressBot" + settings;
    }
}
