package dev.parley.zendesk.http;

import dev.parley.spi.RetryableException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Never more than {@code permits} requests in any {@code window} (a sliding log, exact where a token
 * bucket would allow up to twice the rate across a window edge), plus a pause every caller honours after
 * a 429 with Retry-After. One instance per connection: webhooks, outbox calls, syncs and assist share it.
 */
public final class RateLimiter {

    private final int permits;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private long pausedUntil = Long.MIN_VALUE;

    public RateLimiter(int permits, Duration window) {
        this(permits, window, System::nanoTime);
    }

    RateLimiter(int permits, Duration window, LongSupplier nanoTime) {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
        this.permits = permits;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Waits for a slot and takes it.
     *
     * @param maxWait the longest this caller may wait; a longer wait throws instead, so a queue worker is
     *                rescheduled rather than held
     * @throws RetryableException when the wait would exceed {@code maxWait}, with the wait as Retry-After
     */
    public void acquire(Duration maxWait) {
        long deadline = nanoTime.getAsLong() + maxWait.toNanos();
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                while (!sent.isEmpty() && sent.peekFirst() <= now - windowNanos) {
                    sent.pollFirst();
                }
                long untilSlot = sent.size() < permits ? 0 : sent.peekFirst() + windowNanos - now;
                // Long.MIN_VALUE means never paused: subtracting from it would overflow into a huge wait.
                long untilResume = pausedUntil == Long.MIN_VALUE ? 0 : pausedUntil - now;
                wait = Math.max(untilSlot, untilResume);
                if (wait <= 0) {
                    sent.addLast(now);
                    return;
                }
                if (now + wait > deadline) {
                    throw new RetryableException("Zendesk rate limit: no request slot for "
                            + Duration.ofNanos(wait).toSeconds() + " s", Duration.ofNanos(wait), null);
                }
            }
            sleep(wait);
        }
    }

    /** Every caller waits until {@code delay} from now (a 429's Retry-After). */
    public synchronized void pause(Duration delay) {
        pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + delay.toNanos());
    }

    /** Requests sent within the current window (for status). */
    public synchronized int inWindow() {
        long now = nanoTime.getAsLong();
        return (int) sent.stream().filter(t -> t > now - windowNanos).count();
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while waiting for a Zendesk rate-limit slot");
        }
    }
}
