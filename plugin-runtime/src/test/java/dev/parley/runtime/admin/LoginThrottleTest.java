package dev.parley.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void plus(Duration d) { now = now.plus(d); }
    }

    @Test
    void refusesAfterMaxFailuresWithinTheWindowAndOnlyThatAddress() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(3, Duration.ofSeconds(60), clock);
        assertFalse(t.failed("a"));
        clock.plus(Duration.ofSeconds(10));
        assertFalse(t.failed("a"));
        assertEquals(Optional.empty(), t.refusedFor("a"));
        clock.plus(Duration.ofSeconds(10));
        assertTrue(t.failed("a"), "the third failure starts the burst (logged once)");
        assertEquals(Optional.of(Duration.ofSeconds(40)), t.refusedFor("a"), "until the first failure leaves the window");
        assertEquals(Optional.empty(), t.refusedFor("b"));
        clock.plus(Duration.ofSeconds(41));
        assertEquals(Optional.empty(), t.refusedFor("a"), "one guess is free again");
        assertTrue(t.failed("a"), "and a failure now refuses again");
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(3, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 10; i++) {
            assertFalse(t.failed("a"));
            clock.plus(Duration.ofSeconds(31));
        }
        assertEquals(Optional.empty(), t.refusedFor("a"));
    }

    @Test
    void successClearsTheCount() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(2, Duration.ofSeconds(60), clock);
        t.failed("a");
        t.succeeded("a");
        assertFalse(t.failed("a"));
        assertEquals(Optional.empty(), t.refusedFor("a"));
    }

    @Test
    void aSprayOfAddressesStaysBounded() throws Exception {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(2, Duration.ofSeconds(600), clock);
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 500; i++) {
            t.failed("10.0." + i);
        }
        java.lang.reflect.Field f = LoginThrottle.class.getDeclaredField("failures");
        f.setAccessible(true);
        assertEquals(LoginThrottle.MAX_ADDRESSES, ((java.util.Map<?, ?>) f.get(t)).size());
        t.failed("last");
        assertTrue(t.failed("last"), "the newest address is kept and counted");
    }
}
