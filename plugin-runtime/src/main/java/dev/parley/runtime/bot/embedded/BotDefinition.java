package dev.parley.runtime.bot.embedded;

import static dev.parley.runtime.web.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;

/**
 * What an embedded bot says and when: the parsed form of a bot definition (YAML or JSON, see
 * {@link DefinitionParser}). Immutable, so one {@link EmbeddedEngine} built from it can be shared. Whether it
 * makes sense is the {@link DefinitionValidator}'s business, not the parser's.
 *
 * @param name      a name for people
 * @param channel   the connection id the bot answers on
 * @param sender    our number or sender id on that connection
 * @param language  ISO 639-1 code of the bot's language (default {@code en}): picks the stemming for intents
 *                  and knowledge search
 * @param welcome   dialog shown on a session's first turn; may be null
 * @param fallback  dialog shown when nothing matched; null for a built-in apology
 * @param knowledge whether to answer from knowledge articles when no keyword or intent matched (default true)
 */
public record BotDefinition(String name, String channel, String sender, String language, String welcome,
                            String fallback, boolean knowledge, List<Intent> intents, List<Keyword> keywords,
                            List<Dialog> dialogs) {

    public static final String DEFAULT_LANGUAGE = "en";

    public BotDefinition {
        language = language == null || language.isBlank() ? DEFAULT_LANGUAGE : language;
        intents = intents == null ? List.of() : List.copyOf(intents);
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        dialogs = dialogs == null ? List.of() : List.copyOf(dialogs);
    }

    /**
     * Something a customer means, learned from example phrases.
     *
     * @param dialog  dialog to answer with; may be null (the topic alone may be enough, e.g. for a handoff)
     * @param handoff this intent means "let me talk to a human"
     * @param resolve this intent means the conversation is done ("thanks, that's all"): the session ends RESOLVED
     *                after its dialog's messages
     */
    public record Intent(String name, List<String> phrases, String dialog, boolean handoff, boolean resolve) {
        public Intent {
            phrases = phrases == null ? List.of() : List.copyOf(phrases);
        }

        /** An intent that does not resolve. */
        public Intent(String name, List<String> phrases, String dialog, boolean handoff) {
            this(name, phrases, dialog, handoff, false);
        }
    }

    /** A whole word (case-insensitive) that answers with a dialog; beats any intent. */
    public record Keyword(String keyword, String dialog) {
    }

    /** Messages sent together. */
    public record Dialog(String id, List<Message> messages) {
        public Dialog {
            messages = messages == null ? List.of() : List.copyOf(messages);
        }
    }

    /**
     * A message; {@code handoff} hands the customer to a human after it, {@code resolve} ends the conversation as
     * resolved after it (later messages of the dialog are not sent either way). Both at once is a validation error.
     */
    public record Message(String text, List<Button> buttons, boolean handoff, boolean resolve) {
        public Message {
            buttons = buttons == null ? List.of() : List.copyOf(buttons);
        }

        /** A message that does not resolve. */
        public Message(String text, List<Button> buttons, boolean handoff) {
            this(text, buttons, handoff, false);
        }
    }

    /**
     * A button: a postback is processed as the customer's input when chosen ({@code dialog:<id>} jumps to a
     * dialog), a url is an action link. Exactly one of the two.
     */
    public record Button(String caption, String postback, String url) {
        public static final String DIALOG_PREFIX = "dialog:";

        /** The dialog this button jumps to, when its postback is {@code dialog:<id>}. */
        public Optional<String> targetDialog() {
            return postback != null && postback.startsWith(DIALOG_PREFIX)
                    ? Optional.of(postback.substring(DIALOG_PREFIX.length()))
                    : Optional.empty();
        }
    }

    public Optional<Dialog> dialog(String id) {
        return dialogs.stream().filter(d -> d.id() != null && d.id().equals(id)).findFirst();
    }

    public Optional<Intent> intent(String name) {
        return intents.stream().filter(i -> i.name() != null && i.name().equals(name)).findFirst();
    }

    /** Parses YAML or JSON; see {@link DefinitionParser}. */
    public static BotDefinition parse(String text) {
        return DefinitionParser.parse(text);
    }

    /**
     * The canonical JSON form: keys in a fixed order, nulls, empty button lists and false flags left out
     * (except {@code knowledge}, which defaults to true). {@link #parse} of it gives an equal definition.
     */
    public String toJson() {
        JsonObjectBuilder o = JSON.createObjectBuilder();
        putIfPresent(o, "name", name);
        putIfPresent(o, "channel", channel);
        putIfPresent(o, "sender", sender);
        o.add("language", language);
        putIfPresent(o, "welcome", welcome);
        putIfPresent(o, "fallback", fallback);
        o.add("knowledge", knowledge);
        JsonArrayBuilder is = JSON.createArrayBuilder();
        for (Intent i : intents) {
            JsonObjectBuilder b = JSON.createObjectBuilder();
            putIfPresent(b, "name", i.name());
            b.add("phrases", strings(i.phrases()));
            putIfPresent(b, "dialog", i.dialog());
            if (i.handoff()) {
                b.add("handoff", true);
            }
            if (i.resolve()) {
                b.add("resolve", true);
            }
            is.add(b);
        }
        o.add("intents", is);
        JsonArrayBuilder ks = JSON.createArrayBuilder();
        for (Keyword k : keywords) {
            JsonObjectBuilder b = JSON.createObjectBuilder();
            putIfPresent(b, "keyword", k.keyword());
            putIfPresent(b, "dialog", k.dialog());
            ks.add(b);
        }
        o.add("keywords", ks);
        JsonArrayBuilder ds = JSON.createArrayBuilder();
        for (Dialog d : dialogs) {
            JsonArrayBuilder ms = JSON.createArrayBuilder();
            for (Message m : d.messages()) {
                ms.add(messageJson(m));
            }
            JsonObjectBuilder b = JSON.createObjectBuilder();
            putIfPresent(b, "id", d.id());
            ds.add(b.add("messages", ms));
        }
        o.add("dialogs", ds);
        return o.build().toString();
    }

    private static JsonObjectBuilder messageJson(Message m) {
        JsonObjectBuilder b = JSON.createObjectBuilder();
        putIfPresent(b, "text", m.text());
        if (!m.buttons().isEmpty()) {
            JsonArrayBuilder bs = JSON.createArrayBuilder();
            for (Button button : m.buttons()) {
                JsonObjectBuilder bb = JSON.createObjectBuilder();
                putIfPresent(bb, "caption", button.caption());
                putIfPresent(bb, "postback", button.postback());
                putIfPresent(bb, "url", button.url());
                bs.add(bb);
            }
            b.add("buttons", bs);
        }
        if (m.handoff()) {
            b.add("handoff", true);
        }
        if (m.resolve()) {
            b.add("resolve", true);
        }
        return b;
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        values.forEach(a::add);
        return a;
    }

    private static void putIfPresent(JsonObjectBuilder o, String key, String value) {
        if (value != null) {
            o.add(key, value);
        }
    }
}
