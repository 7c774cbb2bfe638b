package dev.parley.infobip.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.infobip.FakeContext;
import dev.parley.spi.ConnectionStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-conversation state a connection keeps: newest event wins, only conversations a customer wrote in. */
class ConversationStateTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final ConversationsRequests.ReplyRoute ROUTE =
            new ConversationsRequests.ReplyRoute("WHATSAPP", "447860099299", "385911234567");

    private final ConnectionStore store = new FakeContext().store();

    private static ConversationState.Fact message(Instant at, String assignee) {
        return new ConversationState.Fact("c1", at, "OPEN", true, assignee, ROUTE);
    }

    private static ConversationState.Fact assignment(Instant at, String assignee) {
        return new ConversationState.Fact("c1", at, "OPEN", true, assignee, null);
    }

    @Test
    void aConversationNoCustomerWroteInIsNotKept() {
        ConversationState.apply(store, assignment(T0, "ai"));
        assertTrue(ConversationState.load(store, "c1").isEmpty());
        assertTrue(store.all().isEmpty());
    }

    @Test
    void anOlderEventDeliveredLateChangesNothing() {
        ConversationState.apply(store, message(T0, "ai"));
        ConversationState.apply(store, assignment(T0.plusSeconds(10), "agent-ana"));
        ConversationState.apply(store, assignment(T0.plusSeconds(5), "ai")); // late
        ConversationState s = ConversationState.load(store, "c1").orElseThrow();
        assertEquals("agent-ana", s.assigneeId());
        assertEquals(T0.plusSeconds(10), s.at());
        assertEquals(ROUTE, s.route());
    }

    @Test
    void aNewerMessageUpdatesTheRouteAndTheAssignee() {
        ConversationState.apply(store, message(T0, "agent-ana"));
        ConversationsRequests.ReplyRoute sms = new ConversationsRequests.ReplyRoute("SMS", "InfoSMS", "385911234567");
        ConversationState.apply(store, new ConversationState.Fact("c1", T0.plusSeconds(1), "OPEN", true, "ai", sms));
        ConversationState s = ConversationState.load(store, "c1").orElseThrow();
        assertEquals("ai", s.assigneeId());
        assertEquals(sms, s.route());
    }

    @Test
    void aReleaseLastsUntilSomeoneIsAssigned() {
        ConversationState.apply(store, message(T0, "ai"));
        ConversationState.released(store, "c1", T0.plusSeconds(1));
        ConversationState s = ConversationState.load(store, "c1").orElseThrow();
        assertNull(s.assigneeId());
        assertNotNull(s.releasedAt());
        ConversationState.apply(store, assignment(T0.plusSeconds(2), null)); // Infobip's event of the unassign
        assertNotNull(ConversationState.load(store, "c1").orElseThrow().releasedAt());
        ConversationState.apply(store, assignment(T0.plusSeconds(3), "agent-ana"));
        assertNull(ConversationState.load(store, "c1").orElseThrow().releasedAt());
    }

    @Test
    void closedIsRememberedAndForgettingRemovesTheEntry() {
        ConversationState.apply(store, message(T0, "ai"));
        ConversationState.update(store, "c1", "CLOSED", false, null, T0.plusSeconds(1));
        assertTrue(ConversationState.load(store, "c1").orElseThrow().closed());
        ConversationState.forget(store, "c1");
        assertTrue(ConversationState.load(store, "c1").isEmpty());
    }

    @Test
    void aDamagedStoredValueReadsAsUnknownNotAsAnError() {
        store.put("conv:c1", "{\"status\":\"OPEN\",\"at\":\"yesterday\",\"channel\":\"WHATSAPP\",\"customer\":\"385\"}");
        ConversationState s = ConversationState.load(store, "c1").orElseThrow();
        assertNull(s.at());
        assertEquals("385", s.route().customer());
    }
}
