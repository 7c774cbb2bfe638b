package dev.parley.spi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.ConnectionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two instances sharing one store: one takes the claim, the other waits until it is released or stale. */
class SetupClaimTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private final Map<String, String> values = new HashMap<>();
    private final ConnectionStore store = new ConnectionStore() {
        @Override public Optional<String> get(String key) { return Optional.ofNullable(values.get(key)); }
        @Override public void put(String key, String value) { values.put(key, value); }
        @Override public void remove(String key) { values.remove(key); }
        @Override public Map<String, String> all() { return Map.copyOf(values); }
        @Override public void putSecret(String key, String value) { throw new UnsupportedOperationException(); }
        @Override public Optional<String> secret(String key) { return Optional.empty(); }
    };

    private SetupClaim at(Instant now) {
        return new SetupClaim(store, Clock.fixed(now, ZoneOffset.UTC), "setup-claim", Duration.ofSeconds(60));
    }

    @Test
    void theFirstTakesItTheSecondWaitsUntilItIsReleased() {
        assertTrue(at(T0).take("creating"));
        assertEquals("creating@2026-11-30T10:00:00Z", values.get("setup-claim"));
        SetupClaim other = at(T0.plusSeconds(10));
        assertFalse(other.take("creating"));
        assertEquals(Optional.of(Duration.ofSeconds(50)), other.heldFor());
        at(T0).release();
        assertTrue(other.heldFor().isEmpty());
        assertTrue(other.take("creating"));
    }

    @Test
    void aStaleClaimIsTakenOverAndAMarkedOneStandsItsMinute() {
        at(T0).take("creating");
        assertTrue(at(T0.plusSeconds(60)).take("creating"), "60 s old: its instance died");
        at(T0.plusSeconds(60)).mark("created");
        assertEquals("created@2026-11-30T10:01:00Z", values.get("setup-claim"));
        assertFalse(at(T0.plusSeconds(90)).take("creating"), "done 30 s ago: stands");
        assertTrue(at(T0.plusSeconds(121)).take("creating"));
    }

    @Test
    void anUnreadableClaimCountsAsStale() {
        values.put("setup-claim", "garbage");
        assertTrue(at(T0).heldFor().isEmpty());
        assertTrue(at(T0).take("creating"));
    }
}
