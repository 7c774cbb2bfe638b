package dev.parley.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssistAgentsTest {

    private static AgentDefinition assisting(String id, String... desks) {
        AgentDefinition a = AgentDefinition.embedded(id, List.of(), null, "fallback", Map.of());
        return new AgentDefinition(a.id(), a.bot(), a.inbound(), a.handoff(), a.greeting(), a.fallback(), a.keywords(),
                a.definitionFile(), a.activate(), a.texts(), a.officeHours(), a.officeZone(), a.testNumber(),
                a.topics(), a.closeCommand(), a.humanPhrases(), List.of(desks));
    }

    @Test
    void findsTheAgentThatAssistsOnADesk() {
        AgentRegistry r = new AgentRegistry(List.of(assisting("helper", "desk"), assisting("other")));
        assertEquals("helper", r.assistAgent("desk").orElseThrow().id());
        assertTrue(r.assistAgent("sms").isEmpty());
        assertTrue(AgentDefinition.embedded("x", List.of(), null, "f", Map.of()).assist().isEmpty());
    }

    @Test
    void twoAssistAgentsOnOneDeskIsAnErrorNamingBothProperties() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AgentRegistry(List.of(assisting("a", "desk"), assisting("b", "desk"))));
        assertTrue(e.getMessage().contains("parley.agent.a.assist") && e.getMessage().contains("parley.agent.b.assist"),
                e.getMessage());
    }
}
