package dev.parley.runtime.bot;

import dev.parley.spi.Sentiment;
import java.util.Map;

/**
 * A bot asking for a human. Everything but {@code reason} may be null: the runtime fills in what the
 * bot did not say (language detection, a transcript-based summary, neutral sentiment).
 */
public record HandoffSignal(String reason, String summary, Sentiment sentiment, String language,
                            Map<String, String> fields) {
    public HandoffSignal {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public static HandoffSignal because(String reason) {
        return new HandoffSignal(reason, null, null, null, Map.of());
    }
}
