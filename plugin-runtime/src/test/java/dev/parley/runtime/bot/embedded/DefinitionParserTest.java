package dev.parley.runtime.bot.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.bot.embedded.BotDefinition.Button;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

    @Test
    void readsTheSampleDefinition() {
        BotDefinition def = Samples.acme();
        assertEquals("Acme support", def.name());
        assertEquals("sms", def.channel());
        assertEquals("Parley", def.sender());
        assertEquals("en", def.language());
        assertEquals("welcome", def.welcome());
        assertTrue(def.knowledge());
        assertEquals(3, def.intents().size());
        assertTrue(def.intent("talk_to_human").orElseThrow().handoff());
        assertEquals("hours", def.keywords().get(0).dialog());
        var welcome = def.dialog("welcome").orElseThrow().messages().get(0);
        assertEquals(new Button("Opening hours", "dialog:hours", null), welcome.buttons().get(0));
        assertEquals("hours", welcome.buttons().get(0).targetDialog().orElseThrow());
        assertEquals("https://www.example.com", welcome.buttons().get(2).url());
        assertTrue(def.dialog("human").orElseThrow().messages().get(0).handoff());
        assertTrue(def.dialog("hours").orElseThrow().messages().get(0).buttons().isEmpty(), "plain string message");
    }

    @Test
    void theDemoFileIsTheTestSample() throws Exception {
        assertEquals(Files.readString(Path.of("../demo/acme-bot.yaml")), Samples.acmeYaml());
    }

    @Test
    void canonicalJsonRoundTrips() {
        BotDefinition def = Samples.acme();
        String json = def.toJson();
        assertEquals(def, BotDefinition.parse(json));
        assertEquals(json, BotDefinition.parse(json).toJson());
    }

    @Test
    void defaultsApplyWhenLeftOut() {
        BotDefinition def = BotDefinition.parse("{\"name\": \"x\"}");
        assertEquals("en", def.language());
        assertTrue(def.knowledge());
        assertNull(def.welcome());
        assertTrue(def.dialogs().isEmpty());
        assertFalse(BotDefinition.parse("knowledge: false").knowledge());
    }

    @Test
    void anUnknownKeyIsNamedWithItsLocation() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> BotDefinition.parse("""
                name: x
                dialogs:
                  - id: welcome
                    messages:
                      - text: hi
                        colour: red
                """));
        assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("dialogs[welcome].messages[0]"), e.getMessage());
        assertEquals(6, e.line());
        assertEquals(9, e.column());
    }

    @Test
    void aSyntaxErrorGivesLineAndColumn() {
        DefinitionException e = assertThrows(DefinitionException.class,
                () -> BotDefinition.parse("{\"name\": \"x\",\n \"channel\": [1, 2}\n"));
        assertTrue(e.getMessage().startsWith("syntax error"), e.getMessage());
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.column() > 0, e.getMessage());
    }

    @Test
    void wrongKindsAndDuplicateKeysAreRefused() {
        assertTrue(assertThrows(DefinitionException.class, () -> BotDefinition.parse("intents: nope"))
                .getMessage().contains("expected a list at definition.intents"));
        assertTrue(assertThrows(DefinitionException.class, () -> BotDefinition.parse("knowledge: maybe"))
                .getMessage().contains("true or false"));
        assertTrue(assertThrows(DefinitionException.class, () -> BotDefinition.parse("name: a\nname: b"))
                .getMessage().contains("duplicate key 'name'"));
        assertTrue(assertThrows(DefinitionException.class, () -> BotDefinition.parse(""))
                .getMessage().contains("empty"));
    }

    @Test
    void readsResolveOnMessagesAndIntentsAndRoundTripsIt() {
        BotDefinition def = BotDefinition.parse("""
                name: r
                intents:
                  - name: thanks
                    phrases: [thanks]
                    resolve: true
                  - name: hours
                    phrases: [hours]
                dialogs:
                  - id: bye
                    messages:
                      - text: Bye
                        resolve: true
                      - Not sent
                """);
        assertTrue(def.intent("thanks").orElseThrow().resolve());
        assertFalse(def.intent("hours").orElseThrow().resolve());
        assertTrue(def.dialog("bye").orElseThrow().messages().get(0).resolve());
        assertFalse(def.dialog("bye").orElseThrow().messages().get(1).resolve(), "plain string message");
        assertTrue(def.toJson().contains("\"resolve\":true"), def.toJson());
        assertEquals(def, BotDefinition.parse(def.toJson()));
    }

    @Test
    void resolveMustBeAFlag() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> BotDefinition.parse(
                "dialogs:\n  - id: a\n    messages:\n      - text: x\n        resolve: yes please\n"));
        assertTrue(e.getMessage().contains("expected true or false at dialogs[a].messages[0].resolve"), e.getMessage());
    }
}
