package dev.parley.runtime.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One purge run: deletes what {@link RetentionSettings} lets go, at most {@code batchSize} rows per table, each
 * batch in a transaction of its own. Portable SQL (H2 2.x and PostgreSQL); rows are picked by
 * {@code id IN (SELECT id ... LIMIT ?)} and every delete repeats its own eligibility test, so N instances may
 * run it at the same time (they then delete the same rows, and the later delete finds nothing).
 *
 * <p>What is never deleted, whatever its age: PENDING/SENDING (any unfinished) outbox entries, PENDING bot turns,
 * open sessions (BOT, HANDED_OFF), handoffs that are not CLOSED/FAILED, and the rows those still need (a
 * message an unfinished entry or turn points to, their session). States are matched by the finished ones
 * ({@code IN ('SENT','FAILED')}), so a state added later counts as unfinished.
 */
public final class Purger {

    /** Outbox states after which an entry is bookkeeping only (a message's delivery status lives on the message). */
    static final String OUTBOX_FINISHED = "('SENT', 'FAILED')";
    static final String TURN_FINISHED = "('DONE', 'FAILED')";
    static final String HANDOFF_FINISHED = "('CLOSED', 'FAILED')";
    static final String SESSION_ENDED = "('RESOLVED', 'CLOSED')";

    static final String CONNECTION_LOG = "DELETE FROM connection_log WHERE id IN "
            + "(SELECT id FROM connection_log WHERE logged_at < ? LIMIT ?)";

    /** Stored media by age; nothing else refers to a copy (a link to a deleted one answers 404). */
    static final String MEDIA = "DELETE FROM stored_media WHERE id IN "
            + "(SELECT id FROM stored_media WHERE created_at < ? LIMIT ?)";

    /**
     * Rate-limit takes older than two days: outside every window (at most a day, the SPI's promise). Takes purge
     * their own bucket as they go; this catches buckets no longer used (a removed connection), a few rows each.
     */
    static final String RATE_TAKES = "DELETE FROM rate_take WHERE taken_at < ?";
    static final java.time.Duration RATE_TAKE_KEEP = java.time.Duration.ofDays(2);

    static final String OUTBOX = "DELETE FROM outbox_entry WHERE id IN "
            + "(SELECT id FROM outbox_entry WHERE state IN " + OUTBOX_FINISHED + " AND updated_at < ? LIMIT ?)";

    /**
     * Finished turns, except the session's first finished turn (smallest seq): the bot is told a turn is the
     * session's first when no finished turn before it exists, and keeping that one turn keeps the answer.
     */
    static final String BOT_TURNS = "DELETE FROM bot_turn WHERE id IN "
            + "(SELECT t.id FROM bot_turn t WHERE t.state IN " + TURN_FINISHED + " AND t.created_at < ? "
            + "AND EXISTS (SELECT 1 FROM bot_turn f WHERE f.session_id = t.session_id AND f.state IN " + TURN_FINISHED
            + " AND f.seq < t.seq) LIMIT ?)";

    /**
     * Ended sessions without activity since the cutoff (their own update, an event, a message's status) and with
     * no unfinished work.
     */
    static final String ENDED_SESSIONS = "SELECT s.id FROM chat_session s WHERE s.state IN " + SESSION_ENDED
            + " AND s.updated_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM outbox_entry o WHERE o.session_id = s.id AND o.state NOT IN " + OUTBOX_FINISHED + ")"
            + " AND NOT EXISTS (SELECT 1 FROM bot_turn t WHERE t.session_id = s.id AND t.state NOT IN " + TURN_FINISHED + ")"
            + " AND NOT EXISTS (SELECT 1 FROM handoff h WHERE h.session_id = s.id AND (h.open_key IS NOT NULL"
            + " OR h.state NOT IN " + HANDOFF_FINISHED + "))"
            + " AND NOT EXISTS (SELECT 1 FROM session_event e WHERE e.session_id = s.id AND e.occurred_at >= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM chat_message m WHERE m.session_id = s.id AND m.updated_at >= ?)"
            + " LIMIT ?";

    private final RetentionSettings settings;
    private final Sql.Transactions tx;

    public Purger(RetentionSettings settings, Sql.Transactions tx) {
        this.settings = settings;
        this.tx = tx;
    }

    /**
     * What one run deleted, per table, and whether some batch was full (more is waiting).
     */
    public record Outcome(Map<String, Integer> deleted, boolean backlog, List<RuntimeException> failures) {
        public int total() {
            return deleted.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public Outcome run(OffsetDateTime now) {
        Counter c = new Counter(settings.batchSize());
        int limit = settings.batchSize();
        List<RuntimeException> failures = new ArrayList<>();
        // Each kind on its own: one that fails (say a foreign key from a table this class does not know) must not
        // stop the others.
        if (settings.connectionLog() != null) {
            attempt(failures, () -> c.add("connection_log",
                    tx.inTransaction(sql -> sql.update(CONNECTION_LOG, cutoff(now, settings.connectionLog()), limit))));
        }
        if (settings.sessions() != null) {
            attempt(failures, () -> purgeSessions(cutoff(now, settings.sessions()), c));
        }
        if (settings.outbox() != null) {
            attempt(failures, () -> c.add("outbox_entry",
                    tx.inTransaction(sql -> sql.update(OUTBOX, cutoff(now, settings.outbox()), limit))));
        }
        if (settings.botTurns() != null) {
            attempt(failures, () -> c.add("bot_turn",
                    tx.inTransaction(sql -> sql.update(BOT_TURNS, cutoff(now, settings.botTurns()), limit))));
        }
        if (settings.media() != null) {
            int mediaLimit = settings.mediaBatchSize();
            attempt(failures, () -> {
                int n = tx.inTransaction(sql -> sql.update(MEDIA, cutoff(now, settings.media()), mediaLimit));
                c.add("stored_media", n, false);
                if (n >= mediaLimit) {
                    c.backlog = true;
                }
            });
        }
        attempt(failures, () -> c.add("rate_take",
                tx.inTransaction(sql -> sql.update(RATE_TAKES, cutoff(now, RATE_TAKE_KEEP))), false));
        return new Outcome(Collections.unmodifiableMap(c.deleted), c.backlog, List.copyOf(failures));
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /**
     * Picks up to a fifth of a batch of ended sessions, then deletes their rows child tables first (foreign keys),
     * each table one batch in its own transaction; the sessions go last, and only those with nothing left.
     * What did not fit into this run's batches is picked again by the next one.
     */
    private void purgeSessions(OffsetDateTime cutoff, Counter c) {
        int limit = settings.batchSize();
        int sessionBatch = Math.max(1, limit / 5);
        List<Long> ids = tx.inTransaction(sql -> sql.ids(ENDED_SESSIONS, cutoff, cutoff, cutoff, sessionBatch));
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() == sessionBatch) {
            c.backlog = true;
        }
        String in = "(" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        c.add("bot_turn", deleteChildren("bot_turn", "state IN " + TURN_FINISHED + " AND session_id IN " + in, ids, limit));
        c.add("outbox_entry", deleteChildren("outbox_entry", "state IN " + OUTBOX_FINISHED + " AND session_id IN " + in, ids, limit));
        c.add("handoff", deleteChildren("handoff", "open_key IS NULL AND state IN " + HANDOFF_FINISHED + " AND session_id IN " + in, ids, limit));
        c.add("session_event", deleteChildren("session_event", "session_id IN " + in, ids, limit));
        c.add("chat_message", deleteChildren("chat_message", "session_id IN " + in
                + " AND NOT EXISTS (SELECT 1 FROM bot_turn t WHERE t.message_id = chat_message.id)"
                + " AND NOT EXISTS (SELECT 1 FROM outbox_entry o WHERE o.message_id = chat_message.id)", ids, limit));
        List<Object> params = new ArrayList<>(ids);
        params.add(cutoff);
        c.add("chat_session", tx.inTransaction(sql -> sql.update("DELETE FROM chat_session WHERE id IN " + in
                + " AND state IN " + SESSION_ENDED + " AND updated_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM chat_message m WHERE m.session_id = chat_session.id)"
                + " AND NOT EXISTS (SELECT 1 FROM session_event e WHERE e.session_id = chat_session.id)"
                + " AND NOT EXISTS (SELECT 1 FROM bot_turn t WHERE t.session_id = chat_session.id)"
                + " AND NOT EXISTS (SELECT 1 FROM outbox_entry o WHERE o.session_id = chat_session.id)"
                + " AND NOT EXISTS (SELECT 1 FROM handoff h WHERE h.session_id = chat_session.id)", params.toArray())), false);
    }

    /** {@code DELETE FROM table WHERE id IN (SELECT id FROM table WHERE condition LIMIT ?)}. */
    private int deleteChildren(String table, String condition, List<Long> sessionIds, int limit) {
        List<Object> params = new ArrayList<>(sessionIds);
        params.add(limit);
        return tx.inTransaction(sql -> sql.update("DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table
                + " WHERE " + condition + " LIMIT ?)", params.toArray()));
    }

    static OffsetDateTime cutoff(OffsetDateTime now, Duration keep) {
        return now.minus(keep);
    }

    private static final class Counter {
        final Map<String, Integer> deleted = new LinkedHashMap<>();
        final int limit;
        boolean backlog;

        Counter(int limit) {
            this.limit = limit;
        }

        void add(String table, int n) {
            add(table, n, true);
        }

        void add(String table, int n, boolean batchBounded) {
            deleted.merge(table, n, Integer::sum);
            if (batchBounded && n >= limit) {
                backlog = true;
            }
        }
    }
}
