package dev.parley.runtime.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.persistence.SchemaMigration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a purge run deletes and keeps, on a real H2 2.2 migrated by the real migrations (V1..V6). The SQL is the
 * Purger's own, so this is also the check that it runs on H2.
 */
class PurgerTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime OLD = NOW.minusDays(200);
    static final OffsetDateTime RECENT = NOW.minusHours(1);
    static final AtomicLong DB = new AtomicLong();

    DataSource ds;
    long nextId = 1;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:purger" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds = h2;
        SchemaMigration.migrate(ds);
    }

    // ---- connection log, outbox, bot turns -------------------------------------------------------------

    @Test
    void oldConnectionLogLinesGoRecentOnesStay() {
        long old = log(OLD);
        long recent = log(RECENT);
        run(RetentionSettings.defaults());
        assertEquals(Set.of(recent), ids("connection_log"));
        assertFalse(ids("connection_log").contains(old));
    }

    @Test
    void onlyFinishedOutboxEntriesPastTheirRetentionGo() {
        long s = session("BOT", OLD);
        long m = message(s, OLD);
        long sent = outbox(s, m, "SENT", OLD);
        long failed = outbox(s, m, "FAILED", OLD);
        long pending = outbox(s, m, "PENDING", OLD);
        long sending = outbox(s, m, "SENDING", OLD);
        long sentRecently = outbox(s, m, "SENT", RECENT);
        run(RetentionSettings.defaults());
        assertEquals(new TreeSet<>(Set.of(pending, sending, sentRecently)), ids("outbox_entry"));
        assertFalse(ids("outbox_entry").contains(sent) || ids("outbox_entry").contains(failed));
        assertEquals(Set.of(s), ids("chat_session"), "an open session is never deleted");
    }

    @Test
    void finishedTurnsGoButAPendingOneAndTheSessionsFirstFinishedTurnStay() {
        long s = session("BOT", RECENT);
        long first = turn(s, message(s, OLD), "DONE", OLD);
        long second = turn(s, message(s, OLD), "FAILED", OLD);
        long third = turn(s, message(s, OLD), "DONE", OLD);
        long pending = turn(s, message(s, OLD), "PENDING", OLD);
        long recent = turn(s, message(s, RECENT), "DONE", RECENT);
        run(RetentionSettings.defaults());
        // The bot is told "first turn" when no finished turn has a smaller id: keeping the first keeps that answer.
        assertEquals(new TreeSet<>(Set.of(first, pending, recent)), ids("bot_turn"));
        assertFalse(ids("bot_turn").contains(second) || ids("bot_turn").contains(third));
        assertEquals(5, ids("chat_message").size(), "an open session's messages stay");
    }

    // ---- sessions -----------------------------------------------------------------------------------------

    @Test
    void anEndedIdleSessionGoesWithEverythingItHolds() {
        long s = session("RESOLVED", OLD);
        long in = message(s, OLD);
        long out = message(s, OLD);
        turn(s, in, "DONE", OLD);
        outbox(s, out, "SENT", OLD);
        event(s, OLD);
        event(s, OLD);
        handoff(s, "CLOSED", OLD);
        long closed = session("CLOSED", OLD);
        message(closed, OLD);
        run(RetentionSettings.defaults());
        for (String table : List.of("chat_session", "chat_message", "session_event", "bot_turn", "outbox_entry", "handoff")) {
            assertEquals(Set.of(), ids(table), table);
        }
        assertEquals(2, count("contact"), "contacts are not this purge's business");
    }

    @Test
    void sessionsWithUnfinishedWorkOrRecentActivityOrStillOpenStay() {
        long open = session("BOT", OLD);
        long handedOff = session("HANDED_OFF", OLD);
        long pendingSend = session("CLOSED", OLD);
        outbox(pendingSend, message(pendingSend, OLD), "PENDING", OLD);
        long sending = session("CLOSED", OLD);
        outbox(sending, message(sending, OLD), "SENDING", OLD);
        long pendingTurn = session("RESOLVED", OLD);
        turn(pendingTurn, message(pendingTurn, OLD), "PENDING", OLD);
        long openHandoff = session("RESOLVED", OLD);
        handoff(openHandoff, "OPEN", OLD);
        long lateEvent = session("RESOLVED", OLD);
        event(lateEvent, NOW.minusDays(1));
        long lateStatus = session("RESOLVED", OLD);
        message(lateStatus, NOW.minusDays(1));
        long endedRecently = session("RESOLVED", NOW.minusDays(89));
        long gone = session("RESOLVED", NOW.minusDays(91));

        run(RetentionSettings.defaults());
        assertEquals(new TreeSet<>(Set.of(open, handedOff, pendingSend, sending, pendingTurn, openHandoff, lateEvent,
                lateStatus, endedRecently)), ids("chat_session"));
        assertFalse(ids("chat_session").contains(gone));
        assertEquals(1, count("outbox_entry WHERE state = 'PENDING'"));
        assertEquals(1, count("outbox_entry WHERE state = 'SENDING'"));
        assertEquals(1, count("bot_turn WHERE state = 'PENDING'"));
        assertEquals(1, count("handoff WHERE state = 'OPEN'"));
        assertEquals(4, count("chat_message"), "the messages of the kept sessions stay");
    }

    // ---- batches ------------------------------------------------------------------------------------------

    @Test
    void aRunDeletesAtMostOneBatchPerTableAndSaysWhenMoreIsWaiting() {
        for (int i = 0; i < 5; i++) {
            log(OLD);
        }
        RetentionSettings two = new RetentionSettings(Duration.ofDays(14), null, null, null, null, 2, Duration.ofMinutes(1));
        Purger.Outcome first = run(two);
        assertEquals(2, first.deleted().get("connection_log"));
        assertTrue(first.backlog());
        assertEquals(3, count("connection_log"));
        run(two);
        Purger.Outcome third = run(two);
        assertEquals(1, third.deleted().get("connection_log"));
        assertFalse(third.backlog());
        assertEquals(0, count("connection_log"));
    }

    @Test
    void aBigSessionIsDeletedOverSeveralRunsChildrenFirst() {
        long s = session("CLOSED", OLD);
        for (int i = 0; i < 12; i++) {
            long m = message(s, OLD);
            event(s, OLD);
            outbox(s, m, "SENT", OLD);
        }
        RetentionSettings five = new RetentionSettings(null, Duration.ofDays(90), null, null, null, 5, Duration.ofMinutes(1));
        int runs = 0;
        while (!ids("chat_session").isEmpty()) {
            Purger.Outcome o = run(five);
            assertTrue(o.failures().isEmpty(), o.failures().toString());
            o.deleted().forEach((table, n) -> assertTrue(n <= 5, table + " " + n));
            assertTrue(++runs <= 4, "the session should be gone after 3 runs");
        }
        assertEquals(3, runs);
        assertEquals(0, count("chat_message") + count("session_event") + count("outbox_entry"));
    }

    @Test
    void offKeepsEverything() {
        long s = session("RESOLVED", OLD);
        outbox(s, message(s, OLD), "SENT", OLD);
        log(OLD);
        Purger.Outcome o = run(new RetentionSettings(null, null, null, null, null, 500, Duration.ofMinutes(1)));
        assertEquals(0, o.total());
        assertEquals(1, count("connection_log"));
        assertEquals(1, count("chat_session"));
        assertEquals(1, count("outbox_entry"));
    }

    // ---- rate limits -------------------------------------------------------------------------------------

    @Test
    void rateLimitTakesOlderThanTwoDaysGoWhateverTheSettings() {
        exec("INSERT INTO rate_take (bucket, taken_at) VALUES (?, ?)", "zendesk:gone", NOW.minusDays(2).minusSeconds(1));
        exec("INSERT INTO rate_take (bucket, taken_at) VALUES (?, ?)", "zendesk:acme", NOW.minusDays(1));
        RetentionSettings keepAll = new RetentionSettings(null, null, null, null, null, 50, Duration.ofMinutes(1));
        assertEquals(1, run(keepAll).deleted().get("rate_take"));
        assertEquals(1, count("rate_take"), "a take within the longest window (a day) stays");
    }

    // ---- media --------------------------------------------------------------------------------------------

    @Test
    void storedMediaGoesAfterItsRetentionInBatchesOfATenth() {
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            old.add(media(NOW.minusDays(31)));
        }
        String recent = media(NOW.minusDays(29));
        RetentionSettings tenPerRun = new RetentionSettings(null, null, null, null, Duration.ofDays(30), 50, Duration.ofMinutes(1));
        assertEquals(5, tenPerRun.mediaBatchSize());
        Purger.Outcome first = run(tenPerRun);
        assertEquals(5, first.deleted().get("stored_media"));
        assertTrue(first.backlog(), "a full media batch: more is waiting");
        run(tenPerRun);
        Purger.Outcome third = run(tenPerRun);
        assertEquals(2, third.deleted().get("stored_media"));
        assertFalse(third.backlog());
        assertEquals(List.of(recent), mediaIds());
        assertEquals(50, RetentionSettings.defaults().mediaBatchSize(), "500 / 10 by default");
    }

    @Test
    void mediaOffKeepsItAndTheDefaultIsThirtyDays() {
        String kept = media(OLD);
        run(new RetentionSettings(null, null, null, null, null, 500, Duration.ofMinutes(1)));
        assertEquals(List.of(kept), mediaIds());
        assertEquals(Duration.ofDays(30), RetentionSettings.defaults().media());
        run(RetentionSettings.defaults());
        assertEquals(List.of(), mediaIds());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    String media(OffsetDateTime at) {
        String id = java.util.UUID.randomUUID().toString();
        exec("INSERT INTO stored_media (id, connection_id, key_hash, media_key, content_type, size_bytes, sha256, content, "
                + "created_at) VALUES (?, 'wa', ?, ?, 'image/png', 3, 'x', ?, ?)", id, id, "key-" + id, new byte[] {1, 2, 3}, at);
        return id;
    }

    List<String> mediaIds() {
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM stored_media");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    Purger.Outcome run(RetentionSettings settings) {
        Purger.Outcome o = new Purger(settings, new JdbcTransactions(ds)).run(NOW);
        assertTrue(o.failures().isEmpty(), () -> o.failures().toString());
        return o;
    }

    long log(OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO connection_log (id, connection_id, logged_at, severity, entry) VALUES (?, 'sms', ?, 'INFO', 'x')", id, at);
        return id;
    }

    long session(String state, OffsetDateTime updatedAt) {
        long contact = nextId++;
        exec("INSERT INTO contact (id, address, created_at) VALUES (?, ?, ?)", contact, "+" + contact, updatedAt);
        long id = nextId++;
        exec("INSERT INTO chat_session (id, session_key, connection_id, contact_id, agent_id, state, created_at, updated_at) "
                + "VALUES (?, ?, 'sms', ?, 'it', ?, ?, ?)", id, "sms|+" + contact + "#" + id, contact, state, updatedAt, updatedAt);
        return id;
    }

    long message(long session, OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO chat_message (id, seq, session_id, connection_id, direction, body, reference, created_at, updated_at) "
                + "VALUES (?, ?, ?, 'sms', 'IN', 'hi', ?, ?, ?)", id, id, session, "ref" + id, at, at);
        return id;
    }

    long event(long session, OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO session_event (id, seq, session_id, occurred_at, kind) VALUES (?, ?, ?, ?, 'MESSAGE_IN')", id, id, session, at);
        return id;
    }

    long turn(long session, long message, String state, OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO bot_turn (id, seq, session_id, message_id, state, attempts, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
                id, id, session, message, state, at);
        return id;
    }

    long outbox(long session, long message, String state, OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO outbox_entry (id, seq, session_id, message_id, connection_id, recipient, state, attempts, "
                + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'sms', '+1', ?, 1, ?, ?, ?)",
                id, id, session, message, state, at, at, at);
        return id;
    }

    long handoff(long session, String state, OffsetDateTime at) {
        long id = nextId++;
        exec("INSERT INTO handoff (id, session_id, agent_id, desk_connection_id, open_key, state, reason, sentiment, "
                + "created_at, updated_at) VALUES (?, ?, 'it', 'desk', ?, ?, 'asked', 'NEUTRAL', ?, ?)",
                id, session, "OPEN".equals(state) ? session : null, state, at, at);
        return id;
    }

    Set<Long> ids(String table) {
        List<Long> found = new JdbcTransactions(ds).inTransaction(sql -> sql.ids("SELECT id FROM " + table));
        return new TreeSet<>(found);
    }

    int count(String tableAndCondition) {
        return new JdbcTransactions(ds).inTransaction(sql -> sql.ids("SELECT COUNT(*) FROM " + tableAndCondition)).get(0).intValue();
    }

    void exec(String sql, Object... params) {
        new JdbcTransactions(ds).inTransaction(s -> s.update(sql, params));
    }

    /** {@link Sql.Transactions} over plain JDBC: one connection and commit per unit of work. */
    static final class JdbcTransactions implements Sql.Transactions {
        private final DataSource ds;

        JdbcTransactions(DataSource ds) {
            this.ds = ds;
        }

        @Override
        public <T> T inTransaction(Function<Sql, T> work) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.apply(new Sql() {
                        @Override
                        public List<Long> ids(String sql, Object... params) {
                            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                                List<Long> ids = new ArrayList<>();
                                while (rs.next()) {
                                    ids.add(rs.getLong(1));
                                }
                                return ids;
                            } catch (SQLException e) {
                                throw new IllegalStateException(sql, e);
                            }
                        }

                        @Override
                        public int update(String sql, Object... params) {
                            try (PreparedStatement ps = prepare(c, sql, params)) {
                                return ps.executeUpdate();
                            } catch (SQLException e) {
                                throw new IllegalStateException(sql, e);
                            }
                        }
                    });
                    c.commit();
                    return result;
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        }
    }
}
