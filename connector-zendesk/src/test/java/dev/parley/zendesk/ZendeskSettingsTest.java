package dev.parley.zendesk;

import dev.parley.spi.PermanentException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskSettingsTest {

    @Test
    void aSubdomainIsJustTheSubdomain() {
        assertEquals("acme", ZendeskSettings.subdomain(" Acme "));
        assertEquals("acme-eu2", ZendeskSettings.subdomain("acme-eu2"));
    }

    @Test
    void aHostOrUrlIsRefusedWithWhatToEnter() {
        PermanentException host = assertThrows(PermanentException.class, () -> ZendeskSettings.subdomain("acme.zendesk.com"));
        assertTrue(host.getMessage().contains("'acme'"), host.getMessage());
        assertTrue(host.getMessage().contains("not a host or URL"), host.getMessage());
        PermanentException url = assertThrows(PermanentException.class, () -> ZendeskSettings.subdomain("https://acme.zendesk.com/agent"));
        assertTrue(url.getMessage().contains("e.g. 'acme'"), url.getMessage());
        assertThrows(PermanentException.class, () -> ZendeskSettings.subdomain("ac me"));
    }

    @Test
    void customFieldsMapNamesToFieldIds() {
        assertEquals(Map.of("order_number", 360001234567L, "product", 42L),
                ZendeskSettings.customFields("order_number=360001234567, product = 42,"));
        PermanentException e = assertThrows(PermanentException.class, () -> ZendeskSettings.customFields("order_number=abc"));
        assertTrue(e.getMessage().contains("order_number=abc"), e.getMessage());
        assertTrue(ZendeskSettings.customFields("").isEmpty());
    }

    @Test
    void theSyncRunsHourlyOrDaily() {
        assertEquals(Duration.ofHours(1), ZendeskSettings.interval("hourly"));
        assertEquals(Duration.ofDays(1), ZendeskSettings.interval("Daily"));
        assertThrows(PermanentException.class, () -> ZendeskSettings.interval("weekly"));
    }

    @Test
    void theSettingsNeverPrintTheirSecrets() {
        ZendeskSettings s = new ZendeskSettings("acme", "bot@acme.com", "tok-secret-123", "hook-secret-456",
                java.net.URI.create("https://acme.zendesk.com"), false, "parley_", Map.of(), true, Duration.ofHours(1), 200,
                Duration.ofSeconds(60), 3, Duration.ofMinutes(5), "abc", false, false, java.util.Set.of());
        assertFalse(s.toString().contains("tok-secret-123") || s.toString().contains("hook-secret-456"), s.toString());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("bot@acme.com/token:tok-secret-123".getBytes()),
                s.authorization());
        assertEquals("parley_i_abc", s.installationTag());
    }
}
