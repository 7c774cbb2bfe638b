package dev.parley.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedReadingTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void readsOncePerTtlHoweverOftenAsked() {
        CachedReading<Integer> r = new CachedReading<>(reads::incrementAndGet, Duration.ofSeconds(5), nanos::get, 0);
        assertEquals(1, r.get());
        for (int i = 0; i < 50; i++) {
            assertEquals(1, r.get());
        }
        advance(Duration.ofMillis(4_999));
        assertEquals(1, r.get(), "still fresh just before the ttl");
        advance(Duration.ofMillis(1));
        assertEquals(2, r.get(), "read again once the ttl ran out");
        assertEquals(2, reads.get());
    }

    @Test
    void aFailedReadKeepsTheLastValueAndWaitsForTheTtl() {
        AtomicInteger calls = new AtomicInteger();
        CachedReading<Integer> r = new CachedReading<>(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("database down");
            }
            return calls.get() * 10;
        }, Duration.ofSeconds(5), nanos::get, -1);
        assertEquals(10, r.get());
        advance(Duration.ofSeconds(5));
        assertEquals(10, r.get(), "the failure keeps the last value");
        assertEquals(10, r.get(), "and is not retried at once");
        assertEquals(2, calls.get());
        advance(Duration.ofSeconds(5));
        assertEquals(30, r.get());
    }

    @Test
    void answersTheInitialValueUntilAReadSucceeds() {
        CachedReading<Integer> r = new CachedReading<>(() -> {
            throw new IllegalStateException("not migrated yet");
        }, Duration.ofSeconds(5), nanos::get, 0);
        assertEquals(0, r.get());
    }
}
