package dev.parley.zendesk.http;

import dev.parley.spi.RetryableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

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
            assertTrue(at.get(i) - at.get(i - 5) >= Duration.ofMillis(400).toNanos(),
                    "request " + i + " came within the window of request " + (i - 5));
        }
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(800).toNanos(), "12 requests at 5 per 400 ms take two windows");
    }

    @Test
    void aWaitLongerThanTheCallerMayWaitIsARetryableFailureWithTheWait() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(60), now::get);
        limiter.acquire(Duration.ZERO);
        RetryableException e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(60), e.retryAfter().orElseThrow());
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        limiter.acquire(Duration.ZERO); // the window has passed: a slot without waiting
    }

    @Test
    void aRetryAfterPausesEveryCaller() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(100, Duration.ofSeconds(60), now::get);
        limiter.pause(Duration.ofSeconds(30));
        RetryableException e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        limiter.acquire(Duration.ZERO);
        assertEquals(1, limiter.inWindow());
    }

    @Test
    void aLimiterNeverPausedDoesNotWaitWhateverTheClockReads() {
        // System.nanoTime() is often a large positive number; "never paused" must not overflow into a wait.
        for (long start : new long[]{10_207_308_914_968L, 0L, -5_000_000_000L, Long.MAX_VALUE / 2}) {
            RateLimiter limiter = new RateLimiter(2, Duration.ofMinutes(1), () -> start);
            limiter.acquire(Duration.ZERO);
            limiter.acquire(Duration.ZERO);
            assertEquals(2, limiter.inWindow());
        }
    }
}
