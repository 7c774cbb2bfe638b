package dev.parley.hubspot;

import dev.parley.hubspot.sandbox.HubSpotSandboxConnection;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connector;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.PermanentException;
import dev.parley.spi.SandboxApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotConnectorTest {

    private static Connector connector() {
        return ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get)
                .filter(c -> c.type().equals("hubspot")).findFirst().orElseThrow();
    }

    @Test
    void registeredWithItsFields() {
        List<String> fields = connector().configFields().stream()
                .map(f -> f.name() + (f.required() ? "!" : "") + (f.secret() ? "*" : "") + "=" + f.defaultValue()).toList();
        assertEquals(List.of("access-token!*=null", "pipeline!=null", "stage!=null", "owner=null",
                "base-url=https://api.hubapi.com", "media=links", "ticket-id-property=parley_session_id",
                "create-property=true", "rate-limit=100", "daily-limit=250000"), fields);
        assertTrue(connector().configFields().stream().map(ConfigField::description).noneMatch(String::isBlank));
    }

    @Test
    void opensADeskAndASandboxOnlyForSandbox() {
        var real = connector().open(HubSpotTestContext.against("https://api.hubapi.com"));
        assertTrue(real.capability(HandoffDesk.class).isPresent());
        assertFalse(real.capability(SandboxApi.class).isPresent());
        assertFalse(real.sandbox());
        var sandbox = connector().open(HubSpotTestContext.against("sandbox"));
        assertInstanceOf(HubSpotSandboxConnection.class, sandbox);
        assertTrue(sandbox.sandbox());
        sandbox.close();
    }

    @Test
    void anAdminsCallToTheSandboxCarriesTheConnectionsTokenInsteadOfTheAdminsCredentials() {
        var sandbox = connector().open(HubSpotTestContext.against("sandbox"));
        try {
            SandboxApi api = sandbox.capability(SandboxApi.class).orElseThrow();
            var adminsHeaders = java.util.Map.of("Authorization", List.of("Basic YWRtaW46ZGVtby1hZG1pbg=="));
            assertEquals(401, api.handle("GET", "/agent/tickets", adminsHeaders, new byte[0]).status(),
                    "the admin's own credentials are no HubSpot token");
            var answer = api.handleForAdmin("GET", "/agent/tickets", adminsHeaders, new byte[0]);
            assertEquals(200, answer.status(), answer.json());
            assertTrue(answer.json().contains("\"tickets\""), answer.json());
        } finally {
            sandbox.close();
        }
    }

    @Test
    void invalidSettingsNameTheFieldNeverTheToken() {
        for (String[] bad : new String[][] {{"media", "upload"}, {"media", "files"}, {"owner", "bob"},
                {"ticket-id-property", "Parley Id"}, {"rate-limit", "0"}, {"base-url", "ftp://x"}}) {
            PermanentException e = assertThrows(PermanentException.class,
                    () -> connector().open(HubSpotTestContext.against("https://api.hubapi.com").with(bad[0], bad[1])));
            assertTrue(e.getMessage().startsWith("setting '" + bad[0] + "'"), e.getMessage());
            assertFalse(e.getMessage().contains(HubSpotTestContext.TOKEN));
        }
    }

    @Test
    void bucketNamesCarryAHashNotTheToken() {
        HubSpotSettings s = HubSpotSettings.from(HubSpotTestContext.against("https://api.hubapi.com"));
        assertEquals(16, s.tokenHash().length());
        assertFalse(s.toString().contains(HubSpotTestContext.TOKEN));
        assertFalse(s.tokenHash().contains("SECRET"));
    }
}
