package dev.parley.runtime.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RetentionSettingsTest {

    @Test
    void valuesAreIsoDurationsOrOff() {
        assertEquals(Duration.ofDays(14), RetentionSettings.retention("k", "P14D"));
        assertEquals(Duration.ofSeconds(2), RetentionSettings.retention("k", "PT2S"));
        assertEquals(Duration.ofHours(12), RetentionSettings.retention("k", " pt12h "));
        assertNull(RetentionSettings.retention("k", "off"));
        assertNull(RetentionSettings.retention("k", "NEVER"));
    }

    @Test
    void nonsenseZeroAndNegativeAreRefusedByName() {
        for (String bad : new String[] {"14", "14d", "", " ", "P0D", "PT0S", "-P1D", "forever"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RetentionSettings.retention("parley.retention.sessions", bad), bad);
            assertTrue(e.getMessage().contains("parley.retention.sessions"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(null, null, null, null, null, 0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(null, null, null, null, null, 10, Duration.ZERO));
    }

    /** The shipped defaults (microprofile-config.properties) are the documented ones and parse. */
    @Test
    void shippedDefaultsMatchTheConstants() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            p.load(in);
        }
        RetentionSettings d = RetentionSettings.defaults();
        assertEquals(d.connectionLog(), RetentionSettings.retention("c", p.getProperty("parley.retention.connection-log")));
        assertEquals(d.sessions(), RetentionSettings.retention("s", p.getProperty("parley.retention.sessions")));
        assertEquals(d.outbox(), RetentionSettings.retention("o", p.getProperty("parley.retention.outbox")));
        assertEquals(d.botTurns(), RetentionSettings.retention("b", p.getProperty("parley.retention.bot-turns")));
        assertEquals(d.media(), RetentionSettings.retention("m", p.getProperty("parley.retention.media")));
        assertEquals(Duration.ofDays(30), d.media());
        assertEquals(d.batchSize(), Integer.parseInt(p.getProperty("parley.retention.batch-size")));
        assertEquals(d.interval(), RetentionSettings.duration("i", p.getProperty("parley.retention.interval")));
    }
}
