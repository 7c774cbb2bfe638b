package dev.parley.runtime.chatbot;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.embedded.BotDefinition;
import dev.parley.runtime.bot.embedded.EmbeddedEngine;
import dev.parley.runtime.knowledge.KnowledgeService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Embedded bot engines, built once per chatbot revision (revisions never change, so the cache never goes
 * stale) and once per agent for the answers configured in properties.
 */
@ApplicationScoped
public class ChatbotEngines implements Agents.EmbeddedBots {

    private final Map<Long, Bot> byRevision = new ConcurrentHashMap<>();
    private final Map<String, Bot> byAgent = new ConcurrentHashMap<>();

    @Inject
    ChatbotStore store;
    @Inject
    KnowledgeService knowledge;

    @Override
    public Bot forRevision(long revisionId) {
        return byRevision.computeIfAbsent(revisionId, id -> {
            ChatbotRevision r = store.revisionById(id)
                    .orElseThrow(() -> new BotFailure("chatbot revision " + id + " no longer exists"));
            return new EmbeddedEngine(BotDefinition.parse(r.definition()), knowledge,
                    "embedded chatbot " + r.chatbotId() + " rev " + r.revision());
        });
    }

    /** The agent's configured answers (greeting, keywords, fallback) when no chatbot is active on the sender. */
    @Override
    public Bot forAgent(AgentDefinition agent) {
        return byAgent.computeIfAbsent(agent.id(), id -> new EmbeddedEngine(fromProperties(agent), knowledge,
                "agent " + id + "'s configured answers (embedded, no chatbot active)"));
    }

    /** Drops cached agent engines (the registry was reloaded). */
    public void agentsReloaded() {
        byAgent.clear();
    }

    /** The same engine runs property-configured answers: greeting = welcome, keywords, fallback. */
    static BotDefinition fromProperties(AgentDefinition agent) {
        List<BotDefinition.Dialog> dialogs = new ArrayList<>();
        List<BotDefinition.Keyword> keywords = new ArrayList<>();
        String welcome = null;
        if (agent.greeting() != null && !agent.greeting().isBlank()) {
            welcome = "greeting";
            dialogs.add(dialog(welcome, agent.greeting()));
        }
        int n = 0;
        for (Map.Entry<String, String> k : agent.keywords().entrySet()) {
            String id = "keyword-" + (++n);
            dialogs.add(dialog(id, k.getValue()));
            keywords.add(new BotDefinition.Keyword(k.getKey(), id));
        }
        dialogs.add(dialog("fallback", agent.fallback()));
        return new BotDefinition(agent.id(), null, null, null, welcome, "fallback", false, List.of(), keywords, dialogs);
    }

    private static BotDefinition.Dialog dialog(String id, String text) {
        return new BotDefinition.Dialog(id, List.of(new BotDefinition.Message(text, List.of(), false)));
    }
}
