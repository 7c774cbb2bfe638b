package dev.parley.runtime.bot.external;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import org.eclipse.microprofile.config.Config;

/** Builds an agent's external bot from {@code parley.agent.<id>.bot} and its settings, checked at start-up. */
public final class ExternalBots {

    private ExternalBots() {
    }

    public static Bot create(AgentDefinition agent, Config config, KnowledgeSearch knowledge) {
        return switch (agent.bot()) {
            case "llm" -> new LlmBot(LlmSettings.fromConfig(agent.id(), config), knowledge);
            case "botpress" -> new BotpressBot(BotpressSettings.fromConfig(agent.id(), config));
            case "rasa" -> new RasaBot(RasaSettings.fromConfig(agent.id(), config));
            default -> throw new IllegalStateException("agent '" + agent.id() + "': bot '" + agent.bot() + "' is not external");
        };
    }
}
