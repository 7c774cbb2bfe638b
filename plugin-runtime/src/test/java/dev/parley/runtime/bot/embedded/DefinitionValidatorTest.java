package dev.parley.runtime.bot.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefinitionValidatorTest {

    private static final DefinitionValidator VALIDATOR = new DefinitionValidator(Set.of("sms")::contains,
            (channel, sender) -> sender.equals("Parley"));

    private static List<ValidationError> errors(String yaml) {
        return VALIDATOR.validate(BotDefinition.parse(yaml));
    }

    private static final String HEADER = "name: t\nchannel: sms\nsender: Parley\n";

    private static Set<String> codesAt(List<ValidationError> errors, String location) {
        return errors.stream().filter(e -> e.location().equals(location)).map(ValidationError::code)
                .collect(Collectors.toSet());
    }

    @Test
    void theSampleIsValid() {
        assertEquals(List.of(), VALIDATOR.validate(Samples.acme()));
    }

    @Test
    void channelAndSenderMustExist() {
        List<ValidationError> e = errors("name: t\nchannel: fax\nsender: Parley");
        assertEquals(List.of(new ValidationError("channel", "channel-unknown",
                "channel 'fax' is not a configured connection")), e);
        assertEquals(Set.of("sender-unknown"), codesAt(errors("name: t\nchannel: sms\nsender: Other"), "sender"));
        List<ValidationError> missing = errors("name: t");
        assertEquals(Set.of("channel-missing"), codesAt(missing, "channel"));
        assertEquals(Set.of("sender-missing"), codesAt(missing, "sender"));
    }

    @Test
    void buttonRules() {
        List<ValidationError> e = errors(HEADER + """
                dialogs:
                  - id: welcome
                    messages:
                      - text: ok
                      - buttons:
                          - caption: ""
                            postback: x
                          - caption: Neither
                          - caption: Both
                            postback: x
                            url: https://example.com
                          - caption: Relative
                            url: /help
                          - caption: Ftp
                            url: ftp://example.com/x
                          - caption: Empty url
                            url: ""
                """);
        String m = "dialogs[welcome].messages[1]";
        assertEquals(List.of(new ValidationError(m, "message-text-missing", "a message with buttons must have text")),
                e.stream().filter(x -> x.location().equals(m)).toList());
        assertEquals(Set.of("button-caption-missing"), codesAt(e, m + ".buttons[0]"));
        assertEquals(Set.of("button-action-missing"), codesAt(e, m + ".buttons[1]"));
        assertEquals(Set.of("button-action-ambiguous"), codesAt(e, m + ".buttons[2]"));
        assertEquals(Set.of("button-url-invalid"), codesAt(e, m + ".buttons[3].url"));
        assertEquals(Set.of("button-url-invalid"), codesAt(e, m + ".buttons[4].url"));
        assertEquals(Set.of("button-url-invalid"), codesAt(e, m + ".buttons[5].url"));
        assertEquals(7, e.size(), "every problem at once: " + e);
    }

    @Test
    void duplicateIdsAndUnknownDialogs() {
        List<ValidationError> e = errors(HEADER + """
                welcome: nope
                fallback: gone
                dialogs:
                  - id: a
                    messages: [hello]
                  - id: a
                    messages:
                      - text: pick
                        buttons:
                          - caption: Go
                            postback: "dialog:missing"
                keywords:
                  - keyword: help
                    dialog: absent
                intents:
                  - name: x
                    dialog: lost
                    phrases: [one, two]
                  - name: x
                    phrases: [three, four]
                """);
        assertEquals(Set.of("id-duplicate"), codesAt(e, "dialogs[a]"));
        assertEquals(Set.of("id-duplicate"), codesAt(e, "intents[x]"));
        for (String at : List.of("welcome", "fallback", "keywords[help].dialog", "intents[x].dialog",
                "dialogs[a].messages[0].buttons[0].postback")) {
            assertEquals(Set.of("dialog-unknown"), codesAt(e, at), at + " in " + e);
        }
        assertEquals(7, e.size(), e.toString());
    }

    @Test
    void intentsNeedPhrases() {
        List<ValidationError> e = errors(HEADER + "intents:\n  - name: empty\n");
        assertEquals(List.of(new ValidationError("intents[empty]", "intent-phrases-missing",
                "intent empty has no training phrases")), e);
    }

    @Test
    void phraseCountsFarFromTheMedianAreErrors() {
        StringBuilder yaml = new StringBuilder(HEADER).append("intents:\n");
        int[] counts = {1, 6, 6, 7, 20};
        for (int i = 0; i < counts.length; i++) {
            yaml.append("  - name: i").append(i).append("\n    phrases:\n");
            for (int p = 0; p < counts[i]; p++) {
                yaml.append("      - phrase ").append(i).append(' ').append(p).append('\n');
            }
        }
        List<ValidationError> e = errors(yaml.toString());
        assertEquals(List.of(
                new ValidationError("intents[i0]", "intent-phrases-imbalanced",
                        "intent i0 has 1 phrases, far fewer than the median 6; add phrases or merge it"),
                new ValidationError("intents[i4]", "intent-phrases-imbalanced",
                        "intent i4 has 20 phrases, far more than the median 6; remove some or split it")), e);
    }

    @Test
    void oneIntentHasNoMedianToCompareWith() {
        assertTrue(errors(HEADER + "intents:\n  - name: only\n    phrases: [a]\n").isEmpty());
    }

    @Test
    void aMessageOrIntentThatBothHandsOffAndResolvesIsAnError() {
        List<ValidationError> e = errors(HEADER + """
                intents:
                  - name: bye
                    phrases: [bye]
                    handoff: true
                    resolve: true
                dialogs:
                  - id: end
                    messages:
                      - text: Bye
                        handoff: true
                        resolve: true
                """);
        assertEquals(Set.of("handoff-and-resolve"), codesAt(e, "dialogs[end].messages[0]"));
        assertEquals(Set.of("handoff-and-resolve"), codesAt(e, "intents[bye]"));
        ValidationError message = e.stream().filter(x -> x.location().equals("dialogs[end].messages[0]")).findFirst().orElseThrow();
        assertTrue(message.message().contains("\"handoff\": true") && message.message().contains("\"resolve\": true"),
                message.message());
        assertEquals(2, e.size(), e.toString());
    }

    @Test
    void resolveAloneIsValid() {
        assertEquals(List.of(), errors(HEADER + """
                intents:
                  - name: thanks
                    phrases: [thanks]
                    dialog: bye
                    resolve: true
                dialogs:
                  - id: bye
                    messages:
                      - text: Bye
                        resolve: true
                """));
    }
}
