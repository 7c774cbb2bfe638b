package dev.parley.runtime.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import org.junit.jupiter.api.Test;

class EventLimitsTest {

    @Test
    void realisticEventsPassAndOversizedKeysAreRefusedByName() {
        String longText = "x".repeat(150_000);
        assertDoesNotThrow(() -> EventLimits.check(new InboundEvent.MessageReceived("m-1", "+41790000001", "Parley",
                longText, null, null)), "texts are not limited here");
        RejectedEventException e = assertThrows(RejectedEventException.class, () -> EventLimits.check(
                new InboundEvent.MessageReceived("m-1", "9".repeat(5000), "Parley", "hi", null, null)));
        assertTrue(e.getMessage().contains("sender address has 5000 characters (at most 200)"), e.getMessage());
        assertFalse(e.getMessage().contains("99999"), "the value is not echoed");
        assertThrows(RejectedEventException.class, () -> EventLimits.check(
                new InboundEvent.MessageReceived("m".repeat(201), "+41790000001", "Parley", "hi", null, null)));
        assertThrows(RejectedEventException.class, () -> EventLimits.check(
                new InboundEvent.DeliveryReported("m".repeat(201), DeliveryStatus.DELIVERED, "DELIVERED", null, null)));
        assertThrows(RejectedEventException.class, () -> EventLimits.check(
                new InboundEvent.AgentReplied("c-1", "7".repeat(201), "hello", "Dana")));
        assertThrows(RejectedEventException.class, () -> EventLimits.check(
                new InboundEvent.AgentReplied("c".repeat(400), "7", "hello", "Dana")));
    }
}
