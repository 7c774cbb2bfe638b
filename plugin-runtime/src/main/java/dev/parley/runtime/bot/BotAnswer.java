package dev.parley.runtime.bot;

import java.util.List;

/**
 * What a bot answered.
 *
 * @param messages the messages to send, in order; may be empty
 * @param handoff  non-null when the bot asks for a human (sent after {@code messages})
 * @param topic    the topic or intent the bot recognised, matched against the agent's autopilot topics
 *                 ({@code parley.agent.<id>.topic.<name>=answer|escalate}); may be null
 * @param language ISO 639-1 code when the bot knows the customer's language; may be null
 * @param context  the bot's own state to get back with the next request; may be null
 * @param complete true when the answer stands on its own: text, no handoff, not the bot's fallback ("I did not
 *                 understand"). Assist mode suggests only complete answers to human agents.
 */
public record BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language,
                        String context, boolean complete) {
    public BotAnswer {
        messages = messages == null ? List.of() : List.copyOf(messages);
        complete = complete && handoff == null && messages.stream().anyMatch(m -> m.text() != null && !m.text().isBlank());
    }

    /** An answer that is complete unless it hands off or has no text. */
    public BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language, String context) {
        this(messages, handoff, topic, language, context, true);
    }

    public static BotAnswer of(String... texts) {
        return new BotAnswer(java.util.Arrays.stream(texts).map(BotMessage::text).toList(), null, null, null, null);
    }
}
