package dev.parley.runtime.bot.external;

import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import org.eclipse.microprofile.config.Config;

/**
 * Builds an agent's external bot from {@code parley.agent.<id>.bot} and its settings, checked at start-up. Takes
 * the agent's id and bot kind rather than its definition, so the bots depend on nothing of the agents'.
 */
public final class ExternalBots {

    private ExternalBots() {
    }

    /**
     * @param agentId the agent's id, whose {@code parley.agent.<id>.*} properties hold the bot's settings
     * @param bot     {@code llm}, {@code botpress} or {@code rasa}
     */
    public static Bot create(String agentId, String bot, Config config, KnowledgeSearch knowledge) {
        return switch (bot) {
            case "llm" -> new LlmBot(LlmSettings.fromConfig(agentId, config), knowledge);
            case "botpress" -> new BotpressBot(BotpressSettings.fromConfig(agentId, config));
            case "rasa" -> new RasaBot(RasaSettings.fromConfig(agentId, config));
            default -> throw new IllegalStateException("agent '" + agentId + "': bot '" + bot + "' is not external");
        };
    }
}
