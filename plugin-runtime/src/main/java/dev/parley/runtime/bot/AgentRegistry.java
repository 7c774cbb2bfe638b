package dev.parley.runtime.bot;

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
    private static final Set<String> BOTS = Set.of("embedded");

    private final Map<String, AgentDefinition> agents;
    private final Map<String, String> inboundAgentByConnection;

    public AgentRegistry(Collection<AgentDefinition> definitions) {
        Map<String, AgentDefinition> byId = new TreeMap<>();
        Map<String, String> byConnection = new TreeMap<>();
        for (AgentDefinition a : definitions) {
            if (!BOTS.contains(a.bot())) {
                throw new IllegalStateException("agent '" + a.id() + "': bot '" + a.bot()
                        + "' is not available; use parley.agent." + a.id() + ".bot=embedded");
            }
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
        }
        this.agents = Map.copyOf(byId);
        this.inboundAgentByConnection = Map.copyOf(byConnection);
    }

    public static AgentRegistry fromConfig(Config config) {
        Set<String> ids = ConfigScanner.ids(config, "agent", "inbound");
        ids.addAll(ConfigScanner.ids(config, "agent", "bot"));
        List<AgentDefinition> out = new ArrayList<>();
        for (String id : ids) {
            String prefix = "parley.agent." + id + ".";
            List<String> inbound = config.getOptionalValue(prefix + "inbound", String.class)
                    .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
            Map<String, String> keywords = new LinkedHashMap<>();
            String keywordPrefix = prefix + "keyword.";
            for (String name : config.getPropertyNames()) {
                if (name.startsWith(keywordPrefix) && name.length() > keywordPrefix.length()) {
                    keywords.put(name.substring(keywordPrefix.length()).toLowerCase(Locale.ROOT),
                            config.getValue(name, String.class));
                }
            }
            out.add(new AgentDefinition(id,
                    config.getOptionalValue(prefix + "bot", String.class).orElse("embedded").trim(),
                    inbound,
                    config.getOptionalValue(prefix + "handoff", String.class).orElse(null),
                    config.getOptionalValue(prefix + "greeting", String.class).orElse(null),
                    config.getOptionalValue(prefix + "fallback", String.class).orElse(DEFAULT_FALLBACK),
                    keywords));
        }
        return new AgentRegistry(out);
    }

    /** The agent answering inbound traffic of a connection, if any. */
    public Optional<AgentDefinition> inboundAgent(String connectionId) {
        return Optional.ofNullable(inboundAgentByConnection.get(connectionId)).map(agents::get);
    }

    public Optional<AgentDefinition> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    public Collection<AgentDefinition> all() {
        return agents.values();
    }
}
