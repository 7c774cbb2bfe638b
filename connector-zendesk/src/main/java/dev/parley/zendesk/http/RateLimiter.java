package dev.parley.zendesk.http;

import dev.parley.spi.RateLimits;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.LocalRateLimits;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Never more than {@code permits} requests in any rolling {@code window} to one Zendesk account, plus a pause every
 * caller honours after a 429 with Retry-After. The budget is the runtime's {@link RateLimits} (lent by
 * {@code ConnectionContext.rateLimits()}): one bucket per account ({@link #bucket}), shared by every connection on
 * that account and by every Parley instance on the database, so N instances still send at most the configured
 * rate between them, and a 429 one instance receives pauses them all. One instance per connection: webhooks,
 * outbox calls, syncs and assist share it.
 */
public final class RateLimiter {

    private final RateLimits limits;
    private final String bucket;
    private final int permits;
    private final Duration window;
    private final Clock clock;

    /**
     * @param limits  the shared budgets ({@code ctx.rateLimits()}, taken once)
     * @param bucket  the account's bucket ({@link #bucket(String)})
     * @param clock   the clock {@code limits} reads (a pause is an instant on it)
     */
    public RateLimiter(RateLimits limits, String bucket, int permits, Duration window, Clock clock) {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
        this.limits = limits;
        this.bucket = bucket;
        this.permits = permits;
        this.window = window;
        this.clock = clock;
    }

    /** A limiter of this JVM alone (tests, tools): its own {@link LocalRateLimits} on the system clock. */
    public RateLimiter(int permits, Duration window) {
        this(new LocalRateLimits(Clock.systemUTC()), "zendesk:local", permits, window, Clock.systemUTC());
    }

    /** The bucket of a Zendesk account: {@code zendesk:<subdomain>}, whatever connection calls it. */
    public static String bucket(String subdomain) {
        return "zendesk:" + subdomain.toLowerCase(Locale.ROOT);
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Waits for a slot and takes it.
     *
     * @param maxWait the longest this caller may wait; a longer wait throws instead, so a queue worker is
     *                rescheduled rather than held
     * @throws RetryableException when the wait would exceed {@code maxWait}, with the wait as Retry-After
     */
    public void acquire(Duration maxWait) {
        // Real elapsed time bounds the in-line wait, whatever the clock the budget is kept on reads.
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Duration wait = limits.tryTake(bucket, permits, window);
            if (wait.isZero() || wait.isNegative()) {
                return;
            }
            if (System.nanoTime() + wait.toNanos() - deadline > 0) {
                throw new RetryableException("Zendesk rate limit: no request slot for " + wait.toSeconds() + " s",
                        wait, null);
            }
            sleep(wait);
        }
    }

    /** Every caller, on every instance, waits until {@code delay} from now (a 429's Retry-After). */
    public void pause(Duration delay) {
        limits.pauseUntil(bucket, clock.instant().plus(delay));
    }

    private static void sleep(Duration d) {
        long nanos = d.toNanos();
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while waiting for a Zendesk rate-limit slot");
        }
    }
}
