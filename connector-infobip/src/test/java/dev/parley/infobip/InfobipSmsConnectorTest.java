package dev.parley.infobip;

import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.sms.FakeApi;
import dev.parley.infobip.sms.SmsSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.Connector;
import dev.parley.spi.PermanentException;
import dev.parley.spi.SandboxApi;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfobipSmsConnectorTest {

    private final InfobipSmsConnector connector = new InfobipSmsConnector();

    private Connection open(FakeContext ctx) {
        FakeApi api = new FakeApi(); // no answers queued: any provider call fails the test
        api.into(ctx);
        Connection c = connector.open(ctx);
        assertTrue(api.calls.isEmpty(), "open() must not call the provider");
        return c;
    }

    @Test
    void registeredWithServiceLoader() {
        assertTrue(ServiceLoader.load(Connector.class).stream()
                .anyMatch(p -> p.type() == InfobipSmsConnector.class));
        assertEquals("infobip-sms", connector.type());
    }

    @Test
    void declaresTheContractFields() {
        List<ConfigField> fields = connector.configFields();
        assertEquals(List.of("api-key", "base-url", "sender", "webhook-auth", "webhook-username", "webhook-password",
                "env.INFOBIP_SHORT_DOMAIN", "link-tracking"), fields.stream().map(ConfigField::name).toList());
        ConfigField apiKey = fields.get(0);
        assertTrue(apiKey.required() && apiKey.secret());
        ConfigField password = fields.get(5);
        assertTrue(password.secret() && !password.required());
        assertEquals("basic", fields.get(3).defaultValue());
        assertEquals("infobip", fields.get(4).defaultValue());
        assertEquals("true", fields.get(7).defaultValue());
    }

    @Test
    void opensARealConnection() {
        FakeContext ctx = FakeContext.valid();
        Connection c = open(ctx);
        assertFalse(c.sandbox());
        assertFalse(c instanceof SandboxApi);
        assertTrue(c.capability(SandboxApi.class).isEmpty());
        // The account API and the SMS API, both at the account's host.
        assertEquals(List.of(URI.create("https://acme.api.infobip.com"), URI.create("https://acme.api.infobip.com")),
                ctx.clientBaseUris);
        assertFalse(ctx.allLogs().contains("INSECURE"));
    }

    @Test
    void baseUrlForms() {
        assertEquals(URI.create("https://acme.api.infobip.com"), InfobipAccess.baseUri("acme.api.infobip.com/"));
        assertEquals(URI.create("https://acme.api.infobip.com"), InfobipAccess.baseUri(" https://acme.api.infobip.com// "));
        assertEquals(URI.create("http://localhost:8089"), InfobipAccess.baseUri("http://localhost:8089"));
        for (String bad : List.of("ftp://acme.api.infobip.com", "https://", "acme.api.infobip.com?x=1", "a b")) {
            PermanentException e = assertThrows(PermanentException.class, () -> InfobipAccess.baseUri(bad), bad);
            assertTrue(e.getMessage().contains("'base-url'"), e.getMessage());
        }
    }

    @Test
    void sandboxMode() {
        FakeContext ctx = FakeContext.valid().with("base-url", "sandbox");
        Connection c = open(ctx);
        assertTrue(c.sandbox());
        assertTrue(c.capability(SandboxApi.class).isPresent());
        assertEquals(List.of(ctx.sandboxUrl(), ctx.sandboxUrl()), ctx.clientBaseUris);
        assertTrue(ctx.allLogs().contains("SANDBOX"), ctx.allLogs());
        c.close();
        c.close(); // idempotent
    }

    @Test
    void badWebhookAuthNamesTheField() {
        PermanentException e = assertThrows(PermanentException.class,
                () -> open(FakeContext.valid().with("webhook-auth", "hmac")));
        assertTrue(e.getMessage().contains("'webhook-auth'"), e.getMessage());
    }

    @Test
    void missingWebhookPassword() {
        PermanentException e = assertThrows(PermanentException.class,
                () -> open(FakeContext.valid().with("webhook-password", null)));
        assertEquals("missing setting 'webhook-password' (required unless webhook-auth=none)", e.getMessage());
    }

    @Test
    void webhookAuthNoneWarnsInsecure() {
        FakeContext ctx = FakeContext.valid().with("webhook-password", null).with("webhook-auth", "none");
        open(ctx);
        assertTrue(ctx.logs.stream().anyMatch(l -> l.startsWith("WARN INSECURE")), ctx.allLogs());
    }

    @Test
    void badLinkTrackingNamesTheField() {
        PermanentException e = assertThrows(PermanentException.class,
                () -> open(FakeContext.valid().with("link-tracking", "maybe")));
        assertTrue(e.getMessage().contains("'link-tracking'"), e.getMessage());
    }

    @Test
    void apiKeyWithLineBreakIsRefusedWithoutEchoingIt() {
        PermanentException e = assertThrows(PermanentException.class,
                () -> open(FakeContext.valid().with("api-key", "abc\r\nX-Evil: 1")));
        assertTrue(e.getMessage().contains("'api-key'"));
        assertFalse(e.getMessage().contains("abc"));
    }

    @Test
    void usernameWithColonRefused() {
        assertThrows(PermanentException.class, () -> open(FakeContext.valid().with("webhook-username", "a:b")));
    }

    @Test
    void settingsToStringMasksSecrets() {
        String s = SmsSettings.from(FakeContext.valid()).toString();
        assertFalse(s.contains("sk-test-key-123456"));
        assertFalse(s.contains("hook-secret-pw"));
    }
}
