package dev.parley.runtime.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code rate_bucket} and {@code rate_take} tables (V10) in plain JDBC on a connection the caller owns and
 * commits, inside ONE transaction per call: the same statements run in the server (a JTA transaction of their own)
 * and, on H2, in the unit tests (a local transaction).
 *
 * <p>A take, once the bucket row exists, is two statements, each its own round trip:
 * <ol>
 * <li>{@code SELECT paused_until, longest_window_ms, purge_after FROM rate_bucket WHERE bucket = ? FOR UPDATE}: waits
 *     for the take of any other instance on the same bucket to commit;</li>
 * <li>{@code INSERT INTO rate_take (bucket, taken_at) SELECT ?, ? ... WHERE (SELECT COUNT(*) FROM rate_take WHERE
 *     bucket = ? AND taken_at > ?) < ?}: takes when the rolling window has room.</li>
 * </ol>
 * They must stay two: on PostgreSQL (READ COMMITTED) every statement reads a snapshot taken when it starts, so the
 * count must start after the lock is held, or it would miss the take the previous lock holder just committed. A
 * refused take adds a third statement (the take that must leave the window before there is room: the wait). Once per
 * longest window a take also deletes the bucket's dead takes and moves {@code purge_after} (two more), and the first
 * take of a bucket creates its row (two more). The instant recorded is the instance's clock read after the lock is
 * held: instances are assumed to keep NTP time (a skew of a few milliseconds shifts a window by as much).
 */
final class RateRows {

    /** The longest window a bucket may have (the SPI's promise): retention deletes takes older than this. */
    static final Duration LONGEST_WINDOW = Duration.ofDays(1);

    private RateRows() {
    }

    record Bucket(Instant pausedUntil, long longestWindowMs, Instant purgeAfter) {
    }

    /**
     * Takes one call from {@code bucket} if it has room: {@link Duration#ZERO}, else how long until it may have room.
     */
    static Duration take(Connection c, String bucket, int limit, Duration window, Clock clock) throws SQLException {
        Bucket b = lock(c, bucket).orElse(null);
        if (b == null) {
            Instant created = clock.instant();
            create(c, bucket, null, window.toMillis(), created.plus(window));
            b = lock(c, bucket).orElseThrow(() -> new SQLException("rate bucket vanished", "02000"));
        }
        Instant now = micros(clock.instant()); // read while holding the lock
        if (b.pausedUntil() != null && b.pausedUntil().isAfter(now)) {
            return Duration.between(now, b.pausedUntil());
        }
        Instant windowStart = now.minus(window);
        if (insertIfRoom(c, bucket, now, windowStart, limit)) {
            long longest = Math.max(b.longestWindowMs(), window.toMillis());
            boolean purgeDue = !now.isBefore(b.purgeAfter());
            if (purgeDue) {
                purge(c, bucket, now.minusMillis(longest));
            }
            if (purgeDue || longest != b.longestWindowMs()) {
                update(c, bucket, longest, purgeDue ? now.plusMillis(longest) : b.purgeAfter());
            }
            return Duration.ZERO;
        }
        // Full: room comes when the limit-th newest take in the window leaves it.
        Optional<Instant> leaving = newest(c, bucket, windowStart, limit);
        Duration wait = leaving.map(t -> Duration.between(now, t.plus(window))).orElse(Duration.ZERO);
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    /** No take before {@code until}; an earlier instant than the current pause changes nothing. */
    static void pause(Connection c, String bucket, Instant until, Clock clock) throws SQLException {
        Instant u = micros(until);
        if (extendPause(c, bucket, u) == 0 && !create(c, bucket, u, 0, clock.instant())) {
            extendPause(c, bucket, u); // there was a row (or a concurrent insert made one): extend it
        }
    }

    static Optional<Bucket> lock(Connection c, String bucket) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT paused_until, longest_window_ms, purge_after FROM rate_bucket WHERE bucket = ? FOR UPDATE")) {
            ps.setString(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime paused = rs.getObject(1, OffsetDateTime.class);
                return Optional.of(new Bucket(paused == null ? null : paused.toInstant(), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
    }

    /**
     * Creates the bucket's row unless one exists: answers whether this call created it. A concurrent creation is a
     * normal outcome, never an error that aborts the transaction: {@code ON CONFLICT DO NOTHING} on PostgreSQL (which
     * waits out the other insert); on H2 an insert guarded by {@code NOT EXISTS} whose rare clash (23505) means the
     * same.
     */
    static boolean create(Connection c, String bucket, Instant pausedUntil, long windowMs, Instant purgeAfter)
            throws SQLException {
        boolean postgres = postgres(c);
        String values = "CAST(? AS VARCHAR(200)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS BIGINT), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE)";
        String sql = "INSERT INTO rate_bucket (bucket, paused_until, longest_window_ms, purge_after) "
                + (postgres ? "VALUES (" + values + ") ON CONFLICT (bucket) DO NOTHING"
                : "SELECT " + values + " FROM (VALUES (0)) one WHERE NOT EXISTS (SELECT 1 FROM rate_bucket WHERE bucket = ?)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, bucket);
            ps.setObject(2, pausedUntil == null ? null : utc(pausedUntil));
            ps.setLong(3, windowMs);
            ps.setObject(4, utc(micros(purgeAfter)));
            if (!postgres) {
                ps.setString(5, bucket);
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) && !postgres) {
                return false; // H2: another instance created it first
            }
            throw e;
        }
    }

    static boolean insertIfRoom(Connection c, String bucket, Instant now, Instant windowStart, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_take (bucket, taken_at) "
                + "SELECT CAST(? AS VARCHAR(200)), CAST(? AS TIMESTAMP WITH TIME ZONE) FROM (VALUES (0)) one "
                + "WHERE (SELECT COUNT(*) FROM rate_take WHERE bucket = ? AND taken_at > ?) < ?")) {
            ps.setString(1, bucket);
            ps.setObject(2, utc(now));
            ps.setString(3, bucket);
            ps.setObject(4, utc(windowStart));
            ps.setInt(5, limit);
            return ps.executeUpdate() == 1;
        }
    }

    /** The {@code n}-th newest take after {@code windowStart}, if there are that many. */
    static Optional<Instant> newest(Connection c, String bucket, Instant windowStart, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT taken_at FROM rate_take WHERE bucket = ? AND taken_at > ? "
                + "ORDER BY taken_at DESC LIMIT 1 OFFSET ?")) {
            ps.setString(1, bucket);
            ps.setObject(2, utc(windowStart));
            ps.setInt(3, n - 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
            }
        }
    }

    /** Deletes the bucket's takes at or before {@code cutoff}: outside every window anyone asks of it. */
    static int purge(Connection c, String bucket, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM rate_take WHERE bucket = ? AND taken_at <= ?")) {
            ps.setString(1, bucket);
            ps.setObject(2, utc(cutoff));
            return ps.executeUpdate();
        }
    }

    private static void update(Connection c, String bucket, long longestWindowMs, Instant purgeAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE rate_bucket SET longest_window_ms = ?, purge_after = ? WHERE bucket = ?")) {
            ps.setLong(1, longestWindowMs);
            ps.setObject(2, utc(micros(purgeAfter)));
            ps.setString(3, bucket);
            ps.executeUpdate();
        }
    }

    private static int extendPause(Connection c, String bucket, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rate_bucket SET paused_until = ? "
                + "WHERE bucket = ? AND (paused_until IS NULL OR paused_until < ?)")) {
            ps.setObject(1, utc(until));
            ps.setString(2, bucket);
            ps.setObject(3, utc(until));
            return ps.executeUpdate();
        }
    }

    private static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** Both databases keep microseconds: compare what is stored. */
    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
