package dev.parley.runtime.chatbot;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.bot.embedded.BotDefinition;
import dev.parley.runtime.bot.embedded.DefinitionException;
import dev.parley.runtime.bot.embedded.DefinitionValidator;
import dev.parley.runtime.connection.ConnectionManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chatbot lifecycle: drafts, validation, activation (now or scheduled), deactivation and redeploys
 * with a grace period. Definitions are validated against the live configuration: the channel must be a
 * configured connection answered by an embedded agent.
 */
@ApplicationScoped
public class ChatbotService {

    private static final Logger LOG = Logger.getLogger(ChatbotService.class.getName());

    @Inject
    ChatbotStore store;
    @Inject
    ConnectionManager connections;
    @Inject
    Agents agents;

    /** A saved draft and what is wrong with it (empty when it may be activated). */
    public record Saved(int revision, List<ChatbotProblem> problems) {
    }

    /**
     * Parses and stores a definition (YAML or JSON) as the bot's new draft.
     *
     * @throws DefinitionException when it does not parse (with line and column)
     */
    public Saved save(String id, String text) {
        BotDefinition def = BotDefinition.parse(text);
        int revision = store.saveDraft(id, def.name(), def.channel(), def.sender(), def.toJson());
        return new Saved(revision, problems(def));
    }

    /** Problems of the bot's current draft. */
    public List<ChatbotProblem> validate(String id) {
        Chatbot bot = store.find(id).orElseThrow(() -> new ChatbotStore.LifecycleException("no chatbot '" + id + "'", List.of()));
        return store.revision(id, bot.draftRevision()).map(this::check).orElse(List.of());
    }

    public String activate(String id, Duration grace) {
        return store.activate(id, grace, this::check);
    }

    /** Activates a changed draft of an active bot; its sessions on the old revision may finish within {@code grace}. */
    public String redeploy(String id, Duration grace) {
        Chatbot bot = store.find(id).orElseThrow(() -> new ChatbotStore.LifecycleException("no chatbot '" + id + "'", List.of()));
        if (bot.state() != Chatbot.State.ACTIVE) {
            throw new ChatbotStore.LifecycleException("chatbot '" + id + "' is " + bot.state() + "; redeploy needs an ACTIVE bot "
                    + "(use activate)", List.of());
        }
        if (Integer.valueOf(bot.draftRevision()).equals(bot.activeRevision())) {
            throw new ChatbotStore.LifecycleException("chatbot '" + id + "' has no changes to redeploy: revision "
                    + bot.activeRevision() + " is active", List.of());
        }
        return store.activate(id, grace, this::check);
    }

    public String deactivate(String id, Duration grace) {
        return store.deactivate(id, grace);
    }

    public void schedule(String id, OffsetDateTime activateAt, OffsetDateTime deactivateAt, String zone, Duration grace) {
        store.schedule(id, activateAt, deactivateAt, zone, grace);
    }

    /** Fires due schedules (each exactly once across instances) and ends sessions whose grace period is over. */
    public void sweep() {
        OffsetDateTime now = OffsetDateTime.now();
        for (String id : store.dueSchedules(now)) {
            try {
                store.fireSchedule(id, now, this::check).ifPresent(outcome -> LOG.info("chatbot '" + id + "': " + outcome));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "chatbot '" + id + "': scheduled change failed; retried on the next sweep", e);
            }
        }
        store.endRetiredSessions(now, 200);
    }

    /**
     * Imports {@code parley.agent.<id>.definition} files as chatbot {@code <id>} (a new draft when the file
     * changed) and activates them when {@code parley.agent.<id>.activate=true}.
     */
    public void importAgentDefinitions() {
        for (AgentDefinition agent : agents.registry().all()) {
            if (agent.definitionFile() == null) {
                continue;
            }
            try {
                String text = Files.readString(Path.of(agent.definitionFile()), StandardCharsets.UTF_8);
                Saved saved = save(agent.id(), text);
                if (!saved.problems().isEmpty()) {
                    LOG.severe("chatbot '" + agent.id() + "' from " + agent.definitionFile() + " is not valid: " + saved.problems());
                } else if (agent.activate()) {
                    LOG.info("chatbot '" + agent.id() + "' from " + agent.definitionFile() + ": " + activate(agent.id(), Duration.ZERO));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "chatbot '" + agent.id() + "': cannot import " + agent.definitionFile()
                        + " (parley.agent." + agent.id() + ".definition): " + e.getMessage());
            }
        }
    }

    List<ChatbotProblem> check(ChatbotRevision revision) {
        try {
            return problems(BotDefinition.parse(revision.definition()));
        } catch (DefinitionException e) {
            return List.of(new ChatbotProblem("definition", "PARSE_ERROR", e.getMessage()));
        }
    }

    private List<ChatbotProblem> problems(BotDefinition def) {
        List<ChatbotProblem> out = new ArrayList<>();
        new DefinitionValidator(channel -> connections.find(channel).isPresent()).validate(def)
                .forEach(e -> out.add(new ChatbotProblem(e.location(), e.code(), e.message())));
        if (def.channel() != null && connections.find(def.channel()).isPresent()) {
            AgentDefinition agent = agents.registry().inboundAgent(def.channel()).orElse(null);
            if (agent == null) {
                out.add(new ChatbotProblem("channel", "CHANNEL_WITHOUT_AGENT", "no agent answers connection '" + def.channel()
                        + "': add it to parley.agent.<id>.inbound of an embedded agent"));
            } else if (!"embedded".equals(agent.bot())) {
                out.add(new ChatbotProblem("channel", "CHANNEL_NOT_EMBEDDED", "connection '" + def.channel() + "' is answered by agent '"
                        + agent.id() + "' with bot '" + agent.bot() + "'; chatbot definitions run on embedded agents"));
            }
        }
        return out;
    }
}
