package dev.parley.spi;

/** How the customer seems to feel, as a bot or a classifier judged it. */
public enum Sentiment {
    NEGATIVE, NEUTRAL, POSITIVE;

    /** Lenient parse of a bot's or model's answer; anything unknown is NEUTRAL. */
    public static Sentiment parse(String value) {
        if (value == null) {
            return NEUTRAL;
        }
        return switch (value.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "NEGATIVE", "NEG" -> NEGATIVE;
            case "POSITIVE", "POS" -> POSITIVE;
            default -> NEUTRAL;
        };
    }

    /** Lower-case name, as used in tags ({@code parley_sentiment_negative}). */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
