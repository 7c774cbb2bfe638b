package dev.parley.runtime.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * {@link RateRows} on Parley's JTA datasource, each call a short transaction of its own ({@code REQUIRES_NEW}: a
 * caller's transaction, if any, waits aside, so the bucket's row lock is held for two statements, never for the
 * caller's work). The datasource is handed over at start-up, after the schema migration ({@code ParleyStartup}).
 * Database errors surface as {@link StoreFailed} with the SQLState only: no SQL, no values.
 */
@ApplicationScoped
public class RateTable {

    private volatile DataSource dataSource;
    /** True only where no JTA transaction surrounds the calls (the unit tests): commit on the connection. */
    private volatile boolean localTransactions;
    private volatile Clock clock = Clock.systemUTC();

    /** The store refused or cannot be reached; {@code transientFailure}: a lock timeout or a deadlock. */
    static final class StoreFailed extends IllegalStateException {
        final boolean transientFailure;

        StoreFailed(String message, boolean transientFailure) {
            super(message);
            this.transientFailure = transientFailure;
        }
    }

    public void use(DataSource ds) {
        this.dataSource = ds;
    }

    /** For tests on a plain datasource: each call commits its own local transaction; the clock is theirs. */
    void useLocally(DataSource ds, Clock clock) {
        this.localTransactions = true;
        this.clock = clock;
        this.dataSource = ds;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Duration take(String bucket, int limit, Duration window) {
        return run(c -> RateRows.take(c, bucket, limit, window, clock));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void pause(String bucket, Instant until) {
        run(c -> {
            RateRows.pause(c, bucket, until, clock);
            return null;
        });
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        DataSource ds = dataSource;
        if (ds == null) {
            throw new StoreFailed("the shared rate limits are not ready: Parley is starting", true);
        }
        try (Connection c = ds.getConnection()) {
            if (!localTransactions) {
                return work.on(c);
            }
            c.setAutoCommit(false);
            try {
                T result = work.on(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreFailed("the shared rate limits' database refused the call (SQLState " + e.getSQLState() + ")",
                    dev.parley.runtime.persistence.SqlErrors.isTransient(e));
        }
    }
}
