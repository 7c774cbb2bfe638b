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
 * @param resolved non-null when the bot says the conversation is done: why, in one line. The session ends RESOLVED
 *                 after {@code messages} are queued (and a channel that keeps conversations of its own closes its
 *                 conversation after the last of them is sent). A blank reason becomes {@value #DEFAULT_RESOLVE_REASON}.
 *                 Ignored, with a timeline line, when {@code handoff} is set too: the handoff wins.
 * @param reasoning why the bot answered so, for the session timeline; null when the bot said nothing about it
 */
public record BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language,
                        String context, boolean complete, String resolved, BotReasoning reasoning) {

    /** The reason of a resolve the bot gave none for. */
    public static final String DEFAULT_RESOLVE_REASON = "the bot resolved the conversation";

    public BotAnswer {
        messages = messages == null ? List.of() : List.copyOf(messages);
        complete = complete && handoff == null && messages.stream().anyMatch(m -> m.text() != null && !m.text().isBlank());
        resolved = resolved == null ? null : resolved.isBlank() ? DEFAULT_RESOLVE_REASON : resolved.strip();
    }

    /** An answer without reasoning. */
    public BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language, String context,
                     boolean complete, String resolved) {
        this(messages, handoff, topic, language, context, complete, resolved, null);
    }

    /** An answer that does not resolve the conversation. */
    public BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language, String context,
                     boolean complete) {
        this(messages, handoff, topic, language, context, complete, null);
    }

    /** An answer that is complete unless it hands off or has no text, and does not resolve the conversation. */
    public BotAnswer(List<BotMessage> messages, HandoffSignal handoff, String topic, String language, String context) {
        this(messages, handoff, topic, language, context, true, null);
    }

    public static BotAnswer of(String... texts) {
        return new BotAnswer(java.util.Arrays.stream(texts).map(BotMessage::text).toList(), null, null, null, null);
    }

    /** This answer, resolving the conversation for {@code reason} (null: not resolving it). */
    public BotAnswer resolving(String reason) {
        return new BotAnswer(messages, handoff, topic, language, context, complete, reason, reasoning);
    }

    /** This answer, with why the bot gave it. */
    public BotAnswer reasoned(BotReasoning why) {
        return new BotAnswer(messages, handoff, topic, language, context, complete, resolved, why);
    }

    /** Whether the bot said the conversation is done. */
    public boolean resolves() {
        return resolved != null;
    }
}
