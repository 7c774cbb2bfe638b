package dev.parley.runtime.agent;

import dev.parley.runtime.connection.ConfigScanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The configured agents and which connection's inbound traffic each one answers. Only one agent may
 * take a connection's inbound traffic: a second one is a start-up error naming both.
 */
public final class AgentRegistry {

    static final String DEFAULT_FALLBACK = "Sorry, I did not understand that. Could you rephrase?";
    static final String DEFAULT_CLOSE_COMMAND = "#close";
    static final List<String> DEFAULT_HUMAN_PHRASES = List.of("human", "agent", "operator", "representative",
            "talk to a human", "speak to a human", "talk to a person", "speak to a person", "real person",
            "talk to someone", "speak to someone");
    public static final Set<String> BOTS = Set.of("embedded", "llm", "botpress", "rasa");
    private static final Set<String> TOPIC_ACTIONS = Set.of("answer", "escalate");

    private final Map<String, AgentDefinition> agents;
    private final Map<String, String> inboundAgentByConnection;
    private final Map<String, String> assistAgentByConnection;

    public AgentRegistry(Collection<AgentDefinition> definitions) {
        Map<String, AgentDefinition> byId = new TreeMap<>();
        Map<String, String> byConnection = new TreeMap<>();
        Map<String, String> assistByConnection = new TreeMap<>();
        for (AgentDefinition a : definitions) {
            if (!BOTS.contains(a.bot())) {
                throw new IllegalStateException("agent '" + a.id() + "': bot '" + a.bot() + "' is not available; set "
                        + "parley.agent." + a.id() + ".bot to one of " + new java.util.TreeSet<>(BOTS));
            }
            a.topics().forEach((topic, action) -> {
                if (!TOPIC_ACTIONS.contains(action)) {
                    throw new IllegalStateException("agent '" + a.id() + "': parley.agent." + a.id() + ".topic." + topic
                            + "=" + action + " is not valid; use answer or escalate");
                }
            });
            byId.put(a.id(), a);
            for (String connection : a.inbound()) {
                String other = byConnection.putIfAbsent(connection, a.id());
                if (other != null) {
                    throw new IllegalStateException("connection '" + connection + "' has two inbound agents: '"
                            + other + "' and '" + a.id() + "'; only one agent may answer a connection's inbound "
                            + "traffic: remove it from parley.agent." + other + ".inbound or parley.agent."
                            + a.id() + ".inbound");
                }
            }
            for (String desk : a.assist()) {
                String other = assistByConnection.putIfAbsent(desk, a.id());
                if (other != null) {
                    throw new IllegalStateException("desk connection '" + desk + "' has two assist agents: '" + other
                            + "' and '" + a.id() + "'; only one agent may suggest answers on a desk: remove it from "
                            + "parley.agent." + other + ".assist or parley.agent." + a.id() + ".assist");
                }
            }
        }
        this.agents = Map.copyOf(byId);
        this.inboundAgentByConnection = Map.copyOf(byConnection);
        this.assistAgentByConnection = Map.copyOf(assistByConnection);
    }

    static AgentDefinition.Texts defaultTexts() {
        return new AgentDefinition.Texts(
                "Sorry, something went wrong on our side.",
                "Thanks for your patience: a member of our team will reply here shortly.",
                "Sorry, nobody from our team can take over right now. Please try again later.",
                "Our team is away right now and back {when}. We have passed your message on and will reply then.",
                "Thanks, this conversation is closed. Write again any time.");
    }

    public static AgentRegistry fromConfig(Config config) {
        Set<String> ids = ConfigScanner.ids(config, "agent", "inbound");
        ids.addAll(ConfigScanner.ids(config, "agent", "bot"));
        ids.addAll(ConfigScanner.ids(config, "agent", "assist"));
        List<AgentDefinition> out = new ArrayList<>();
        for (String id : ids) {
            String prefix = "parley.agent." + id + ".";
            AgentDefinition.Texts d = defaultTexts();
            out.add(new AgentDefinition(id,
                    value(config, prefix + "bot", "embedded").toLowerCase(Locale.ROOT),
                    list(config, prefix + "inbound"),
                    config.getOptionalValue(prefix + "handoff", String.class).map(String::trim).orElse(null),
                    config.getOptionalValue(prefix + "greeting", String.class).orElse(null),
                    value(config, prefix + "fallback", DEFAULT_FALLBACK),
                    prefixed(config, prefix + "keyword."),
                    config.getOptionalValue(prefix + "definition", String.class).map(String::trim).orElse(null),
                    config.getOptionalValue(prefix + "activate", Boolean.class).orElse(false),
                    new AgentDefinition.Texts(
                            value(config, prefix + "text.apology", d.apology()),
                            value(config, prefix + "text.handoff-confirmed", d.handoffConfirmed()),
                            value(config, prefix + "text.handoff-failed", d.handoffFailed()),
                            value(config, prefix + "text.office-closed", d.officeClosed()),
                            value(config, prefix + "text.closed", d.closed())),
                    config.getOptionalValue(prefix + "office-hours", String.class).orElse(null),
                    value(config, prefix + "office-hours.zone", "UTC"),
                    config.getOptionalValue(prefix + "test-number", String.class).map(String::trim).orElse(null),
                    prefixed(config, prefix + "topic."),
                    value(config, prefix + "close-command", DEFAULT_CLOSE_COMMAND),
                    config.getOptionalValue(prefix + "human-phrases", String.class)
                            .map(v -> list(v).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())
                            .orElse(DEFAULT_HUMAN_PHRASES),
                    list(config, prefix + "assist")));
        }
        return new AgentRegistry(out);
    }

    private static String value(Config config, String name, String fallback) {
        return config.getOptionalValue(name, String.class).map(String::trim).orElse(fallback);
    }

    private static List<String> list(Config config, String name) {
        return config.getOptionalValue(name, String.class).map(AgentRegistry::list).orElse(List.of());
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Properties under {@code prefix}, keyed by the rest of the name in lower case, values trimmed. */
    private static Map<String, String> prefixed(Config config, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                out.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), config.getValue(name, String.class).trim());
            }
        }
        return out;
    }

    /** The agent answering inbound traffic of a connection, if any. */
    public Optional<AgentDefinition> inboundAgent(String connectionId) {
        return Optional.ofNullable(inboundAgentByConnection.get(connectionId)).map(agents::get);
    }

    /** The agent that suggests answers on a desk connection's tickets (assist mode), if any. */
    public Optional<AgentDefinition> assistAgent(String connectionId) {
        return Optional.ofNullable(assistAgentByConnection.get(connectionId)).map(agents::get);
    }

    public Optional<AgentDefinition> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    public Collection<AgentDefinition> all() {
        return agents.values();
    }
}
