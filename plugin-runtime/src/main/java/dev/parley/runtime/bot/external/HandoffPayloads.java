package dev.parley.runtime.bot.external;

import dev.parley.runtime.bot.HandoffSignal;
import dev.parley.spi.Sentiment;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The handoff object external bots send, shared by Botpress ({@code payload}), Rasa ({@code custom}) and the
 * LLM's {@code handoff_to_human} tool arguments:
 *
 * <pre>{"parley":"handoff","reason":"...","summary":"...","sentiment":"negative","language":"en",
 *  "fields":{"order":"A-1"}}</pre>
 *
 * Only {@code parley} is required for Botpress and Rasa (the tool call needs no marker). Missing
 * {@code reason} becomes {@value #DEFAULT_REASON}; missing summary, sentiment and language stay null for
 * the runtime to fill in; non-string field values are kept as their JSON text.
 *
 * <p>The same place carries the bot's "this conversation is resolved" ({@link #resolved}):
 *
 * <pre>{"parley":"resolve","reason":"the customer confirmed the refund arrived"}</pre>
 *
 * A missing {@code reason} becomes {@link dev.parley.runtime.bot.BotAnswer#DEFAULT_RESOLVE_REASON}.
 */
public final class HandoffPayloads {

    public static final String MARKER = "parley";
    public static final String HANDOFF = "handoff";
    public static final String RESOLVE = "resolve";
    static final String DEFAULT_REASON = "the bot asked for a human";

    private HandoffPayloads() {
    }

    /** The handoff in {@code payload} when it carries {@code "parley":"handoff"}. */
    public static Optional<HandoffSignal> marked(JsonValue payload) {
        if (payload == null || payload.getValueType() != JsonValue.ValueType.OBJECT) {
            return Optional.empty();
        }
        JsonObject object = payload.asJsonObject();
        if (!HANDOFF.equalsIgnoreCase(string(object, MARKER))) {
            return Optional.empty();
        }
        return Optional.of(signal(object));
    }

    /** The reason of the resolve in {@code payload} when it carries {@code "parley":"resolve"}. */
    public static Optional<String> resolved(JsonValue payload) {
        if (payload == null || payload.getValueType() != JsonValue.ValueType.OBJECT) {
            return Optional.empty();
        }
        JsonObject object = payload.asJsonObject();
        if (!RESOLVE.equalsIgnoreCase(string(object, MARKER))) {
            return Optional.empty();
        }
        return Optional.of(resolveReason(object));
    }

    /** The {@code reason} of a resolve, whether or not {@code object} carries the marker; never null. */
    public static String resolveReason(JsonObject object) {
        String reason = string(object, "reason");
        return reason == null ? dev.parley.runtime.bot.BotAnswer.DEFAULT_RESOLVE_REASON : reason;
    }

    /** Reads the handoff fields of {@code object}, whether or not it carries the marker. */
    public static HandoffSignal signal(JsonObject object) {
        String reason = string(object, "reason");
        String sentiment = string(object, "sentiment");
        String language = string(object, "language");
        Map<String, String> fields = new LinkedHashMap<>();
        JsonValue raw = object.get("fields");
        if (raw != null && raw.getValueType() == JsonValue.ValueType.OBJECT) {
            raw.asJsonObject().forEach((k, v) -> {
                if (v.getValueType() == JsonValue.ValueType.STRING) {
                    fields.put(k, ((JsonString) v).getString());
                } else if (v.getValueType() != JsonValue.ValueType.NULL) {
                    fields.put(k, v.toString());
                }
            });
        }
        return new HandoffSignal(reason == null ? DEFAULT_REASON : reason, string(object, "summary"),
                sentiment == null ? null : Sentiment.parse(sentiment),
                language == null ? null : language.toLowerCase(Locale.ROOT), fields);
    }

    /** A confidence a bot reported: a number in [0, 1]; null for anything else. */
    static Double confidence(JsonValue v) {
        if (v instanceof jakarta.json.JsonNumber n) {
            double d = n.doubleValue();
            return d >= 0 && d <= 1 ? d : null;
        }
        return null;
    }

    /**
     * The reasoning rule of an answer whose handoff or resolve came as a marked payload: {@code handoff payload
     * "billing dispute"}, {@code resolve payload "order tracked"}; null when neither did.
     */
    static String payloadRule(HandoffSignal handoff, String resolved) {
        if (handoff != null) {
            return "handoff payload \"" + handoff.reason() + "\"";
        }
        return resolved == null ? null : "resolve payload \"" + resolved + "\"";
    }

    /** A non-blank string member, trimmed; null otherwise (also for numbers, objects, ...). */
    static String string(JsonObject object, String name) {
        JsonValue v = object == null ? null : object.get(name);
        if (v == null || v.getValueType() != JsonValue.ValueType.STRING) {
            return null;
        }
        String s = ((JsonString) v).getString().trim();
        return s.isEmpty() ? null : s;
    }
}
