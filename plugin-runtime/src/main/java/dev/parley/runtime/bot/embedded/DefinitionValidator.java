package dev.parley.runtime.bot.embedded;

import dev.parley.runtime.bot.embedded.BotDefinition.Button;
import dev.parley.runtime.bot.embedded.BotDefinition.Dialog;
import dev.parley.runtime.bot.embedded.BotDefinition.Intent;
import dev.parley.runtime.bot.embedded.BotDefinition.Keyword;
import dev.parley.runtime.bot.embedded.BotDefinition.Message;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks that a parsed {@link BotDefinition} makes sense, and returns every problem at once so an author fixes
 * them in one go rather than one per save.
 *
 * <p>Rules: name, channel and sender are required, and the channel must be a configured connection (and the
 * sender one of its senders, when a sender check is given); dialog ids, intent names and keywords are unique;
 * welcome, fallback, intent and keyword dialogs and {@code dialog:<id>} postbacks name existing dialogs; a dialog
 * has messages; a message has text (a message with buttons must have text: SMS shows the text and numbered
 * options); a button has a caption and exactly one of postback or url; a url is an absolute http(s) URL; an
 * intent has phrases; a message or an intent does not both hand off and resolve (one hands the customer to a human,
 * the other ends the conversation: the author must pick one).
 *
 * <p><b>Training-phrase balance</b>: an intent with far fewer phrases than the others is rarely recognised,
 * one with far more swallows its neighbours' questions. With at least 2 intents that have phrases, let
 * {@code m} be the median of their phrase counts; an intent with fewer than {@code m/3} or more than
 * {@code 3*m} phrases is an error. (Intents without phrases get their own error and are left out of the median.)
 */
public final class DefinitionValidator {

    private final Predicate<String> channelExists;
    private final BiPredicate<String, String> senderExists;

    /** Checks the channel only; any sender is accepted. */
    public DefinitionValidator(Predicate<String> channelExists) {
        this(channelExists, (channel, sender) -> true);
    }

    /**
     * @param channelExists whether a connection id is configured
     * @param senderExists  whether a sender (number or sender id) belongs to a channel (called only for
     *                      existing channels)
     */
    public DefinitionValidator(Predicate<String> channelExists, BiPredicate<String, String> senderExists) {
        this.channelExists = channelExists;
        this.senderExists = senderExists;
    }

    public List<ValidationError> validate(BotDefinition def) {
        List<ValidationError> errors = new ArrayList<>();
        checkHeader(def, errors);
        Set<String> dialogIds = unique(def.dialogs(), Dialog::id, "dialogs", "dialog id", errors);
        checkReference("welcome", def.welcome(), dialogIds, errors);
        checkReference("fallback", def.fallback(), dialogIds, errors);
        unique(def.intents(), Intent::name, "intents", "intent name", errors);
        for (Intent intent : def.intents()) {
            String at = "intents[" + intent.name() + "]";
            checkReference(at + ".dialog", intent.dialog(), dialogIds, errors);
            if (intent.phrases().stream().allMatch(DefinitionValidator::blank)) {
                errors.add(new ValidationError(at, "intent-phrases-missing",
                        "intent " + intent.name() + " has no training phrases"));
            }
            if (intent.handoff() && intent.resolve()) {
                errors.add(new ValidationError(at, "handoff-and-resolve", "intent " + intent.name()
                        + " both hands off and resolves: \"handoff\": true gives the customer a human, \"resolve\": "
                        + "true ends the conversation; keep one"));
            }
        }
        checkPhraseBalance(def.intents(), errors);
        unique(def.keywords(), k -> k.keyword() == null ? null : k.keyword().toLowerCase(Locale.ROOT), "keywords",
                "keyword", errors);
        for (Keyword k : def.keywords()) {
            String at = "keywords[" + k.keyword() + "]";
            if (blank(k.dialog())) {
                errors.add(new ValidationError(at + ".dialog", "keyword-dialog-missing",
                        "keyword " + k.keyword() + " needs a dialog"));
            } else {
                checkReference(at + ".dialog", k.dialog(), dialogIds, errors);
            }
        }
        for (Dialog d : def.dialogs()) {
            checkDialog(d, dialogIds, errors);
        }
        return List.copyOf(errors);
    }

    private void checkHeader(BotDefinition def, List<ValidationError> errors) {
        if (blank(def.name())) {
            errors.add(new ValidationError("name", "name-missing", "the bot needs a name"));
        }
        if (blank(def.channel())) {
            errors.add(new ValidationError("channel", "channel-missing", "the bot needs a channel (a connection id)"));
        } else if (!channelExists.test(def.channel())) {
            errors.add(new ValidationError("channel", "channel-unknown",
                    "channel '" + def.channel() + "' is not a configured connection"));
        }
        if (blank(def.sender())) {
            errors.add(new ValidationError("sender", "sender-missing",
                    "the bot needs a sender (the number or sender id it answers on)"));
        } else if (!blank(def.channel()) && channelExists.test(def.channel())
                && !senderExists.test(def.channel(), def.sender())) {
            errors.add(new ValidationError("sender", "sender-unknown",
                    "sender '" + def.sender() + "' is not a sender of connection '" + def.channel() + "'"));
        }
    }

    private static void checkDialog(Dialog d, Set<String> dialogIds, List<ValidationError> errors) {
        String at = "dialogs[" + d.id() + "]";
        if (d.messages().isEmpty()) {
            errors.add(new ValidationError(at, "dialog-empty", "dialog " + d.id() + " has no messages"));
        }
        for (int m = 0; m < d.messages().size(); m++) {
            Message message = d.messages().get(m);
            String messageAt = at + ".messages[" + m + "]";
            if (message.handoff() && message.resolve()) {
                errors.add(new ValidationError(messageAt, "handoff-and-resolve", "a message cannot both hand off and "
                        + "resolve: \"handoff\": true gives the customer a human, \"resolve\": true ends the "
                        + "conversation; keep one"));
            }
            if (blank(message.text())) {
                errors.add(message.buttons().isEmpty()
                        ? new ValidationError(messageAt, "message-text-missing", "a message must have text")
                        : new ValidationError(messageAt, "message-text-missing", "a message with buttons must have text"));
            }
            for (int b = 0; b < message.buttons().size(); b++) {
                checkButton(message.buttons().get(b), messageAt + ".buttons[" + b + "]", dialogIds, errors);
            }
        }
    }

    private static void checkButton(Button button, String at, Set<String> dialogIds, List<ValidationError> errors) {
        if (blank(button.caption())) {
            errors.add(new ValidationError(at, "button-caption-missing", "a button must have a caption"));
        }
        boolean hasPostback = button.postback() != null;
        boolean hasUrl = button.url() != null;
        if (hasPostback == hasUrl) {
            errors.add(new ValidationError(at, hasUrl ? "button-action-ambiguous" : "button-action-missing",
                    "a button must have either a postback or a url, not " + (hasUrl ? "both" : "neither")));
        }
        if (hasPostback && blank(button.postback())) {
            errors.add(new ValidationError(at + ".postback", "button-postback-empty", "the postback is empty"));
        }
        if (hasUrl && !isHttpUrl(button.url())) {
            errors.add(new ValidationError(at + ".url", "button-url-invalid",
                    "'" + button.url() + "' is not an absolute http(s) URL"));
        }
        button.targetDialog().ifPresent(target -> checkReference(at + ".postback", target, dialogIds, errors));
    }

    /** Each intent's phrase count against the median; see the class comment. */
    private static void checkPhraseBalance(List<Intent> intents, List<ValidationError> errors) {
        List<Intent> trained = intents.stream().filter(i -> phraseCount(i) > 0).toList();
        if (trained.size() < 2) {
            return;
        }
        double median = median(trained.stream().mapToInt(DefinitionValidator::phraseCount).sorted().toArray());
        for (Intent intent : trained) {
            int n = phraseCount(intent);
            String at = "intents[" + intent.name() + "]";
            if (n < median / 3) {
                errors.add(new ValidationError(at, "intent-phrases-imbalanced", "intent " + intent.name() + " has " + n
                        + " phrases, far fewer than the median " + format(median) + "; add phrases or merge it"));
            } else if (n > 3 * median) {
                errors.add(new ValidationError(at, "intent-phrases-imbalanced", "intent " + intent.name() + " has " + n
                        + " phrases, far more than the median " + format(median)
                        + "; remove some or split it"));
            }
        }
    }

    private static int phraseCount(Intent intent) {
        return (int) intent.phrases().stream().filter(p -> !blank(p)).count();
    }

    private static double median(int[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Reports missing and duplicate ids of {@code items} and returns the ids present. */
    private static <T> Set<String> unique(List<T> items, Function<T, String> id, String list, String what,
                                          List<ValidationError> errors) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String value = id.apply(items.get(i));
            if (blank(value)) {
                errors.add(new ValidationError(list + "[" + i + "]", "id-missing", "missing " + what));
            } else if (!seen.add(value)) {
                errors.add(new ValidationError(list + "[" + value + "]", "id-duplicate", "duplicate " + what + " '"
                        + value + "'"));
            }
        }
        return seen;
    }

    private static void checkReference(String at, String dialog, Set<String> dialogIds, List<ValidationError> errors) {
        if (dialog != null && !dialogIds.contains(dialog)) {
            errors.add(new ValidationError(at, "dialog-unknown", "there is no dialog '" + dialog + "'"));
        }
    }

    static boolean isHttpUrl(String url) {
        if (blank(url)) {
            return false;
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
