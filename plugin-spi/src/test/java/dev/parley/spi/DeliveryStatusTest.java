package dev.parley.spi;

import static dev.parley.spi.DeliveryStatus.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    @Test
    void movesForwardThroughTheNormalLifecycle() {
        assertTrue(QUEUED.canMoveTo(SENT));
        assertTrue(SENT.canMoveTo(DELIVERED));
        assertTrue(QUEUED.canMoveTo(DELIVERED), "a report may overtake the send's own response");
        assertTrue(DELIVERED.canMoveTo(SEEN));
    }

    @Test
    void neverMovesBack() {
        assertFalse(DELIVERED.canMoveTo(SENT), "a late pending report must not undo DELIVERED");
        assertFalse(SENT.canMoveTo(QUEUED));
        assertFalse(SENT.canMoveTo(SENT));
        assertFalse(SEEN.canMoveTo(DELIVERED));
    }

    @Test
    void finalStatesAreFinal() {
        assertFalse(DELIVERED.canMoveTo(FAILED));
        assertFalse(FAILED.canMoveTo(DELIVERED));
        assertFalse(UNDELIVERABLE.canMoveTo(EXPIRED));
        assertFalse(FAILED.canMoveTo(SEEN));
        assertTrue(SENT.canMoveTo(FAILED));
        assertTrue(QUEUED.canMoveTo(REJECTED));
    }
}
