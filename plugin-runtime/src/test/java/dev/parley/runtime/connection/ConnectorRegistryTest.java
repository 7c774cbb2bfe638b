package dev.parley.runtime.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {

    static class Alpha implements Connector {
        public String type() { return "alpha"; }
        public String description() { return "a"; }
        public List<ConfigField> configFields() { return List.of(); }
        public Connection open(ConnectionContext context) { throw new UnsupportedOperationException(); }
    }

    static class OtherAlpha extends Alpha {
    }

    @Test
    void findsConnectorsByType() {
        ConnectorRegistry r = new ConnectorRegistry(List.of(new Alpha()));
        assertTrue(r.forType("alpha").isPresent());
        assertTrue(r.forType("beta").isEmpty());
        assertEquals(List.of("alpha"), List.copyOf(r.types()));
    }

    @Test
    void twoConnectorsClaimingOneTypeIsAnErrorNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ConnectorRegistry(List.of(new Alpha(), new OtherAlpha())));
        assertTrue(e.getMessage().contains("Alpha") && e.getMessage().contains("OtherAlpha"), e.getMessage());
    }

    @Test
    void connectionIdsMustBeUrlSafe() {
        assertThrows(IllegalStateException.class, () -> new ConnectionDefinition("SMS/1", "alpha", true));
        assertEquals("sms-eu_1", new ConnectionDefinition("sms-eu_1", "alpha", true).id());
    }
}
