package dev.parley.runtime.agent;

import java.util.List;
import java.util.Map;

/**
 * An agent as configured under {@code parley.agent.<id>.*}: which bot answers which connections, and
 * where and how it hands off to humans. The external bots read their own settings
 * ({@code llm.*}, {@code botpress.*}, {@code rasa.*}) when the registry builds them.
 *
 * @param id             the agent id
 * @param bot            {@code embedded}, {@code llm}, {@code botpress} or {@code rasa}
 * @param inbound        connections whose inbound traffic this agent answers
 * @param handoff        the desk connection that receives handoffs, {@link #CONSOLE} for Parley's own
 *                       admin API, or null when this agent cannot hand off
 * @param greeting       embedded bot without an active chatbot: sent before the first answer; may be null
 * @param fallback       embedded bot without an active chatbot: sent when no keyword matches
 * @param keywords       embedded bot without an active chatbot: keyword (lower case) to canned answer
 * @param definitionFile a chatbot definition (YAML or JSON) imported at start-up as chatbot {@code id}; may be null
 * @param activate       activate the imported definition at start-up when it validates
 * @param texts          what Parley itself says to customers around a handoff
 * @param officeHours    office-hours spec ({@code Mon-Fri 09:00-17:00}); null for always open
 * @param officeZone     the office hours' time zone
 * @param testNumber     on a sandbox connection, the only number the bot answers; null for everyone
 * @param topics         autopilot topics: topic or intent name (lower case) to {@code answer} or {@code escalate}
 * @param closeCommand   what a customer sends to end a handoff (compared ignoring case and spaces)
 * @param humanPhrases   what a customer writes to ask for a human, whatever the bot (lower case)
 * @param assist         desk connections on whose tickets (not opened by Parley) this agent suggests answers as
 *                       internal notes ({@code parley.agent.<id>.assist=desk})
 */
public record AgentDefinition(String id, String bot, List<String> inbound, String handoff,
                              String greeting, String fallback, Map<String, String> keywords,
                              String definitionFile, boolean activate, Texts texts,
                              String officeHours, String officeZone, String testNumber,
                              Map<String, String> topics, String closeCommand, List<String> humanPhrases,
                              List<String> assist) {

    public AgentDefinition {
        assist = assist == null ? List.of() : List.copyOf(assist);
    }

    /** An agent that assists on no desk. */
    public AgentDefinition(String id, String bot, List<String> inbound, String handoff,
                           String greeting, String fallback, Map<String, String> keywords,
                           String definitionFile, boolean activate, Texts texts,
                           String officeHours, String officeZone, String testNumber,
                           Map<String, String> topics, String closeCommand, List<String> humanPhrases) {
        this(id, bot, inbound, handoff, greeting, fallback, keywords, definitionFile, activate, texts, officeHours,
                officeZone, testNumber, topics, closeCommand, humanPhrases, List.of());
    }

    /** {@code parley.agent.<id>.handoff=console}: humans answer through Parley's admin API. */
    public static final String CONSOLE = "console";

    /**
     * @param apology          sent when the bot fails
     * @param handoffConfirmed sent once the desk has the ticket (or at once for the console desk)
     * @param handoffFailed    sent when no human can take over (no desk, or the desk refused)
     * @param officeClosed     sent instead of {@code handoffConfirmed} outside office hours; {@code {when}}
     *                         is replaced by when people are back
     * @param closed           sent after the customer's close command
     */
    public record Texts(String apology, String handoffConfirmed, String handoffFailed, String officeClosed,
                        String closed) {
    }

    public boolean canHandOff() {
        return handoff != null && !handoff.isBlank();
    }

    /** Shortcut for tests and simple setups: an embedded agent with defaults. */
    public static AgentDefinition embedded(String id, List<String> inbound, String greeting, String fallback,
                                           Map<String, String> keywords) {
        return new AgentDefinition(id, "embedded", inbound, null, greeting, fallback, keywords, null, false,
                AgentRegistry.defaultTexts(), null, null, null, Map.of(), AgentRegistry.DEFAULT_CLOSE_COMMAND,
                AgentRegistry.DEFAULT_HUMAN_PHRASES);
    }
}
