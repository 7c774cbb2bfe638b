package dev.parley.runtime.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, base * 2^(n-1))}, and never less than the provider's Retry-After.
 *
 * @param base        the first delay
 * @param max         the longest computed delay (a Retry-After may exceed it)
 * @param maxAttempts attempts allowed in total; the last failure is final
 */
public record Backoff(Duration base, Duration max, int maxAttempts) {

    /** True when {@code attemptsMade} attempts exhaust the budget. */
    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }

    /** The wait after the {@code attemptsMade}-th failed attempt. */
    public Duration delayAfter(int attemptsMade, Optional<Duration> retryAfter, DoubleSupplier random) {
        int exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        long jittered = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        long floor = retryAfter.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}
