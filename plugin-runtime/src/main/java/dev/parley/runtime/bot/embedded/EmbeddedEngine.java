package dev.parley.runtime.bot.embedded;

import static dev.parley.runtime.web.JsonSupport.JSON;

import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotButton;
import dev.parley.runtime.bot.BotMessage;
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.HandoffSignal;
import dev.parley.runtime.bot.embedded.BotDefinition.Button;
import dev.parley.runtime.bot.embedded.BotDefinition.Dialog;
import dev.parley.runtime.bot.embedded.BotDefinition.Keyword;
import dev.parley.runtime.bot.embedded.BotDefinition.Message;
import dev.parley.runtime.knowledge.KnowledgeHit;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded bot: answers from a {@link BotDefinition} without any outside service. In order of precedence a
 * message is answered by the button it chooses (by number, caption or postback) from the previous answer, a
 * keyword (whole word, case-insensitive), an intent ({@link IntentClassifier}), a knowledge article, or the
 * fallback. On a session's first turn the welcome dialog comes first, and alone when the message matched nothing
 * (a "hi" needs no apology).
 *
 * <p>The engine keeps no per-session state: the buttons of the last message it sent travel in
 * {@link BotAnswer#context()} as JSON ({@code {"buttons":[{"caption":…,"postback":…,"url":…}]}}) and come back in
 * {@link BotRequest#context()}. Immutable and thread-safe, so the runtime builds one per definition revision.
 */
public final class EmbeddedEngine implements Bot {

    static final String BUILT_IN_FALLBACK = "Sorry, I did not understand that. Could you put it another way?";
    static final String KNOWLEDGE_TOPIC = "knowledge";
    static final int EXCERPT_CHARS = 300;

    private final BotDefinition def;
    /** Who this engine is in the reasoning line: which chatbot revision, or which agent's configured answers. */
    private final String who;
    private final KnowledgeSearch knowledge;
    private final IntentClassifier intents;
    private final Map<Pattern, Keyword> keywords;

    public EmbeddedEngine(BotDefinition def, KnowledgeSearch knowledge) {
        this(def, knowledge, "embedded bot " + def.name());
    }

    /** @param who who answers, in words, for {@link BotReasoning#bot()}: {@code embedded chatbot acme rev 2} */
    public EmbeddedEngine(BotDefinition def, KnowledgeSearch knowledge, String who) {
        this.def = def;
        this.who = who;
        this.knowledge = knowledge == null ? KnowledgeSearch.NONE : knowledge;
        this.intents = new IntentClassifier(def.intents(), def.language());
        LinkedHashMap<Pattern, Keyword> patterns = new LinkedHashMap<>();
        for (Keyword k : def.keywords()) {
            patterns.put(Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k.keyword()) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), k);
        }
        this.keywords = Collections.unmodifiableMap(patterns);
    }

    @Override
    public BotAnswer answer(BotRequest request) {
        Reply reply = new Reply();
        boolean welcomed = request.firstTurn() && def.welcome() != null;
        if (welcomed) {
            reply.dialog(def.welcome());
        }
        String text = request.input().strip();
        Optional<Button> chosen = chosenButton(request.context(), text);
        if (chosen.isPresent()) {
            reply.rules.add("button " + quoted(chosen.get().caption()));
        }
        if (chosen.isEmpty()) {
            respond(text, reply, welcomed);
        } else if (chosen.get().url() != null) {
            reply.send(BotMessage.text(chosen.get().url()));
        } else if (chosen.get().targetDialog().isPresent()) {
            reply.dialog(chosen.get().targetDialog().get());
        } else {
            respond(chosen.get().postback(), reply, welcomed);
        }
        if (welcomed) {
            reply.rules.add(0, "welcome dialog");
        }
        BotReasoning why = BotReasoning.by(who).withRule(reply.rules.isEmpty() ? null : String.join(", then ", reply.rules))
                .withIntent(reply.intent, reply.confidence).withArticles(reply.articles);
        return new BotAnswer(reply.messages, reply.handoff, reply.topic, def.language(), context(reply.lastButtons),
                !reply.fellBack, reply.resolved, why);
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** Keyword, intent, knowledge, fallback: the first that matches answers. */
    private void respond(String text, Reply reply, boolean welcomed) {
        Optional<Keyword> keyword = text.isEmpty() ? Optional.empty() : keyword(text);
        if (keyword.isPresent()) {
            reply.rules.add("keyword " + quoted(keyword.get().keyword()));
            reply.dialog(keyword.get().dialog());
            return;
        }
        Optional<IntentClassifier.IntentMatch> match = intents.classify(text);
        if (match.isPresent()) {
            BotDefinition.Intent intent = def.intent(match.get().intent()).orElseThrow();
            reply.topic = intent.name();
            reply.intent = intent.name();
            reply.confidence = match.get().confidence();
            if (intent.handoff()) {
                reply.handoff("customer asked for a human (intent " + intent.name() + ")");
            }
            if (intent.dialog() != null) {
                reply.dialog(intent.dialog());
            }
            if (intent.resolve()) {
                reply.resolve("intent " + intent.name() + " resolves the conversation");
            }
            return;
        }
        List<KnowledgeHit> hits = def.knowledge() && !text.isEmpty()
                ? knowledge.search(text, def.language(), 1) : List.of();
        if (!hits.isEmpty()) {
            reply.topic = KNOWLEDGE_TOPIC;
            reply.rules.add("knowledge article");
            KnowledgeHit hit = hits.get(0);
            reply.articles.add(new BotReasoning.Article(hit.source(), hit.articleId(), hit.title(), null));
            reply.send(BotMessage.text(articleAnswer(hits.get(0))));
        } else if (!welcomed) {
            reply.fallback();
        }
    }

    /** The keyword that occurs first in the text. */
    private Optional<Keyword> keyword(String text) {
        Keyword first = null;
        int firstAt = Integer.MAX_VALUE;
        for (Map.Entry<Pattern, Keyword> k : keywords.entrySet()) {
            Matcher m = k.getKey().matcher(text);
            if (m.find() && m.start() < firstAt) {
                firstAt = m.start();
                first = k.getValue();
            }
        }
        return Optional.ofNullable(first);
    }

    static String articleAnswer(KnowledgeHit hit) {
        StringBuilder text = new StringBuilder(hit.title()).append('\n').append(excerpt(hit.body()));
        if (hit.url() != null && !hit.url().isBlank()) {
            text.append('\n').append(hit.url());
        }
        return text.toString();
    }

    /**
     * At most {@value #EXCERPT_CHARS} characters of {@code body}: cut after the last whole sentence when that keeps
     * at least a third of it, else at the last word boundary with an ellipsis.
     */
    static String excerpt(String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        if (text.length() <= EXCERPT_CHARS) {
            return text;
        }
        String cut = text.substring(0, EXCERPT_CHARS);
        int sentenceEnd = Math.max(cut.lastIndexOf(". "), Math.max(cut.lastIndexOf("! "), cut.lastIndexOf("? ")));
        if (sentenceEnd >= EXCERPT_CHARS / 3) {
            return cut.substring(0, sentenceEnd + 1);
        }
        int space = cut.lastIndexOf(' ');
        return (space > 0 ? cut.substring(0, space) : cut.substring(0, EXCERPT_CHARS - 1)) + "…";
    }

    /** The button the customer's text chooses among those offered last: its number, caption or postback. */
    static Optional<Button> chosenButton(String context, String text) {
        List<Button> offered = offeredButtons(context);
        if (offered.isEmpty() || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.matches("\\d{1,3}")) {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= offered.size() ? Optional.of(offered.get(n - 1)) : Optional.empty();
        }
        return offered.stream()
                .filter(b -> text.equalsIgnoreCase(b.caption()) || text.equalsIgnoreCase(b.postback()))
                .findFirst();
    }

    static String context(List<Button> buttons) {
        if (buttons.isEmpty()) {
            return null;
        }
        JsonArrayBuilder a = JSON.createArrayBuilder();
        for (Button b : buttons) {
            var o = JSON.createObjectBuilder().add("caption", b.caption() == null ? "" : b.caption());
            if (b.postback() != null) {
                o.add("postback", b.postback());
            }
            if (b.url() != null) {
                o.add("url", b.url());
            }
            a.add(o);
        }
        return JSON.createObjectBuilder().add("buttons", a).build().toString();
    }

    /** The buttons in a context; none when the context is absent or not ours (say, from an older engine). */
    static List<Button> offeredButtons(String context) {
        if (context == null || context.isBlank()) {
            return List.of();
        }
        try (var reader = JSON.createReader(new StringReader(context))) {
            JsonValue buttons = reader.readObject().get("buttons");
            if (!(buttons instanceof JsonArray)) {
                return List.of();
            }
            List<Button> out = new ArrayList<>();
            for (JsonValue v : (JsonArray) buttons) {
                JsonObject b = v.asJsonObject();
                out.add(new Button(b.getString("caption", ""), b.getString("postback", null), b.getString("url", null)));
            }
            return out;
        } catch (JsonException | ClassCastException e) {
            return List.of();
        }
    }

    /** What one answer is accumulating. */
    private final class Reply {
        final List<BotMessage> messages = new ArrayList<>();
        List<Button> lastButtons = List.of();
        HandoffSignal handoff;
        /** Why the answer resolves the conversation; null when it does not. */
        String resolved;
        String topic;
        /** What decided the answer, in order (see {@link BotReasoning#rule()}). */
        final List<String> rules = new ArrayList<>();
        String intent;
        Double confidence;
        final List<BotReasoning.Article> articles = new ArrayList<>();
        /** The answer is the fallback ("I did not understand"): not a real answer. */
        boolean fellBack;

        void dialog(String id) {
            Optional<Dialog> dialog = def.dialog(id);
            if (dialog.isEmpty()) {
                // The validator refuses such definitions; an unvalidated one still gets an answer.
                fallback();
                return;
            }
            for (Message m : dialog.get().messages()) {
                List<BotButton> buttons = m.buttons().stream()
                        .map(b -> new BotButton(b.caption(), b.postback(), b.url())).toList();
                messages.add(new BotMessage(m.text(), buttons));
                lastButtons = m.buttons();
                if (m.handoff()) {
                    handoff("dialog " + id + " hands off");
                    return;
                }
                if (m.resolve()) {
                    resolve("dialog " + id + " resolves the conversation");
                    return;
                }
            }
        }

        /** Sends a message without buttons of ours (so the next reply chooses none). */
        void send(BotMessage message) {
            messages.add(message);
            lastButtons = List.of();
        }

        void handoff(String reason) {
            if (handoff == null) {
                handoff = HandoffSignal.because(reason);
            }
        }

        /** The first reason counts; a handoff in the same answer wins over it (the runtime decides, see BotAnswer). */
        void resolve(String reason) {
            if (resolved == null) {
                resolved = reason;
            }
        }

        void fallback() {
            fellBack = true;
            rules.add("fallback (nothing matched)");
            if (def.fallback() != null && def.dialog(def.fallback()).isPresent()) {
                dialog(def.fallback());
            } else {
                send(BotMessage.text(BUILT_IN_FALLBACK));
            }
        }
    }
}
