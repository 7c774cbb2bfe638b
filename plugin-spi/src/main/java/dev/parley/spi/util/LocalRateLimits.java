package dev.parley.spi.util;

import dev.parley.spi.RateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link RateLimits} for one JVM: a sliding log of the calls taken per bucket (exact for any rolling window). What a
 * host without a shared database lends, and what connector tests use. Thread-safe.
 */
public final class LocalRateLimits implements RateLimits {

    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> taken = new HashMap<>();
    private final Map<String, Instant> paused = new HashMap<>();

    public LocalRateLimits(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Duration tryTake(String bucket, int limit, Duration window) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        Instant now = clock.instant();
        Instant pause = paused.get(bucket);
        if (pause != null && pause.isAfter(now)) return Duration.between(now, pause);
        ArrayDeque<Instant> log = taken.computeIfAbsent(bucket, k -> new ArrayDeque<>());
        while (!log.isEmpty() && !log.peekFirst().isAfter(now.minus(window))) log.pollFirst();
        if (log.size() < limit) {
            log.addLast(now);
            return Duration.ZERO;
        }
        Duration wait = Duration.between(now, log.peekFirst().plus(window));
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    @Override
    public synchronized void pauseUntil(String bucket, Instant until) {
        paused.merge(bucket, until, (a, b) -> a.isAfter(b) ? a : b);
    }
}
