package dev.parley.zendesk.messaging;

import dev.parley.zendesk.DeskTestContext;

import java.time.Instant;

/** The tests' context with a messaging connection's settings (connection {@code zd1}, Sunshine at {@code /sc}). */
public class MessagingTestContext extends DeskTestContext {

    public static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private MessagingTestContext() {
        super("zd1", START);
    }

    /** Zendesk Support settings pointing at {@code baseUrl} (the WireMock server), no retries. */
    public static MessagingTestContext zendesk(String baseUrl) {
        MessagingTestContext c = new MessagingTestContext();
        c.settings.put("subdomain", "acme");
        c.settings.put("email", "bot@acme.com");
        c.settings.put("api-token", "zd-token-SECRET-123");
        c.settings.put("base-url", baseUrl);
        c.settings.put("installation", "test");
        c.settings.put("max-retries", "0");
        return c;
    }

    /** Plus the messaging fields, Sunshine at {@code baseUrl + "/sc"}. */
    public static MessagingTestContext messaging(String baseUrl) {
        MessagingTestContext c = zendesk(baseUrl);
        c.settings.put("app-id", "app123");
        c.settings.put("key-id", "app_key456");
        c.settings.put("key-secret", "sc-secret-SECRET-789");
        c.settings.put("messaging-webhook-secret", "hook-SECRET-abc");
        c.settings.put("messaging-base-url", baseUrl + "/sc");
        return c;
    }

    @Override
    public MessagingTestContext with(String key, String value) {
        super.with(key, value);
        return this;
    }
}
