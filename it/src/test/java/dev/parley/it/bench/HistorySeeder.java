package dev.parley.it.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored history for {@code -Dbench.storedMessages=N}: conversations as Parley's engine writes them for the
 * benchmark's agent (connection {@code bench}, embedded bot answering every customer message once), inserted with
 * set-based SQL ({@code SYSTEM_RANGE} on H2, {@code generate_series} on PostgreSQL), a chunk of sessions per
 * statement.
 *
 * <p>Per session ({@value #MESSAGES_PER_SESSION} messages, {@value #PAIRS} customer messages each answered once):
 * <ul>
 * <li>one contact ({@code +4177nnnnnnn}: the driver's own senders are {@code 4179…} and {@code 4178…}) and one open
 *     BOT session on {@code bench} with agent {@code bench}, sender {@code Parley}, no chatbot revision;</li>
 * <li>per pair: the IN message, its DONE bot turn, the OUT reply (status SENT, provider id = its reference, as
 *     Infobip answers) and its SENT outbox entry (1 attempt, claim token 1);</li>
 * <li>timeline: SESSION_OPENED, then per pair MESSAGE_IN, MESSAGE_OUT and SENT, with the engine's texts;</li>
 * <li>the dedup receipt ({@code msg:<provider id>}) of every IN message still inside the 48 h dedup window
 *     ({@code parley.dedup.window-hours}), expiring as the server's own would (the sweeper deletes them on time).</li>
 * </ul>
 * {@code seq} follows the engine: every transaction takes a block of 8 numbers of the session's sequence
 * ({@code SessionSequence.BLOCK}); a pair spans three transactions (inbound, bot reply, send), so pair p uses
 * 24p+1…24p+24, and {@code chat_session.next_seq} is the last number handed out (120), beyond every seq stored.
 *
 * <p>Timestamps: sessions start evenly over the {@link #HISTORY} (6 days) before the seeding, each lasting four
 * minutes. Everything is younger than the shortest default retention (outbox entries and bot turns: P7D;
 * open sessions are never purged), so the purger deletes none of it during a run; it still runs its queries
 * over these rows.
 *
 * <p>Ids: {@code parley_seq} hands out blocks of 1000 ({@code Ids.BLOCK}). The seeder takes a block, leaves
 * {@link #ID_GAP} ids above it for blocks a running server may take meanwhile, uses {@value #IDS_PER_SESSION} ids
 * per session above that, and then moves the sequence past the seeded range, so the server's next blocks come
 * after it: history is older than new traffic by id too, and nothing collides.
 */
final class HistorySeeder {

    static final int MESSAGES_PER_SESSION = 10;
    static final int PAIRS = MESSAGES_PER_SESSION / 2;
    static final int IDS_PER_SESSION = 64;
    static final long ID_GAP = 1_000_000;
    static final int SEQ_BLOCK = 8;
    static final int CHUNK_SESSIONS = 10_000;
    static final Duration HISTORY = Duration.ofDays(6);
    static final Duration DEDUP_WINDOW = Duration.ofHours(48);
    static final List<String> TABLES = List.of("contact", "chat_session", "chat_message", "session_event", "bot_turn",
            "outbox_entry", "inbound_receipt");

    /** Offsets of a session's rows from its first id. */
    private static final int CONTACT = 0, SESSION = 1, MESSAGES = 2, OPENED = 12, EVENTS = 13, TURNS = 28, OUTBOX = 33,
            RECEIPTS = 38;

    enum Dialect { H2, POSTGRES }

    /**
     * What was seeded.
     *
     * @param rows         per table {before, after, with a seeded id}, counted in the database
     * @param insertSeconds the INSERT statements
     * @param analyzeSeconds ANALYZE (H2) or VACUUM ANALYZE (PostgreSQL) afterwards
     * @param badSequences seeded sessions with a message or timeline line at or past their next_seq (must be 0)
     */
    record Seeded(long sessions, long firstId, long lastId, long sequenceBefore, long sequenceAfter,
                  OffsetDateTime from, OffsetDateTime to, Map<String, long[]> rows, double insertSeconds,
                  double analyzeSeconds, long badSequences) {
        long seeded(String table) {
            return rows.get(table)[2];
        }
    }

    private final Dialect dialect;
    private final String connectionId;
    private final String agentId;
    private final String sender;

    HistorySeeder(Dialect dialect, String connectionId, String agentId, String sender) {
        this.dialect = dialect;
        this.connectionId = connectionId;
        this.agentId = agentId;
        this.sender = sender;
    }

    /** Seeds at least {@code messages} messages (whole sessions of ten) through {@code c}, committed as it goes. */
    Seeded seed(Connection c, long messages) throws SQLException {
        long sessions = (messages + MESSAGES_PER_SESSION - 1) / MESSAGES_PER_SESSION;
        if (sessions > 10_000_000) {
            throw new IllegalArgumentException("at most 100,000,000 stored messages (contact addresses have 7 digits)");
        }
        c.setAutoCommit(true);
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (String t : TABLES) {
            rows.put(t, new long[] {count(c, "SELECT COUNT(*) FROM " + t), 0, 0});
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime from = now.minus(HISTORY);
        // session starts spread over [from, now - 1 h): the last session's rows are all older than now
        long spanSeconds = HISTORY.minusHours(1).toSeconds();

        long t0 = System.nanoTime();
        long sequenceBefore = count(c, dialect == Dialect.POSTGRES ? "SELECT nextval('parley_seq')"
                : "VALUES NEXT VALUE FOR parley_seq");
        long base = roundUp(sequenceBefore + ID_GAP, 1000);
        long lastId = base + sessions * IDS_PER_SESSION - 1;
        long sequenceAfter = roundUp(lastId + 1, 1000);
        exec(c, dialect == Dialect.POSTGRES ? "SELECT setval('parley_seq', " + sequenceAfter + ", false)"
                : "ALTER SEQUENCE parley_seq RESTART WITH " + sequenceAfter);

        for (long s0 = 0; s0 < sessions; s0 += CHUNK_SESSIONS) {
            long s1 = Math.min(sessions, s0 + CHUNK_SESSIONS);
            insertChunk(c, base, s0, s1, sessions, spanSeconds, from, now);
            System.out.printf("seeding: %d of %d sessions (%.0f s)%n", s1, sessions, (System.nanoTime() - t0) / 1e9);
        }
        double insertSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        // fresh statistics, as a database that grew to this size would have (PostgreSQL: and its visibility map)
        exec(c, dialect == Dialect.POSTGRES ? "VACUUM ANALYZE " + String.join(", ", TABLES) : "ANALYZE");
        double analyzeSeconds = (System.nanoTime() - t1) / 1e9;

        for (String t : TABLES) {
            long[] r = rows.get(t);
            r[1] = count(c, "SELECT COUNT(*) FROM " + t);
            r[2] = count(c, "SELECT COUNT(*) FROM " + t + " WHERE id BETWEEN " + base + " AND " + lastId);
        }
        long bad = count(c, "SELECT COUNT(*) FROM chat_session s WHERE s.id BETWEEN " + base + " AND " + lastId
                + " AND (EXISTS (SELECT 1 FROM chat_message m WHERE m.session_id = s.id AND m.seq >= s.next_seq)"
                + " OR EXISTS (SELECT 1 FROM session_event e WHERE e.session_id = s.id AND e.seq >= s.next_seq))");
        return new Seeded(sessions, base, lastId, sequenceBefore, sequenceAfter, from, now, rows, insertSeconds,
                analyzeSeconds, bad);
    }

    /** Sessions [s0, s1) of {@code total}: one INSERT … SELECT per table and kind of row. */
    private void insertChunk(Connection c, long base, long s0, long s1, long total, long spanSeconds,
                             OffsetDateTime from, OffsetDateTime now) throws SQLException {
        String sessions = range("s", s0, s1 - 1);
        String pairs = sessions + " CROSS JOIN " + range("p", 0, PAIRS - 1);
        // per session s: its first id, when it starts (seconds after `from`), the contact's address
        String id0 = "(" + base + " + s.x * " + IDS_PER_SESSION + ")";
        String start = "(s.x * " + spanSeconds + " / " + total + ")";
        String address = "('+4177' || LPAD(CAST(s.x AS VARCHAR), 7, '0'))";
        // per pair p: the IN message at start + 60 p s, the reply 2 s later, its send 1 s after that
        String inAt = at(from, start + " + p.x * 60");
        String outAt = at(from, start + " + p.x * 60 + 2");
        String sentAt = at(from, start + " + p.x * 60 + 3");
        String inId = "(" + id0 + " + " + MESSAGES + " + 2 * p.x)";
        String outId = "(" + inId + " + 1)";
        String inSeq = "(" + 3 * SEQ_BLOCK + " * p.x + CASE WHEN p.x = 0 THEN 2 ELSE 1 END)"; // 1 is SESSION_OPENED
        String outSeq = "(" + 3 * SEQ_BLOCK + " * p.x + " + (SEQ_BLOCK + 1) + ")";
        String sentSeq = "(" + 3 * SEQ_BLOCK + " * p.x + " + (2 * SEQ_BLOCK + 1) + ")";
        String inText = "('Hello, where is my order ' || CAST(s.x AS VARCHAR) || '? (' || CAST(p.x + 1 AS VARCHAR) || ')')";
        String outText = "'Thanks, noted.'";
        String reference = "('5eed0000-0000-4000-8000-' || LPAD(CAST(" + outId + " AS VARCHAR), 12, '0'))";
        String inProviderId = "('seed-' || CAST(" + inId + " AS VARCHAR))";
        String conn = quote(connectionId);

        exec(c, "INSERT INTO contact (id, address, display_name, created_at) SELECT " + id0 + " + " + CONTACT + ", "
                + address + ", NULL, " + at(from, start) + " FROM " + sessions);
        int lastPair = PAIRS - 1;
        exec(c, "INSERT INTO chat_session (id, session_key, connection_id, contact_id, agent_id, state, created_at, updated_at,"
                + " last_inbound_at, turn_owner, turn_lease_until, chatbot_revision_id, bot_context, sender, next_seq, turn_token)"
                + " SELECT " + id0 + " + " + SESSION + ", " + quote(connectionId + "|") + " || " + address + ", " + conn + ", "
                + id0 + " + " + CONTACT + ", " + quote(agentId) + ", 'BOT', " + at(from, start) + ", "
                + at(from, start + " + " + (lastPair * 60 + 2)) + ", " + at(from, start + " + " + lastPair * 60)
                + ", NULL, NULL, NULL, NULL, " + quote(sender) + ", " + 3 * SEQ_BLOCK * PAIRS + ", " + PAIRS
                + " FROM " + sessions);
        // one statement per kind of row (IN, OUT; each kind of timeline line)
        String messagesInsert = "INSERT INTO chat_message (id, session_id, connection_id, direction, body, reference,"
                + " provider_message_id, status, error, created_at, updated_at, seq) ";
        exec(c, messagesInsert + "SELECT " + inId + ", " + id0 + " + " + SESSION + ", " + conn + ", 'IN', " + inText + ", "
                + "('5eed0000-0000-4000-8000-' || LPAD(CAST(" + inId + " AS VARCHAR), 12, '0')), " + inProviderId
                + ", NULL, NULL, " + inAt + ", " + inAt + ", " + inSeq + " FROM " + pairs);
        exec(c, messagesInsert + "SELECT " + outId + ", " + id0 + " + " + SESSION + ", " + conn + ", 'OUT', " + outText + ", "
                + reference + ", " + reference + ", 'SENT', NULL, " + outAt + ", " + sentAt + ", " + outSeq + " FROM " + pairs);
        String events = "INSERT INTO session_event (id, session_id, message_id, occurred_at, kind, detail, seq) ";
        exec(c, events + "SELECT " + id0 + " + " + OPENED + ", " + id0 + " + " + SESSION + ", NULL, " + at(from, start)
                + ", 'SESSION_OPENED', " + quote("agent " + agentId) + ", 1 FROM " + sessions);
        exec(c, events + "SELECT " + id0 + " + " + EVENTS + " + 3 * p.x, " + id0 + " + " + SESSION + ", " + inId + ", "
                + inAt + ", 'MESSAGE_IN', " + inText + ", " + inSeq + " + 1 FROM " + pairs);
        exec(c, events + "SELECT " + id0 + " + " + EVENTS + " + 3 * p.x + 1, " + id0 + " + " + SESSION + ", " + outId + ", "
                + outAt + ", 'MESSAGE_OUT', 'bot: ' || " + outText + ", " + outSeq + " + 1 FROM " + pairs);
        exec(c, events + "SELECT " + id0 + " + " + EVENTS + " + 3 * p.x + 2, " + id0 + " + " + SESSION + ", " + outId + ", "
                + sentAt + ", 'SENT', 'accepted by provider as ' || " + reference + " || ' (PENDING_ACCEPTED), attempt 1', "
                + sentSeq + " FROM " + pairs);
        exec(c, "INSERT INTO bot_turn (id, session_id, message_id, state, attempts, last_error, created_at, seq)"
                + " SELECT " + id0 + " + " + TURNS + " + p.x, " + id0 + " + " + SESSION + ", " + inId + ", 'DONE', 1, NULL, "
                + inAt + ", " + inSeq + " FROM " + pairs);
        exec(c, "INSERT INTO outbox_entry (id, session_id, message_id, connection_id, recipient, state, attempts,"
                + " next_attempt_at, lease_until, last_error, created_at, updated_at, kind, handoff_id, seq, claim_token,"
                + " attempt_started_at, uncertain_since)"
                + " SELECT " + id0 + " + " + OUTBOX + " + p.x, " + id0 + " + " + SESSION + ", " + outId + ", " + conn + ", "
                + address + ", 'SENT', 1, " + outAt + ", NULL, NULL, " + outAt + ", " + sentAt + ", 'MESSAGE', NULL, "
                + outSeq + ", 1, " + outAt + ", NULL FROM " + pairs);
        // receipts of the IN messages still inside the dedup window
        long windowStart = Duration.between(from, now.minus(DEDUP_WINDOW)).toSeconds();
        exec(c, "INSERT INTO inbound_receipt (id, connection_id, dedup_key, received_at, expires_at)"
                + " SELECT " + id0 + " + " + RECEIPTS + " + p.x, " + conn + ", 'msg:' || " + inProviderId + ", " + inAt + ", "
                + at(from, start + " + p.x * 60 + " + DEDUP_WINDOW.toSeconds()) + " FROM " + pairs
                + " WHERE " + start + " + p.x * 60 > " + windowStart);
    }

    /** A table expression {@code alias} with one BIGINT column {@code x} running from {@code first} to {@code last}. */
    private String range(String alias, long first, long last) {
        return dialect == Dialect.POSTGRES
                ? "generate_series(CAST(" + first + " AS BIGINT), CAST(" + last + " AS BIGINT)) AS " + alias + "(x)"
                : "(SELECT X AS x FROM SYSTEM_RANGE(" + first + ", " + last + ")) " + alias;
    }

    /** {@code from} plus a number of seconds (an SQL expression), as TIMESTAMP WITH TIME ZONE. */
    private String at(OffsetDateTime from, String secondsExpr) {
        String ts = "TIMESTAMP WITH TIME ZONE '" + from.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx")) + "'";
        return dialect == Dialect.POSTGRES
                ? "(" + ts + " + (" + secondsExpr + ") * INTERVAL '1 second')"
                : "DATEADD(SECOND, " + secondsExpr + ", " + ts + ")";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "\nin: " + sql, e.getSQLState(), e.getErrorCode(), e);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
