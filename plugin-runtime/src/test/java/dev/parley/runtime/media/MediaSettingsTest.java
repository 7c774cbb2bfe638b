package dev.parley.runtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MediaSettingsTest {

    @Test
    void theShippedDefaultsAreSixteenMegabytesAndSevenDays() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            p.load(in);
        }
        assertEquals(16L * 1024 * 1024, MediaService.maxBytes(p.getProperty("parley.media.max-bytes")));
        assertEquals(MediaService.DEFAULT_MAX_BYTES, MediaService.maxBytes(p.getProperty("parley.media.max-bytes")));
        assertEquals(Duration.ofDays(7), MediaService.linkTtl(p.getProperty("parley.media.link-ttl")));
        assertEquals(MediaService.DEFAULT_LINK_TTL, MediaService.linkTtl(p.getProperty("parley.media.link-ttl")));
        assertTrue(p.getProperty("mp.openapi.scan.packages").contains("dev.parley.runtime.media"));
    }

    @Test
    void badValuesAreRefusedByName() {
        for (String bad : new String[] {"", "16MB", "0", "-1", "1073741825", "1e6"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaService.maxBytes(bad), bad);
            assertTrue(e.getMessage().contains("parley.media.max-bytes"), e.getMessage());
        }
        assertEquals(1L << 30, MediaService.maxBytes("1073741824"));
        for (String bad : new String[] {"", "7d", "P0D", "-P1D", "week"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaService.linkTtl(bad), bad);
            assertTrue(e.getMessage().contains("parley.media.link-ttl"), e.getMessage());
        }
        assertEquals(Duration.ofHours(12), MediaService.linkTtl(" pt12h "));
    }
}
