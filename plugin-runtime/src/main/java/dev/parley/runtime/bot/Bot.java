package dev.parley.runtime.bot;

import java.util.List;

/**
 * Something that answers a customer's message. Implementations: {@link EmbeddedBot}; external bots
 * (Botpress, Rasa, LLM) slot in behind the same interface.
 */
public interface Bot {

    /**
     * @param agent     the agent's definition
     * @param text      what the customer wrote
     * @param firstTurn true when this is the session's first turn (greet)
     * @return the messages to send, in order; empty for silence
     */
    List<String> reply(AgentDefinition agent, String text, boolean firstTurn);
}
