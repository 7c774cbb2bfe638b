package dev.parley.runtime.bot;

import dev.parley.spi.TranscriptLine;
import java.util.List;

/**
 * One customer message for a bot.
 *
 * @param agentId    the agent answering
 * @param sessionId  Parley's session id (external bots use it as their conversation/sender id)
 * @param text       what the customer wrote
 * @param firstTurn  true on the session's first turn
 * @param context    the bot's own state returned with its previous answer ({@link BotAnswer#context()}),
 *                   null on the first turn
 * @param history    the conversation before this message, oldest first (for LLMs and summaries)
 * @param contactName the customer's name when known; may be null
 * @param postback   the payload of the button or list row the customer chose on a messaging channel (then {@code text}
 *                   is its title, what the customer saw); null when they typed
 */
public record BotRequest(String agentId, long sessionId, String text, boolean firstTurn, String context,
                         List<TranscriptLine> history, String contactName, String postback) {
    public BotRequest {
        text = text == null ? "" : text;
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A typed message. */
    public BotRequest(String agentId, long sessionId, String text, boolean firstTurn, String context,
                      List<TranscriptLine> history, String contactName) {
        this(agentId, sessionId, text, firstTurn, context, history, contactName, null);
    }

    /**
     * What a bot that works on input treats as the customer's words: the postback when the customer chose one (bots
     * take a postback as if the customer typed it, as their own buttons do), else the text.
     */
    public String input() {
        return postback != null && !postback.isBlank() ? postback : text;
    }
}
