package dev.parley.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5);

    @Test
    void doublesPerAttemptWithinTheJitterBand() {
        assertEquals(Duration.ofMillis(1000), backoff.delayAfter(1, Optional.empty(), () -> 1.0));
        assertEquals(Duration.ofMillis(500), backoff.delayAfter(1, Optional.empty(), () -> 0.0));
        assertEquals(Duration.ofMillis(4000), backoff.delayAfter(3, Optional.empty(), () -> 1.0));
        assertEquals(Duration.ofMillis(2000), backoff.delayAfter(3, Optional.empty(), () -> 0.0));
    }

    @Test
    void isCappedAtTheMaximum() {
        assertEquals(Duration.ofSeconds(30), backoff.delayAfter(20, Optional.empty(), () -> 1.0));
        assertEquals(Duration.ofSeconds(30), backoff.delayAfter(200, Optional.empty(), () -> 1.0), "no overflow");
    }

    @Test
    void honoursRetryAfterEvenBeyondTheCap() {
        assertEquals(Duration.ofSeconds(7), backoff.delayAfter(1, Optional.of(Duration.ofSeconds(7)), () -> 1.0));
        assertEquals(Duration.ofSeconds(90), backoff.delayAfter(1, Optional.of(Duration.ofSeconds(90)), () -> 1.0));
        assertEquals(Duration.ofMillis(4000), backoff.delayAfter(3, Optional.of(Duration.ofMillis(100)), () -> 1.0),
                "a short Retry-After does not shorten the backoff");
    }

    @Test
    void theBudgetCountsAttemptsMade() {
        assertFalse(backoff.exhausted(4));
        assertTrue(backoff.exhausted(5));
    }
}
