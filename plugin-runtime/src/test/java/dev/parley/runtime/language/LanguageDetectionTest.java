package dev.parley.runtime.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageDetectionTest {

    private final LanguageDetection detection = new LanguageDetection();

    @Test
    void english() {
        assertEquals(Optional.of("en"), detection.detect("Hello, I ordered a jacket last week and it still has not arrived. Where is my parcel?"));
    }

    @Test
    void german() {
        assertEquals(Optional.of("de"), detection.detect("Guten Tag, ich habe letzte Woche eine Jacke bestellt und sie ist immer noch nicht angekommen."));
    }

    @Test
    void french() {
        assertEquals(Optional.of("fr"), detection.detect("Bonjour, j'ai commandé une veste la semaine dernière et je ne l'ai toujours pas reçue."));
    }

    @Test
    void spanish() {
        assertEquals(Optional.of("es"), detection.detect("Hola, pedí una chaqueta la semana pasada y todavía no ha llegado. ¿Dónde está mi paquete?"));
    }

    @Test
    void tooShortIsEmpty() {
        assertEquals(Optional.empty(), detection.detect("ok"));
        assertEquals(Optional.empty(), detection.detect("12345 678 !!"));
        assertEquals(Optional.empty(), detection.detect(null));
    }

    @Test
    void keyboardMashIsEmpty() {
        assertEquals(Optional.empty(), detection.detect("asdf qwer zxcv"));
    }

    @Test
    void shortButClearSentences() {
        assertEquals(Optional.of("en"), detection.detect("I need help with my invoice"));
        assertEquals(Optional.of("de"), detection.detect("Ich brauche Hilfe mit meiner Rechnung"));
    }

    @Test
    void aFewWordsAskingForAHumanAreEnoughEvenWithAnEmailAddress() {
        // The model alone leaves these unclear (Maori ranked above English; the address tips it further).
        assertEquals(Optional.of("en"), detection.detect("I want to talk to a human, my email is kim@example.com"));
        assertEquals(Optional.of("en"), detection.detect("I want to talk to a human"));
        assertEquals(Optional.of("de"), detection.detect("Ich möchte mit einem Menschen sprechen"));
        assertEquals(Optional.of("fr"), detection.detect("Je veux parler à une personne"));
        assertEquals(Optional.of("es"), detection.detect("Quiero hablar con una persona"));
    }

    @Test
    void addressesLinksAndNumbersAreNoLanguage() {
        assertEquals(Optional.empty(), detection.detect("kim@example.com https://example.com/orders/12345"));
    }

    @Test
    void isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String text = i % 2 == 0 ? "Where is my parcel? It should have arrived by now."
                        : "Wo ist mein Paket? Es hätte schon längst ankommen sollen.";
                results.add(pool.submit(() -> detection.detect(text)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(Optional.of(i % 2 == 0 ? "en" : "de"), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
