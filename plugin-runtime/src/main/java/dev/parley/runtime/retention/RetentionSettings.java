package dev.parley.runtime.retention;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How long each kind of row is kept ({@code parley.retention.*}): ISO-8601 durations such as {@code P90D} or
 * {@code PT12H}, or {@code off} to keep that kind for ever. Unfinished work is never a kind of its own: it is
 * kept whatever its age (see {@link Purger}).
 *
 * @param connectionLog  connection log lines, by when they were logged
 * @param sessions       RESOLVED/CLOSED sessions without activity for this long, with everything they hold
 * @param outbox         SENT/FAILED outbox entries, by their last update
 * @param botTurns       DONE/FAILED bot turns, by when they were queued (a session's first turn is kept)
 * @param media          stored media copies, by when they were stored (a link to one then answers 404)
 * @param batchSize      at most this many rows deleted per table and run, each batch its own transaction
 * @param interval       time between two purge runs (a run that hit a full batch is followed by another
 *                       on the next sweep, so a backlog drains quickly)
 */
public record RetentionSettings(Duration connectionLog, Duration sessions, Duration outbox, Duration botTurns,
                                Duration media, int batchSize, Duration interval) {

    public static final Duration DEFAULT_CONNECTION_LOG = Duration.ofDays(14);
    public static final Duration DEFAULT_SESSIONS = Duration.ofDays(90);
    public static final Duration DEFAULT_OUTBOX = Duration.ofDays(7);
    public static final Duration DEFAULT_BOT_TURNS = Duration.ofDays(7);
    public static final Duration DEFAULT_MEDIA = Duration.ofDays(30);
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    public RetentionSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("parley.retention.batch-size must be at least 1, not " + batchSize);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("parley.retention.interval must be a positive duration, not " + interval);
        }
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(DEFAULT_CONNECTION_LOG, DEFAULT_SESSIONS, DEFAULT_OUTBOX, DEFAULT_BOT_TURNS,
                DEFAULT_MEDIA, DEFAULT_BATCH_SIZE, DEFAULT_INTERVAL);
    }

    /**
     * A retention value: an ISO-8601 duration ({@code P14D}, {@code PT2S}), or {@code off} (or {@code never})
     * for "keep for ever", which is returned as {@code null}.
     *
     * @throws IllegalArgumentException naming the key, for anything else (zero and negative durations included:
     *                                  "delete at once" is never what an operator meant)
     */
    public static Duration retention(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is empty; give an ISO-8601 duration such as P14D, or off");
        }
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("off") || lower.equals("never")) {
            return null;
        }
        Duration d = duration(key, v);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + "=" + v + " must be positive (or off)");
        }
        return d;
    }

    static Duration duration(String key, String value) {
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not an ISO-8601 duration (e.g. P14D, PT12H, PT30S)");
        }
    }

    /** A human-readable summary for the log at start-up. */
    public String describe() {
        return "connection log " + text(connectionLog) + ", ended sessions " + text(sessions) + ", finished outbox entries "
                + text(outbox) + ", finished bot turns " + text(botTurns) + ", media " + text(media) + "; at most "
                + batchSize + " rows per table (media: " + mediaBatchSize() + ") every " + interval;
    }

    /**
     * Media rows deleted per run: a tenth of {@link #batchSize} (at least one), since each may hold megabytes and a
     * purge's transaction should stay short.
     */
    public int mediaBatchSize() {
        return Math.max(1, batchSize / 10);
    }

    private static String text(Duration d) {
        return d == null ? "kept for ever" : d.toString();
    }
}
