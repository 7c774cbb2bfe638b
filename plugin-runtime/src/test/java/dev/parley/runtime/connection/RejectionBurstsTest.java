package dev.parley.runtime.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionBurstsTest {

    private final Instant t0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aStormIsOneRowWithTheCountAndTheLastReason() {
        RejectionBursts b = new RejectionBursts(Duration.ofSeconds(60), Duration.ofSeconds(5));
        RejectionBursts.Write first = b.record("sms", "401: missing credentials", t0);
        assertTrue(first.insert());
        assertEquals("401: missing credentials", first.text());
        int writes = 0;
        for (int i = 1; i < 1000; i++) {
            RejectionBursts.Write w = b.record("sms", "401: wrong password " + i, t0.plusMillis(i * 10L));
            if (w != null) {
                assertTrue(!w.insert(), "never a second row within a burst");
                writes++;
            }
        }
        assertEquals(1, writes, "one rewrite in 10 s at most every 5 s (the second falls due at 10 s)");
        List<RejectionBursts.Write> flushed = b.flush(t0.plusSeconds(11));
        assertEquals(1, flushed.size());
        assertTrue(flushed.get(0).text().startsWith("401: wrong password 999 [rejected 1000 times from 2026-11-30T10:00:00Z"),
                flushed.get(0).text());
        assertEquals(List.of(), b.flush(t0.plusSeconds(12)), "nothing new to write");
    }

    @Test
    void aQuietMinuteEndsTheBurstAndConnectionsAreSeparate() {
        RejectionBursts b = new RejectionBursts(Duration.ofSeconds(60), Duration.ofSeconds(5));
        assertTrue(b.record("sms", "a", t0).insert());
        assertTrue(b.record("desk", "b", t0).insert(), "another connection has its own burst");
        assertNull(b.record("sms", "c", t0.plusSeconds(1)));
        b.flush(t0.plusSeconds(120));
        RejectionBursts.Write again = b.record("sms", "d", t0.plusSeconds(121));
        assertNotNull(again);
        assertTrue(again.insert(), "a new burst, a new row");
    }
}
