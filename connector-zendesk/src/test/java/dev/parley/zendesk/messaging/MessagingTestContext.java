package dev.parley.zendesk.messaging;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.RestClients;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
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
import java.util.concurrent.TimeUnit;

/**
 * A ConnectionContext for the Help Center, assist and messaging unit tests: settings from a map, captured
 * log lines, an in-memory store, a settable clock, and real RESTEasy MicroProfile REST clients (as the
 * runtime builds them: the default exception mapper off, so every status comes back as a Response).
 */
public class MessagingTestContext implements ConnectionContext {

    public static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    public final Map<String, String> settings = new HashMap<>();
    public final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, String> stored = new ConcurrentHashMap<>();
    public Instant now = START;
    private ScheduledExecutorService scheduler;

    /** Zendesk Support settings pointing at {@code baseUrl} (the WireMock server). */
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

    public MessagingTestContext with(String key, String value) {
        if (value == null) settings.remove(key);
        else settings.put(key, value);
        return this;
    }

    @Override
    public String connectionId() {
        return "zd1";
    }

    @Override
    public ConnectionConfig config() {
        return field -> Optional.ofNullable(settings.get(field)).filter(v -> !v.isBlank());
    }

    @Override
    public RestClients restClients() {
        return new RestClients() {
            @Override
            public <T> T create(Class<T> api, URI baseUri) {
                return RestClientBuilder.newBuilder().baseUri(baseUri)
                        .connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)
                        .property("microprofile.rest.client.disable.default.mapper", true)
                        .build(api);
            }
        };
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
        return URI.create("https://parley.example/channel/zd1/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create("https://parley.example/sandbox/zd1");
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newSingleThreadScheduledExecutor();
        return scheduler;
    }

    @Override
    public ConnectionStore store() {
        return new ConnectionStore() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(stored.get(key));
            }

            @Override
            public void put(String key, String value) {
                stored.put(key, value);
            }

            @Override
            public void remove(String key) {
                stored.remove(key);
            }

            @Override
            public Map<String, String> all() {
                return Map.copyOf(stored);
            }
        };
    }

    public String allLogs() {
        synchronized (logs) {
            return String.join("\n", logs);
        }
    }
}
