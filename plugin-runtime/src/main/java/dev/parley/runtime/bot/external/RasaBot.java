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
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Rasa bot over its REST input channel: {@code POST {url}/webhooks/rest/webhook} with
 * {@code {"sender":"parley-<sessionId>","message":"..."}}.
 *
 * <p>Rasa answers a JSON array; each element may have {@code text}, {@code buttons}
 * ({@code [{"title":"...","payload":"..."}]}, sent as postback buttons under that element's text) and
 * {@code custom}. An element whose {@code custom} holds {@code "parley":"handoff"} is the handoff, e.g.
 * a response {@code custom: {parley: handoff, reason: "...", summary: "...", sentiment: negative, language: en,
 * fields: {order: A-1}}} in the domain (see {@link HandoffPayloads}). An element whose {@code custom} holds
 * {@code "parley":"resolve"} resolves the conversation once the messages are sent, e.g. a response
 * {@code custom: {parley: resolve, reason: "order tracked"}} (a handoff in the same answer wins); other custom
 * payloads and images are skipped. The REST channel does not report the intent: the topic stays null unless
 * {@code rasa.tracker} is on, and then it is the tracker's {@code latest_message.intent} (see {@link RasaSettings}),
 * read best-effort after the answer. A 2xx answer that is not a JSON array is a {@link BotFailure}.
 */
public final class RasaBot implements Bot, AutoCloseable {

    private final RasaSettings settings;
    private final ExternalCall http;
    private final RasaApi api;

    public RasaBot(RasaSettings settings) {
        this.settings = settings;
        this.http = new ExternalCall("Rasa", settings.timeout(), settings.token());
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.token() != null) {
            headers.put("Authorization", "Bearer " + settings.token());
        }
        this.api = http.client(RasaApi.class, settings.url(), headers);
    }

    @Override
    public BotAnswer answer(BotRequest request) {
        String body = Json.createObjectBuilder().add("sender", "parley-" + request.sessionId())
                .add("message", request.input()).build().toString();
        JsonValue answer = http.send(() -> api.send(body));
        if (answer.getValueType() != JsonValue.ValueType.ARRAY) {
            throw http.badAnswer("expected a JSON array of messages");
        }
        List<BotMessage> messages = new ArrayList<>();
        HandoffSignal handoff = null;
        String resolved = null;
        for (JsonValue element : (JsonArray) answer) {
            if (!(element instanceof JsonObject m)) {
                continue;
            }
            Optional<HandoffSignal> signal = HandoffPayloads.marked(m.get("custom"));
            if (signal.isPresent()) {
                handoff = handoff == null ? signal.get() : handoff;
            }
            Optional<String> resolve = HandoffPayloads.resolved(m.get("custom"));
            if (resolve.isPresent() && resolved == null) {
                resolved = resolve.get();
            }
            String text = HandoffPayloads.string(m, "text");
            List<BotButton> buttons = new ArrayList<>();
            if (m.get("buttons") instanceof JsonArray array) {
                for (JsonValue b : array) {
                    if (b instanceof JsonObject button) {
                        String title = HandoffPayloads.string(button, "title");
                        String payload = HandoffPayloads.string(button, "payload");
                        String url = HandoffPayloads.string(button, "url");
                        if (title == null) {
                            continue;
                        }
                        if (url != null) {
                            buttons.add(new BotButton(title, null, url));
                        } else {
                            buttons.add(new BotButton(title, payload == null ? title : payload, null));
                        }
                    }
                }
            }
            if (text != null || !buttons.isEmpty()) {
                messages.add(new BotMessage(text == null ? "" : text, buttons));
            }
        }
        String rule = HandoffPayloads.payloadRule(handoff, resolved);
        String topic = null;
        Double confidence = null;
        if (!settings.tracker()) {
            rule = (rule == null ? "" : rule + ", ") + "intent not asked (the REST channel does not report it)";
        } else {
            try {
                JsonValue tracker = http.send(() -> api.tracker("parley-" + request.sessionId(), "NONE"));
                if (tracker instanceof JsonObject t && t.get("latest_message") instanceof JsonObject latest
                        && latest.get("intent") instanceof JsonObject intent) {
                    topic = HandoffPayloads.string(intent, "name");
                    confidence = topic == null ? null : HandoffPayloads.confidence(intent.get("confidence"));
                }
            } catch (BotFailure e) {
                // The answer stands without its intent; the line says why it is missing.
                rule = (rule == null ? "" : rule + ", ") + "intent not read: " + e.getMessage();
            }
        }
        BotReasoning why = BotReasoning.by("Rasa at " + settings.url().getHost()
                        + (settings.url().getPort() < 0 ? "" : ":" + settings.url().getPort()))
                .withRule(rule).withIntent(topic, confidence);
        return new BotAnswer(messages, handoff, topic, null, null).resolving(resolved).reasoned(why);
    }

    @Override
    public void close() throws Exception {
        api.close();
    }

    @Override
    public String toString() {
        return "RasaBot" + settings;
    }
}
