package dev.parley.spi;

import java.util.List;

/**
 * A pre-approved message template (WhatsApp's way to write first, or again after its 24-hour window closed).
 *
 * @param name         the template's name as registered with the provider
 * @param language     its language code as registered ({@code en}, {@code en_GB})
 * @param placeholders the body's placeholder values, in order; may be empty, never null
 */
public record Template(String name, String language, List<String> placeholders) {

    public Template {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(language, "language");
        placeholders = placeholders == null ? List.of() : List.copyOf(placeholders);
    }
}
