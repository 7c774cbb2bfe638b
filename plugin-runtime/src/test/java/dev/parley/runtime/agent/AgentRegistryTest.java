package dev.parley.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRegistryTest {

    private static AgentDefinition agent(String id, String bot, String... inbound) {
        AgentDefinition a = AgentDefinition.embedded(id, List.of(inbound), null, "fallback", Map.of());
        return new AgentDefinition(a.id(), bot, a.inbound(), a.handoff(), a.greeting(), a.fallback(), a.keywords(),
                a.definitionFile(), a.activate(), a.texts(), a.officeHours(), a.officeZone(), a.testNumber(),
                a.topics(), a.closeCommand(), a.humanPhrases());
    }

    @Test
    void mapsEachConnectionToItsInboundAgent() {
        AgentRegistry r = new AgentRegistry(List.of(agent("sales", "embedded", "sms", "wa"), agent("support", "embedded", "sms2")));
        assertEquals("sales", r.inboundAgent("wa").orElseThrow().id());
        assertEquals("support", r.inboundAgent("sms2").orElseThrow().id());
        assertTrue(r.inboundAgent("outbound-only").isEmpty());
    }

    @Test
    void aSecondInboundAgentOnOneConnectionIsAnErrorNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                new AgentRegistry(List.of(agent("sales", "embedded", "sms"), agent("support", "embedded", "sms"))));
        assertTrue(e.getMessage().contains("'sales'") && e.getMessage().contains("'support'")
                && e.getMessage().contains("'sms'"), e.getMessage());
    }

    @Test
    void anUnknownBotKindIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                new AgentRegistry(List.of(agent("a", "telepathy", "sms"))));
        assertTrue(e.getMessage().contains("telepathy"), e.getMessage());
    }

    @Test
    void anUnknownTopicActionIsRefusedNamingTheProperty() {
        AgentDefinition a = agent("a", "embedded", "sms");
        AgentDefinition withTopic = new AgentDefinition(a.id(), a.bot(), a.inbound(), a.handoff(), a.greeting(),
                a.fallback(), a.keywords(), null, false, a.texts(), null, null, null, Map.of("billing", "escalte"),
                a.closeCommand(), a.humanPhrases());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new AgentRegistry(List.of(withTopic)));
        assertTrue(e.getMessage().contains("parley.agent.a.topic.billing=escalte"), e.getMessage());
    }
}
