package dev.parley.spi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.ConnectionStore;
import java.time.Duration;
import java.time.Instant;
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

    /** One instance's view of the claim, at a fixed time; {@code clock} moves it. */
    private final Instant[] clock = {T0};

    private SetupClaim instance() {
        return new SetupClaim(store, () -> clock[0], "setup-claim", Duration.ofSeconds(60));
    }

    @Test
    void theFirstTakesItTheSecondIsToldWhenToLookAgainAndTakesItOnceReleased() {
        SetupClaim a = instance();
        SetupClaim b = instance();
        assertTrue(a.take("creating"));
        assertEquals("creating@2026-11-30T10:00:00Z", values.get("setup-claim"));
        assertTrue(a.blockedFor().isEmpty(), "a holds it");
        clock[0] = T0.plusSeconds(10);
        assertFalse(b.take("creating"));
        assertEquals(Optional.of(Duration.ofSeconds(50)), b.blockedFor());
        a.release();
        assertTrue(values.isEmpty(), "released");
        assertTrue(b.take("creating"));
        assertTrue(b.blockedFor().isEmpty());
    }

    @Test
    void aStaleClaimIsTakenOverAndItsFormerHolderGivesUpNothingThatIsNotItsOwn() {
        SetupClaim a = instance();
        SetupClaim b = instance();
        a.take("creating");
        clock[0] = T0.plusSeconds(60);
        assertTrue(b.take("creating"), "60 s old: its instance died, or is slow");
        a.release(); // the slow one finishes: the claim is b's now and stays
        a.mark("created");
        assertEquals("creating@2026-11-30T10:01:00Z", values.get("setup-claim"));
        b.mark("created");
        assertEquals("created@2026-11-30T10:01:00Z", values.get("setup-claim"));
        clock[0] = T0.plusSeconds(90);
        assertFalse(a.take("creating"), "marked done 30 s ago: stands");
        clock[0] = T0.plusSeconds(121);
        assertEquals(Optional.of(Duration.ZERO), a.blockedFor(), "what refused it is stale by now");
        assertTrue(a.take("creating"));
    }

    @Test
    void anUnreadableClaimCountsAsStale() {
        values.put("setup-claim", "garbage");
        SetupClaim a = instance();
        assertTrue(a.take("creating"));
        assertTrue(a.blockedFor().isEmpty());
    }
}
