package dev.parley.zendesk.sandbox;

import dev.parley.zendesk.DeskTestContext;

import java.time.Instant;

/** The tests' context with a sandbox connection's settings (connection {@code desk1}, a fixed clock). */
class SandboxTestContext extends DeskTestContext {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String EMAIL = "bot@acme.example";
    static final String TOKEN = "sandbox-token-123";

    SandboxTestContext() {
        this(NOW);
    }

    /** The same at another time (a stand-in started later). */
    SandboxTestContext(Instant now) {
        super("desk1", now);
        settings.putAll(java.util.Map.of("subdomain", "acme", "email", EMAIL, "api-token", TOKEN, "base-url", "sandbox",
                "installation", "demo"));
    }
}
