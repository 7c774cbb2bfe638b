package dev.parley.runtime.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code ttl}, however often it is asked for: a /metrics scrape (or several instances'
 * scrapers at once) reads the database once per ttl, never once per gauge. A failed read keeps the last value and is
 * not tried again before the ttl runs out, so a struggling database is not asked harder by its monitoring; the first
 * failure after a success is a WARNING in the server log (the gauge then stands still: the log says why).
 */
public final class CachedReading<T> {

    private final Supplier<T> source;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private T value;
    private long readAt;
    private boolean read;
    private boolean failing;

    /** @param initial answered until the first read succeeds */
    public CachedReading(Supplier<T> source, Duration ttl, LongSupplier nanoClock, T initial) {
        this.source = Objects.requireNonNull(source);
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        this.value = initial;
    }

    public synchronized T get() {
        long now = nanoClock.getAsLong();
        if (read && now - readAt < ttlNanos) {
            return value;
        }
        read = true;
        readAt = now;
        try {
            value = source.get();
            failing = false;
        } catch (RuntimeException e) {
            // The last value stays; the next try waits for the ttl like a successful read. Said once per outage.
            java.util.logging.Level level = failing ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING;
            failing = true;
            java.util.logging.Logger.getLogger(CachedReading.class.getName()).log(level, () -> "a database gauge of /metrics"
                    + " could not be read (" + e.getClass().getSimpleName() + "); it keeps its last value until a read works");
        }
        return value;
    }
}
