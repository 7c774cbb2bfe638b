package dev.parley.runtime.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.persistence.SchemaMigration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared rate limits on a real H2 2.2 migrated by the real migrations (V1..V10), through the runtime's own
 * statements ({@link RateRows}), each call in a transaction of its own as in the server. Instances are stood in by
 * {@link SharedRateLimits} objects on separate connections of one database.
 */
class SharedRateLimitsTest {

    static final AtomicLong DB = new AtomicLong();
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    JdbcDataSource h2;
    MutableClock clock;
    SharedRateLimits limits;

    @BeforeEach
    void database() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rates" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        SchemaMigration.migrate(h2);
        clock = new MutableClock(T0);
        limits = instance(clock);
    }

    SharedRateLimits instance(Clock c) {
        RateTable table = new RateTable();
        table.useLocally(h2, c);
        return SharedRateLimits.of(table);
    }

    @Test
    void takesUpToTheLimitThenAnswersHowLongUntilTheOldestLeavesTheWindow() {
        Duration w = Duration.ofSeconds(10);
        for (int s = 0; s < 3; s++) {
            clock.at(T0.plusSeconds(s));
            assertEquals(Duration.ZERO, limits.tryTake("zendesk:acme", 3, w), "take " + s);
        }
        clock.at(T0.plusSeconds(3));
        assertEquals(Duration.ofSeconds(7), limits.tryTake("zendesk:acme", 3, w));
        assertEquals(Duration.ofSeconds(7), limits.tryTake("zendesk:acme", 3, w), "a refused take took nothing");
        assertEquals(3, takes("zendesk:acme"));
        clock.at(T0.plusSeconds(10)); // the take of T0 is no longer inside (T0+10 - 10 s, T0+10]
        assertEquals(Duration.ZERO, limits.tryTake("zendesk:acme", 3, w));
        assertEquals(Duration.ofSeconds(1), limits.tryTake("zendesk:acme", 3, w));
    }

    @Test
    void everyRollingWindowHoldsNotOnlyAlignedOnes() {
        Duration w = Duration.ofSeconds(10);
        clock.at(T0);
        assertEquals(Duration.ZERO, limits.tryTake("b", 2, w));
        clock.at(T0.plusMillis(9_900));
        assertEquals(Duration.ZERO, limits.tryTake("b", 2, w));
        clock.at(T0.plusSeconds(10));
        assertEquals(Duration.ZERO, limits.tryTake("b", 2, w));
        clock.at(T0.plusMillis(10_500)); // a fixed-window counter would start afresh at T0+10 and allow this one
        assertEquals(Duration.ofMillis(9_400), limits.tryTake("b", 2, w));
    }

    @Test
    void aLoweredLimitWaitsUntilEnoughTakesLeft() {
        Duration w = Duration.ofSeconds(60);
        for (int s = 0; s < 5; s++) {
            clock.at(T0.plusSeconds(s));
            limits.tryTake("b", 5, w);
        }
        // At T0+4, two allowed now: room once the second newest (T0+3) has left, at T0+63.
        assertEquals(Duration.ofSeconds(59), limits.tryTake("b", 2, w));
    }

    @Test
    void aPauseStopsEveryInstanceAndOnlyALaterInstantExtendsIt() {
        SharedRateLimits other = instance(clock);
        Duration w = Duration.ofMinutes(1);
        limits.pauseUntil("zendesk:acme", T0.plusSeconds(30)); // first use of the bucket: a pause alone creates it
        assertEquals(Duration.ofSeconds(30), other.tryTake("zendesk:acme", 100, w));
        other.pauseUntil("zendesk:acme", T0.plusSeconds(10));
        assertEquals(Duration.ofSeconds(30), limits.tryTake("zendesk:acme", 100, w), "an earlier instant does not shorten it");
        other.pauseUntil("zendesk:acme", T0.plusSeconds(40));
        assertEquals(Duration.ofSeconds(40), limits.tryTake("zendesk:acme", 100, w));
        assertEquals(0, takes("zendesk:acme"), "nothing taken while paused");
        assertEquals(Duration.ZERO, limits.tryTake("zendesk:acme2", 100, w), "another bucket is not paused");
        clock.at(T0.plusSeconds(40));
        assertEquals(Duration.ZERO, other.tryTake("zendesk:acme", 100, w));
    }

    @Test
    void takersOnManyConnectionsAtOnceNeverExceedTheLimit() throws Exception {
        // Eight instances (threads with their own connections and transactions) race for the first take of a new
        // bucket and then for its five calls: the row lock admits exactly five.
        int instances = 8;
        SharedRateLimits[] all = new SharedRateLimits[instances];
        for (int i = 0; i < instances; i++) {
            all[i] = instance(Clock.systemUTC());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<Integer>> taken = new ArrayList<>();
            for (SharedRateLimits instance : all) {
                taken.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int k = 0; k < 10; k++) {
                        if (instance.tryTake("hubspot:42:10s", 5, Duration.ofHours(1)).isZero()) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            go.countDown();
            int sum = 0;
            for (Future<Integer> f : taken) {
                sum += f.get();
            }
            assertEquals(5, sum);
            assertEquals(5, takes("hubspot:42:10s"));
            assertEquals(1, count("SELECT COUNT(*) FROM rate_bucket"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTakePurgesItsBucketsDeadTakesOncePerWindow() {
        Duration w = Duration.ofSeconds(10);
        for (int s : new int[] {0, 1, 2}) {
            clock.at(T0.plusSeconds(s));
            limits.tryTake("b", 100, w);
        }
        clock.at(T0.plusSeconds(10)); // purge due (created at T0 with a 10 s window): the take of T0 goes
        limits.tryTake("b", 100, w);
        assertEquals(3, takes("b"));
        clock.at(T0.plusSeconds(15)); // next purge at T0+20
        limits.tryTake("b", 100, w);
        assertEquals(4, takes("b"));
        clock.at(T0.plusSeconds(20)); // takes at or before T0+10 go
        limits.tryTake("b", 100, w);
        assertEquals(2, takes("b"));
    }

    @Test
    void theLongestWindowAskedOfABucketKeepsTheTakesItCounts() {
        clock.at(T0);
        limits.tryTake("b", 100, Duration.ofSeconds(10)); // created: purge due at T0+10
        clock.at(T0.plusSeconds(5));
        limits.tryTake("b", 100, Duration.ofSeconds(60)); // a caller counting a minute
        clock.at(T0.plusSeconds(30));
        limits.tryTake("b", 100, Duration.ofSeconds(10)); // purge due: must keep the minute's takes
        assertEquals(3, takes("b"));
        clock.at(T0.plusSeconds(31));
        assertEquals(Duration.ofSeconds(29), limits.tryTake("b", 3, Duration.ofSeconds(60)));
    }

    @Test
    void argumentsOutsideTheContractAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> limits.tryTake("b", 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> limits.tryTake("b", 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> limits.tryTake("b", 1, Duration.ofDays(2)));
        assertThrows(IllegalArgumentException.class, () -> limits.tryTake("x".repeat(201), 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> limits.tryTake(" ", 1, Duration.ofSeconds(1)));
    }

    int takes(String bucket) {
        return count("SELECT COUNT(*) FROM rate_take WHERE bucket = '" + bucket + "'");
    }

    int count(String sql) {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void at(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
