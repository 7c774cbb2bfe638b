package dev.parley.runtime.ratelimit;

import dev.parley.spi.RateLimits;
import dev.parley.spi.RetryableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The runtime's {@link RateLimits}, lent to every connection ({@code ConnectionContext.rateLimits()}): decided in
 * the database every instance shares ({@code rate_bucket}, {@code rate_take}; see {@link RateRows} for the SQL and
 * its cost), so N instances calling one provider account spend one budget between them, and a 429 that one instance
 * receives pauses all of them.
 *
 * <p>A lock timeout or deadlock (possible on H2 under many concurrent takers of one bucket) answers a short wait: no
 * call was taken, ask again. Any other database failure is a {@link RetryableException}: the caller's work is given
 * back for its own retry, never sent past the limit.
 */
@ApplicationScoped
public class SharedRateLimits implements RateLimits {

    /** The wait answered when the bucket's lock could not be had in time. */
    static final Duration BUSY = Duration.ofMillis(50);

    @Inject
    RateTable table;

    /** Called at start-up once the schema is migrated: the datasource every instance shares. */
    public void start(DataSource dataSource) {
        table.use(dataSource);
    }

    static SharedRateLimits of(RateTable table) {
        SharedRateLimits s = new SharedRateLimits();
        s.table = table;
        return s;
    }

    @Override
    public Duration tryTake(String bucket, int limit, Duration window) {
        check(bucket);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(RateRows.LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be positive and at most " + RateRows.LONGEST_WINDOW + ": " + window);
        }
        try {
            return table.take(bucket, limit, window);
        } catch (RateTable.StoreFailed e) {
            if (e.transientFailure) {
                return BUSY;
            }
            throw new RetryableException("rate limit of " + bucket + " could not be decided: " + e.getMessage(), BUSY, null);
        }
    }

    @Override
    public void pauseUntil(String bucket, Instant until) {
        check(bucket);
        Objects.requireNonNull(until, "until");
        for (int attempt = 1; ; attempt++) {
            try {
                table.pause(bucket, until);
                return;
            } catch (RateTable.StoreFailed e) {
                if (!e.transientFailure || attempt == 3) {
                    throw new RetryableException("pause of " + bucket + " could not be recorded: " + e.getMessage(), null, null);
                }
            }
        }
    }

    private static void check(String bucket) {
        if (bucket == null || bucket.isBlank() || bucket.length() > 200) {
            throw new IllegalArgumentException("a bucket is a name of 1 to 200 characters");
        }
    }
}
