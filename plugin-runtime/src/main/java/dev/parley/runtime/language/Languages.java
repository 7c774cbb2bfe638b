package dev.parley.runtime.language;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The application's one language detector (its model is loaded once, on first use). */
@ApplicationScoped
public class Languages {

    private final LanguageDetection detection = new LanguageDetection();

    /** ISO 639-1 code of the text's language, or empty when the text is too short or unclear. */
    public Optional<String> detect(String text) {
        return detection.detect(text);
    }
}
