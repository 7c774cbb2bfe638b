package dev.parley.runtime.bot;

import java.util.List;
import java.util.Map;

/**
 * An agent as configured under {@code parley.agent.<id>.*}.
 *
 * @param id       the agent id
 * @param bot      which bot answers ({@code embedded} for now)
 * @param inbound  connections whose inbound traffic this agent answers
 * @param handoff  the desk connection that receives handoffs; may be null
 * @param greeting sent before the first answer of a session; may be null
 * @param fallback sent when no keyword matches
 * @param keywords keyword (lower case) to canned answer, in configuration order
 */
public record AgentDefinition(String id, String bot, List<String> inbound, String handoff,
                              String greeting, String fallback, Map<String, String> keywords) {
}
