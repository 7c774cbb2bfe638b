package dev.parley.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextLogHandlerTest {

    /** Stands in for the server's handler on the root logger: it sees records after Parley's handler tagged them. */
    private final List<LogRecord> seen = new ArrayList<>();
    private final Handler server = new Handler() {
        @Override
        public void publish(LogRecord record) {
            seen.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger root = Logger.getLogger("");
    private final Logger outbox = Logger.getLogger("dev.parley.runtime.outbox.SomeSender");

    @BeforeEach
    void install() {
        ContextLogHandler.install();
        ContextLogHandler.install(); // twice: still one handler
        root.addHandler(server);
    }

    @AfterEach
    void uninstall() {
        root.removeHandler(server);
        ContextLogHandler.uninstall();
    }

    @Test
    void recordsLoggedInAScopeCarryTheIdsAsPrefixAndAsFields() {
        try (LogContext.Scope s = LogContext.session("sms", 42)) {
            outbox.warning("outbox entry 7 could not be dispatched");
        }
        LogRecord r = seen.get(0);
        assertEquals("[connection=sms session=42] outbox entry 7 could not be dispatched", r.getMessage());
        assertEquals(Map.of("connection", "sms", "session", "42"), r.getParameters()[0]);
        assertEquals(1, Logger.getLogger("dev.parley").getHandlers().length);
        // A plain formatter shows the prefix; the map parameter changes nothing in the text.
        assertEquals("[connection=sms session=42] outbox entry 7 could not be dispatched",
                new SimpleFormatter().formatMessage(r));
    }

    @Test
    void outsideAScopeRecordsAreUntouched() {
        outbox.info("sweeper ran");
        assertEquals("sweeper ran", seen.get(0).getMessage());
        assertNull(seen.get(0).getParameters());
    }

    @Test
    void scopesNestAndRestoreTheOuterOne() {
        try (LogContext.Scope webhook = LogContext.connection("desk")) {
            try (LogContext.Scope session = LogContext.session("sms", 9)) {
                assertEquals("[connection=sms session=9]", LogContext.current().orElseThrow().prefix());
            }
            assertEquals("[connection=desk]", LogContext.current().orElseThrow().prefix());
        }
        assertTrue(LogContext.current().isEmpty(), "a pooled thread keeps nothing");
    }

    @Test
    void parametersOfTheRecordStayFirstAndPlaceholdersStillWork() {
        try (LogContext.Scope s = LogContext.connection("wa")) {
            outbox.log(Level.INFO, "sent {0} of {1}", new Object[] {3, 4});
        }
        LogRecord r = seen.get(0);
        assertEquals(3, r.getParameters()[0]);
        assertEquals(4, r.getParameters()[1]);
        assertEquals(Map.of("connection", "wa"), r.getParameters()[2]);
        assertEquals("[connection=wa] sent 3 of 4", new SimpleFormatter().formatMessage(r));
    }

    @Test
    void aMessageWithAPlaceholderButNoParametersGetsNoneItWouldBeFormattedWith() {
        try (LogContext.Scope s = LogContext.connection("wa")) {
            outbox.info("provider answered {0: broken}");
        }
        LogRecord r = seen.get(0);
        assertNull(r.getParameters(), "formatters would run MessageFormat over it");
        assertEquals("[connection=wa] provider answered {0: broken}", new SimpleFormatter().formatMessage(r));
    }

    @Test
    void aRecordIsTaggedOnce() {
        LogRecord r = new LogRecord(Level.INFO, "x");
        ContextLogHandler.tag(r, new LogContext.Ids("sms", 1L));
        ContextLogHandler.tag(r, new LogContext.Ids("sms", 1L));
        assertEquals("[connection=sms session=1] x", r.getMessage());
        assertArrayEquals(new Object[] {Map.of("connection", "sms", "session", "1")}, r.getParameters());
    }
}
