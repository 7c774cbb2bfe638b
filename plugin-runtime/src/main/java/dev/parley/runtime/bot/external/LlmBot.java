package dev.parley.runtime.bot.external;

import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotMessage;
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.HandoffSignal;
import dev.parley.runtime.knowledge.KnowledgeHit;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bot backed by an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, ...).
 *
 * <p><b>Client.</b> The call goes through MicroProfile REST Client with jakarta.json bodies, like every other
 * outbound call of Parley: Payara provides the implementation. A vendor SDK (the OpenAI Java SDK) would bring
 * Kotlin, OkHttp and Jackson into the application server for one POST, and would not cover the other
 * compatible servers any better.
 *
 * <p><b>Request.</b> The system message holds Parley's instructions, {@code llm.system-prompt} and up to
 * {@code llm.max-articles} knowledge articles found for the customer's text, numbered {@code [1]}, {@code [2]},
 * ... Then comes the history (customer lines as {@code user}, bot and agent lines as {@code assistant}) and the
 * customer's text. Three tools are declared with {@code "tool_choice":"auto"}:
 * <ul>
 * <li>{@code handoff_to_human(reason, summary, sentiment, language, fields)} — the model wants a human;</li>
 * <li>{@code resolve_conversation(reason)} — the customer's matter is settled and they need nothing more: the
 *     session ends RESOLVED after the text is sent;</li>
 * <li>{@code classify(topic, sentiment, language)} — asked for on every turn; {@code topic} is an enum of
 *     {@code llm.topics} (the property is left out when none are configured).</li>
 * </ul>
 *
 * <p><b>Why tools and not {@code response_format: json_object}.</b> JSON mode is not implemented the same way
 * (or at all) across the compatible servers, and several reject it together with tools; function calling with
 * {@code tool_choice: auto} is the common ground. Models differ in what they send along with a tool call, so
 * the answer is parsed whatever it holds: text {@code content} and/or {@code tool_calls} (arguments as a JSON
 * string, or as an object as some servers send).
 * <ul>
 * <li>{@code handoff_to_human} → {@link BotAnswer#handoff()} from its arguments; any text goes before it.</li>
 * <li>{@code resolve_conversation} → {@link BotAnswer#resolved()} with its {@code reason} (a default when it has
 *     none); any text goes before it. With {@code handoff_to_human} in the same answer the handoff wins (the
 *     runtime notes the ignored resolve in the timeline).</li>
 * <li>{@code classify} → {@link BotAnswer#topic()} (only a configured topic, matched case-insensitively) and
 *     {@link BotAnswer#language()}; its sentiment fills the handoff's when the handoff call has none.</li>
 * <li>Tool calls without text and without a handoff (the model classified, or resolved, and stopped): the
 *     standard tool loop continues once — the assistant's tool calls and an {@code ok} result per call are sent back with
 *     {@code "tool_choice":"none"} to get the text answer. So a turn costs one request, at most two.</li>
 * </ul>
 *
 * <p><b>Reasoning</b> ({@link BotAnswer#reasoning()}): the model's name, the topic {@code classify} gave (as written),
 * the articles given as sources with whether the text cited each ({@code [n]}), and every tool call of the turn
 * with its arguments.
 *
 * <p><b>Failures</b> ({@link BotFailure}, never holding the key): timeout, connection error, HTTP status with
 * the provider's {@code error.message}, a body that is not JSON, no {@code choices}, no usable answer.
 */
public final class LlmBot implements Bot, AutoCloseable {

    static final String HANDOFF_TOOL = "handoff_to_human";
    static final String CLASSIFY_TOOL = "classify";
    static final String RESOLVE_TOOL = "resolve_conversation";
    /** Longest article body put in the prompt. */
    static final int MAX_ARTICLE_CHARS = 4_000;

    private final LlmSettings settings;
    private final KnowledgeSearch knowledge;
    private final ExternalCall http;
    private final ChatCompletionsApi api;

    public LlmBot(LlmSettings settings, KnowledgeSearch knowledge) {
        this.settings = settings;
        this.knowledge = knowledge == null ? KnowledgeSearch.NONE : knowledge;
        this.http = new ExternalCall("LLM", settings.timeout(), settings.apiKey());
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.apiKey() != null) {
            boolean bearer = LlmSettings.AUTHORIZATION.equalsIgnoreCase(settings.apiKeyHeader());
            headers.put(settings.apiKeyHeader(), bearer ? "Bearer " + settings.apiKey() : settings.apiKey());
        }
        this.api = http.client(ChatCompletionsApi.class, settings.url(), headers);
    }

    @Override
    public BotAnswer answer(BotRequest request) {
        List<KnowledgeHit> hits = knowledge.search(request.text(), null, settings.maxArticles());
        JsonArrayBuilder messages = Json.createArrayBuilder()
                .add(message("system", systemMessage(request, hits)));
        for (TranscriptLine line : request.history()) {
            if (line.text() != null && !line.text().isBlank()) {
                messages.add(message(TranscriptLine.CUSTOMER.equals(line.author()) ? "user" : "assistant", line.text()));
            }
        }
        messages.add(message("user", request.text()));
        JsonArray conversation = messages.build();

        JsonObject reply = complete(conversation, "auto");
        Parsed parsed = parse(reply);
        if (parsed.text == null && parsed.handoff == null && !parsed.toolCalls.isEmpty()) {
            // The model only classified: answer its tool calls and ask for the text.
            JsonArrayBuilder next = Json.createArrayBuilder(conversation).add(reply);
            for (JsonObject call : parsed.toolCalls) {
                next.add(Json.createObjectBuilder().add("role", "tool")
                        .add("tool_call_id", call.getString("id", "")).add("content", "ok"));
            }
            Parsed second = parse(complete(next.build(), "none"));
            parsed = parsed.merge(second);
        }
        if (parsed.text == null && parsed.handoff == null && parsed.resolved == null) {
            throw http.badAnswer("neither text nor a handoff");
        }
        HandoffSignal handoff = parsed.handoff;
        if (handoff != null && (handoff.sentiment() == null || handoff.language() == null)) {
            handoff = new HandoffSignal(handoff.reason(), handoff.summary(),
                    handoff.sentiment() == null ? parsed.sentiment : handoff.sentiment(),
                    handoff.language() == null ? parsed.language : handoff.language(), handoff.fields());
        }
        List<BotMessage> out = parsed.text == null ? List.of() : List.of(BotMessage.text(parsed.text));
        String language = parsed.language != null ? parsed.language : handoff == null ? null : handoff.language();
        return new BotAnswer(out, handoff, parsed.topic, language, null).resolving(parsed.resolved)
                .reasoned(reasoning(parsed, hits));
    }

    /**
     * Who answered (the model), the topic it classified (as it said it, configured or not), the articles it was
     * given as sources and whether its text cited each ({@code [n]}), and every tool it called.
     */
    private BotReasoning reasoning(Parsed parsed, List<KnowledgeHit> hits) {
        List<BotReasoning.Article> articles = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            KnowledgeHit hit = hits.get(i);
            boolean cited = parsed.text != null && parsed.text.contains("[" + (i + 1) + "]");
            articles.add(new BotReasoning.Article(hit.source(), hit.articleId(), hit.title(), cited));
        }
        List<BotReasoning.ToolCall> calls = new ArrayList<>();
        for (JsonObject call : parsed.toolCalls) {
            JsonObject function = call.getJsonObject("function");
            JsonValue args = function.get("arguments");
            calls.add(new BotReasoning.ToolCall(String.valueOf(HandoffPayloads.string(function, "name")),
                    args instanceof JsonString text ? text.getString() : args == null ? null : args.toString()));
        }
        return BotReasoning.by("LLM model " + settings.model()).withIntent(parsed.classified, null)
                .withArticles(articles).withToolCalls(calls);
    }

    /** The request body for {@code messages}; package-private for tests. */
    JsonObject requestBody(JsonArray messages, String toolChoice) {
        return Json.createObjectBuilder()
                .add("model", settings.model())
                .add("messages", messages)
                .add("tools", Json.createArrayBuilder().add(handoffTool()).add(classifyTool()).add(resolveTool()))
                .add("tool_choice", toolChoice)
                .build();
    }

    private JsonObject complete(JsonArray messages, String toolChoice) {
        String body = requestBody(messages, toolChoice).toString();
        JsonValue answer = http.send(() -> api.complete(body));
        if (!(answer instanceof JsonObject root)) {
            throw http.badAnswer("not a JSON object");
        }
        if (!(root.get("choices") instanceof JsonArray choices) || choices.isEmpty()) {
            throw http.badAnswer("no choices");
        }
        if (!(choices.get(0) instanceof JsonObject choice) || !(choice.get("message") instanceof JsonObject message)) {
            throw http.badAnswer("choice without a message");
        }
        return message;
    }

    private String systemMessage(BotRequest request, List<KnowledgeHit> hits) {
        StringBuilder s = new StringBuilder();
        s.append("You are a customer support assistant answering in a chat or SMS conversation. ")
                .append("Answer briefly, in the customer's language, using only the numbered sources below; ")
                .append("cite them like [1] when you use them. Never invent facts, prices or policies.\n")
                .append("Call the tool ").append(HANDOFF_TOOL).append(" when the sources do not answer the question, ")
                .append("when the customer asks for a person, or when they are upset; say briefly in your text ")
                .append("that a colleague will take over.\n")
                .append("Call the tool ").append(RESOLVE_TOOL).append(" when the customer's matter is settled and ")
                .append("they need nothing more (they thank you, say goodbye or confirm it is solved); still say a ")
                .append("short goodbye in your text. Never call it together with ").append(HANDOFF_TOOL).append(".\n")
                .append("Call the tool ").append(CLASSIFY_TOOL).append(" on every turn, and still answer in text.\n");
        if (!settings.topics().isEmpty()) {
            s.append("Topics: ").append(String.join(", ", settings.topics())).append(".\n");
        }
        if (request.contactName() != null && !request.contactName().isBlank()) {
            s.append("The customer's name is ").append(request.contactName().strip()).append(".\n");
        }
        if (settings.systemPrompt() != null) {
            s.append('\n').append(settings.systemPrompt().strip()).append('\n');
        }
        s.append("\nSources:\n");
        if (hits.isEmpty()) {
            s.append("(none found for this question)\n");
        }
        int n = 1;
        for (KnowledgeHit hit : hits) {
            String body = hit.body() == null ? "" : hit.body().strip();
            if (body.length() > MAX_ARTICLE_CHARS) {
                body = body.substring(0, MAX_ARTICLE_CHARS) + "...";
            }
            s.append('[').append(n++).append("] ").append(hit.title() == null ? "" : hit.title().strip()).append('\n')
                    .append(body).append('\n');
            if (hit.url() != null) {
                s.append("URL: ").append(hit.url()).append('\n');
            }
        }
        return s.toString();
    }

    private static JsonObject message(String role, String content) {
        return Json.createObjectBuilder().add("role", role).add("content", content).build();
    }

    private static JsonObject handoffTool() {
        JsonObject parameters = Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("reason", property("string", "Why a human is needed, in a few words."))
                        .add("summary", property("string", "Two or three sentences for the human agent: what the "
                                + "customer wants and what was already said."))
                        .add("sentiment", sentimentProperty())
                        .add("language", property("string", "The customer's language, ISO 639-1 code (en, de, fr)."))
                        .add("fields", Json.createObjectBuilder().add("type", "object")
                                .add("description", "Facts the customer gave (order number, email, ...), as strings.")
                                .add("additionalProperties", Json.createObjectBuilder().add("type", "string"))))
                .add("required", Json.createArrayBuilder().add("reason").add("summary"))
                .build();
        return tool(HANDOFF_TOOL, "Hand the conversation over to a human support agent.", parameters);
    }

    private static JsonObject resolveTool() {
        JsonObject parameters = Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("reason", property("string", "Why the conversation is resolved, in a few words.")))
                .add("required", Json.createArrayBuilder().add("reason"))
                .build();
        return tool(RESOLVE_TOOL, "End the conversation as resolved: the customer needs nothing more.", parameters);
    }

    private JsonObject classifyTool() {
        JsonObjectBuilder properties = Json.createObjectBuilder();
        JsonArrayBuilder required = Json.createArrayBuilder();
        if (!settings.topics().isEmpty()) {
            JsonArrayBuilder names = Json.createArrayBuilder();
            settings.topics().forEach(names::add);
            properties.add("topic", Json.createObjectBuilder().add("type", "string").add("enum", names)
                    .add("description", "The topic of the customer's message."));
            required.add("topic");
        }
        properties.add("sentiment", sentimentProperty())
                .add("language", property("string", "The customer's language, ISO 639-1 code (en, de, fr)."));
        required.add("sentiment").add("language");
        JsonObject parameters = Json.createObjectBuilder().add("type", "object").add("properties", properties)
                .add("required", required).build();
        return tool(CLASSIFY_TOOL, "Classify the customer's latest message.", parameters);
    }

    private static JsonObject sentimentProperty() {
        return Json.createObjectBuilder().add("type", "string")
                .add("enum", Json.createArrayBuilder().add("negative").add("neutral").add("positive"))
                .add("description", "How the customer seems to feel.").build();
    }

    private static JsonObject property(String type, String description) {
        return Json.createObjectBuilder().add("type", type).add("description", description).build();
    }

    private static JsonObject tool(String name, String description, JsonObject parameters) {
        return Json.createObjectBuilder().add("type", "function").add("function", Json.createObjectBuilder()
                .add("name", name).add("description", description).add("parameters", parameters)).build();
    }

    /** What one assistant message said. */
    private static final class Parsed {
        String text;
        HandoffSignal handoff;
        /** The reason of resolve_conversation, or null. */
        String resolved;
        String topic;
        /** The topic classify gave, as the model wrote it (configured or not). */
        String classified;
        String language;
        Sentiment sentiment;
        /** Every tool call of the turn, in order (the second request's after the first's). */
        final List<JsonObject> toolCalls = new ArrayList<>();

        Parsed merge(Parsed later) {
            text = later.text != null ? later.text : text;
            handoff = handoff != null ? handoff : later.handoff;
            resolved = resolved != null ? resolved : later.resolved;
            topic = topic != null ? topic : later.topic;
            classified = classified != null ? classified : later.classified;
            toolCalls.addAll(later.toolCalls);
            language = language != null ? language : later.language;
            sentiment = sentiment != null ? sentiment : later.sentiment;
            return this;
        }
    }

    private Parsed parse(JsonObject message) {
        Parsed p = new Parsed();
        JsonValue content = message.get("content");
        if (content instanceof JsonString s && !s.getString().isBlank()) {
            p.text = s.getString().strip();
        } else if (content instanceof JsonArray parts) {
            // content parts: [{"type":"text","text":"..."}]
            StringBuilder b = new StringBuilder();
            for (JsonValue part : parts) {
                if (part instanceof JsonObject o && HandoffPayloads.string(o, "text") != null) {
                    b.append(b.length() == 0 ? "" : "\n").append(HandoffPayloads.string(o, "text"));
                }
            }
            p.text = b.length() == 0 ? null : b.toString();
        }
        if (message.get("tool_calls") instanceof JsonArray calls) {
            for (JsonValue c : calls) {
                if (!(c instanceof JsonObject call) || !(call.get("function") instanceof JsonObject function)) {
                    continue;
                }
                p.toolCalls.add(call);
                String name = HandoffPayloads.string(function, "name");
                JsonObject args = arguments(function.get("arguments"));
                if (HANDOFF_TOOL.equals(name)) {
                    p.handoff = HandoffPayloads.signal(args);
                } else if (RESOLVE_TOOL.equals(name)) {
                    p.resolved = p.resolved != null ? p.resolved : HandoffPayloads.resolveReason(args);
                } else if (CLASSIFY_TOOL.equals(name)) {
                    p.classified = HandoffPayloads.string(args, "topic");
                    p.topic = knownTopic(p.classified);
                    String language = HandoffPayloads.string(args, "language");
                    p.language = language == null ? null : language.toLowerCase(Locale.ROOT);
                    String sentiment = HandoffPayloads.string(args, "sentiment");
                    p.sentiment = sentiment == null ? null : Sentiment.parse(sentiment);
                }
            }
        }
        return p;
    }

    private JsonObject arguments(JsonValue raw) {
        if (raw instanceof JsonObject o) {
            return o;
        }
        if (raw instanceof JsonString s) {
            String text = s.getString().isBlank() ? "{}" : s.getString();
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                throw http.badAnswer("tool arguments are not a JSON object");
            }
        }
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    private String knownTopic(String topic) {
        if (topic == null) {
            return null;
        }
        for (String known : settings.topics()) {
            if (known.equalsIgnoreCase(topic)) {
                return known;
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        api.close();
    }

    @Override
    public String toString() {
        return "LlmBot" + settings;
    }
}
