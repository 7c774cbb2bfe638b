package dev.parley.zendesk.http;

import dev.parley.spi.RetryableException;
import dev.parley.spi.util.LocalRateLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    static RateLimiter on(LocalRateLimits limits, String subdomain, int permits, Duration window, Clock clock) {
        return new RateLimiter(limits, RateLimiter.bucket(subdomain), permits, window, clock);
    }

    @Test
    void neverMoreThanThePermitsInAnyWindow() {
        RateLimiter limiter = new RateLimiter(5, Duration.ofMillis(400));
        List<Long> at = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            limiter.acquire(Duration.ofSeconds(5));
            at.add(System.nanoTime());
        }
        for (int i = 5; i < at.size(); i++) {
            assertTrue(at.get(i) - at.get(i - 5) >= Duration.ofMillis(399).toNanos(),
                    "request " + i + " came within the window of request " + (i - 5));
        }
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(790).toNanos(), "12 requests at 5 per 400 ms take two windows");
    }

    @Test
    void aWaitLongerThanTheCallerMayWaitIsARetryableFailureWithTheWait() {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
        RateLimiter limiter = on(new LocalRateLimits(clock), "acme", 1, Duration.ofSeconds(60), clock);
        limiter.acquire(Duration.ZERO);
        RetryableException e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(60), e.retryAfter().orElseThrow());
        clock.advance(Duration.ofSeconds(60));
        limiter.acquire(Duration.ZERO); // the window has passed: a slot without waiting
    }

    @Test
    void aRetryAfterPausesEveryCallerAndTheRefusedOnesTookNothing() {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
        RateLimiter limiter = on(new LocalRateLimits(clock), "acme", 2, Duration.ofSeconds(60), clock);
        limiter.pause(Duration.ofSeconds(30));
        RetryableException e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
        clock.advance(Duration.ofSeconds(30));
        limiter.acquire(Duration.ZERO);
        limiter.acquire(Duration.ZERO);
        RetryableException full = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), full.retryAfter().orElseThrow(), "two taken after the pause, none during it");
    }

    @Test
    void aLimiterNeverPausedDoesNotWaitWhateverTheClockReads() {
        for (Instant start : new Instant[] {Instant.EPOCH, Instant.parse("1901-01-01T00:00:00Z"),
                Instant.parse("2026-12-01T12:00:00Z"), Instant.parse("9999-01-01T00:00:00Z")}) {
            TestClock clock = new TestClock(start);
            RateLimiter limiter = on(new LocalRateLimits(clock), "acme", 2, Duration.ofMinutes(1), clock);
            limiter.acquire(Duration.ZERO);
            limiter.acquire(Duration.ZERO);
            assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ZERO), "two permits at " + start);
        }
    }

    @Test
    void connectionsOnOneAccountShareItsBudgetAndItsPausesOtherAccountsDoNot() {
        // Two connections (or two instances) on acme lent the same RateLimits, as the runtime lends its shared one.
        TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
        LocalRateLimits shared = new LocalRateLimits(clock);
        RateLimiter one = on(shared, "acme", 2, Duration.ofSeconds(60), clock);
        RateLimiter two = on(shared, "Acme", 2, Duration.ofSeconds(60), clock);
        RateLimiter other = on(shared, "globex", 2, Duration.ofSeconds(60), clock);
        assertEquals("zendesk:acme", two.bucket());
        one.acquire(Duration.ZERO);
        two.acquire(Duration.ZERO);
        assertThrows(RetryableException.class, () -> one.acquire(Duration.ZERO), "acme's two requests are spent");
        other.acquire(Duration.ZERO);
        clock.advance(Duration.ofSeconds(60));
        one.pause(Duration.ofSeconds(20));
        RetryableException paused = assertThrows(RetryableException.class, () -> two.acquire(Duration.ZERO));
        assertEquals(Duration.ofSeconds(20), paused.retryAfter().orElseThrow(), "one's 429 pauses two");
        other.acquire(Duration.ZERO);
    }
}
