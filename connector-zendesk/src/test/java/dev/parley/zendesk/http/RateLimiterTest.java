package dev.parley.zendesk.http;

import dev.parley.spi.RetryableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

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

    @Test
    void aFullWindowOrAPauseLongerThanTheWaitThrowsWithRetryAfter() {
        AtomicLong now = new AtomicLong(10_207_308_914_968L);
        RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(60), now::get);
        limiter.acquire(Duration.ZERO);
        RetryableException e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(60), e.retryAfter().orElseThrow());
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        limiter.pause(Duration.ofSeconds(30));
        e = assertThrows(RetryableException.class, () -> limiter.acquire(Duration.ofSeconds(1)));
        assertTrue(e.retryAfter().orElseThrow().toSeconds() >= 29);
    }
}
