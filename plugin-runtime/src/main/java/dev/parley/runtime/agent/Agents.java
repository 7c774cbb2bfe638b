package dev.parley.runtime.agent;

import dev.parley.runtime.bot.Bot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the agent registry loaded at start-up and gives each turn its bot: the chatbot revision a session
 * started on, the agent's configured answers when no chatbot is active, or the agent's external bot.
 */
@ApplicationScoped
public class Agents {

    private volatile AgentRegistry registry = new AgentRegistry(List.of());
    private final Map<String, Bot> external = new ConcurrentHashMap<>();

    @Inject
    EmbeddedBots engines;

    /** Loads the registry and the agents' external bots (whose settings are checked here, at start-up). */
    public void load(AgentRegistry loaded, ExternalBots factory) {
        Map<String, Bot> bots = new ConcurrentHashMap<>();
        for (AgentDefinition agent : loaded.all()) {
            if (!"embedded".equals(agent.bot())) {
                bots.put(agent.id(), factory.create(agent));
            }
        }
        this.registry = loaded;
        close();
        external.putAll(bots);
    }

    /** Releases the external bots' HTTP clients (on undeploy, or before a reload). */
    public void close() {
        external.values().forEach(bot -> {
            if (bot instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(Agents.class.getName()).fine(() -> "closing a bot: " + e);
                }
            }
        });
        external.clear();
    }

    public AgentRegistry registry() {
        return registry;
    }

    /**
     * @param chatbotRevisionId the chatbot revision the session talks to; null when none was active on its sender
     */
    public Bot bot(AgentDefinition agent, Long chatbotRevisionId) {
        if (!"embedded".equals(agent.bot())) {
            return external.get(agent.id());
        }
        if (chatbotRevisionId != null) {
            return engines.forRevision(chatbotRevisionId);
        }
        return engines.forAgent(agent);
    }

    /**
     * The embedded bot's engines: one per chatbot revision, and one per agent for the answers configured in
     * properties. Implemented by the chatbot package, which stores the revisions.
     */
    public interface EmbeddedBots {
        Bot forRevision(long revisionId);

        Bot forAgent(AgentDefinition agent);
    }

    /** Builds an agent's external bot from its settings. */
    @FunctionalInterface
    public interface ExternalBots {
        Bot create(AgentDefinition agent);
    }
}
