package dev.parley.runtime.bot.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.bot.embedded.BotDefinition.Intent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntentClassifierTest {

    private static final IntentClassifier ACME = new IntentClassifier(Samples.acme().intents(), "en");

    @ParameterizedTest
    @CsvSource({
            "when do you open, opening_hours",
            "What are the opening times?, opening_hours",
            "where is my parcel 1234, order_status",
            "has my package shipped yet, order_status",
            "can I speak to a person, talk_to_human",
            "I want to talk to a real human, talk_to_human",
    })
    void recognisesParaphrases(String text, String intent) {
        Optional<IntentClassifier.IntentMatch> match = ACME.classify(text);
        assertEquals(intent, match.map(IntentClassifier.IntentMatch::intent).orElse(null), text + " -> " + match);
        assertTrue(match.get().confidence() >= IntentClassifier.MIN_CONFIDENCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"purple elephants dance", "when", "do you sell purple elephants or giraffes", "", "the a of"})
    void rejectsWeakMatches(String text) {
        assertEquals(Optional.empty(), ACME.classify(text), text);
    }

    @Test
    void usesTheDefinitionLanguagesStemming() {
        IntentClassifier german = new IntentClassifier(List.of(
                new Intent("oeffnungszeiten", List.of("Wann habt ihr geöffnet", "Öffnungszeiten"), null, false),
                new Intent("lieferung", List.of("Wo ist meine Lieferung", "Paket verfolgen"), null, false)), "de");
        assertEquals("lieferung", german.classify("Wo sind meine Lieferungen?").orElseThrow().intent());
        assertEquals("oeffnungszeiten", german.classify("Welche Öffnungszeit habt ihr").orElseThrow().intent());
    }

    @Test
    void classifiesConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<IntentClassifier.IntentMatch>>> results = pool.invokeAll(
                    java.util.Collections.nCopies(200, () -> ACME.classify("where is my order")));
            for (Future<Optional<IntentClassifier.IntentMatch>> r : results) {
                assertEquals("order_status", r.get().orElseThrow().intent());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anEmptyIntentListMatchesNothing() {
        assertEquals(Optional.empty(), new IntentClassifier(List.of(), "xx").classify("hello"));
    }
}
