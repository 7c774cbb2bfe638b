package dev.parley.runtime.bot;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Holds the agent registry loaded at start-up, and the bots by kind. */
@ApplicationScoped
public class Agents {

    private volatile AgentRegistry registry = new AgentRegistry(List.of());
    public void load(AgentRegistry loaded) {
        this.registry = loaded;
    }

    public AgentRegistry registry() {
        return registry;
    }

    /** The bot an agent uses; the registry only admits kinds listed here. */
    public Bot bot(AgentDefinition agent) {
        return new EmbeddedBot(agent);
    }
}
