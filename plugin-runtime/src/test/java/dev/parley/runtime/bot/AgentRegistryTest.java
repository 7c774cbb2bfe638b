package dev.parley.runtime.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRegistryTest {

    private static AgentDefinition agent(String id, String bot, String... inbound) {
        return new AgentDefinition(id, bot, List.of(inbound), null, null, "fallback", Map.of());
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
}
