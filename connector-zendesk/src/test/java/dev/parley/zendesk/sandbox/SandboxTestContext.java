package dev.parley.zendesk.sandbox;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.RestClients;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A ConnectionContext for the sandbox's unit tests: a sandbox connection's settings, captured log, fixed clock. */
class SandboxTestContext implements ConnectionContext {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String EMAIL = "bot@acme.example";
    static final String TOKEN = "sandbox-token-123";

    final Map<String, String> settings = new HashMap<>(Map.of(
            "subdomain", "acme", "email", EMAIL, "api-token", TOKEN, "base-url", "sandbox", "installation", "demo"));
    final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> stored = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    @Override
    public String connectionId() {
        return "desk1";
    }

    @Override
    public ConnectionConfig config() {
        return field -> Optional.ofNullable(settings.get(field)).filter(v -> !v.isBlank());
    }

    @Override
    public RestClients restClients() {
        throw new UnsupportedOperationException("the sandbox makes no REST client calls");
    }

    @Override
    public ConnectionLog log() {
        return new ConnectionLog() {
            @Override
            public void info(String message) {
                logs.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                logs.add("WARN " + message);
            }

            @Override
            public void error(String message) {
                logs.add("ERROR " + message);
            }
        };
    }

    @Override
    public URI webhookUrl(String kind) {
        return URI.create("https://parley.example/channel/desk1/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create("https://parley.example/sandbox/desk1");
    }

    @Override
    public Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox-test-scheduler");
            t.setDaemon(true);
            return t;
        });
        return scheduler;
    }

    @Override
    public ConnectionStore store() {
        return new ConnectionStore() {
            @Override public Optional<String> get(String key) { return Optional.ofNullable(stored.get(key)); }
            @Override public void put(String key, String value) { stored.put(key, value); }
            @Override public void remove(String key) { stored.remove(key); }
            @Override public Map<String, String> all() { return Map.copyOf(stored); }
        };
    }

    synchronized void shutdown() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    String allLogs() {
        synchronized (logs) {
            return String.join("\n", logs);
        }
    }
}
