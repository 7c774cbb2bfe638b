package dev.parley.hubspot;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.RateLimits;
import dev.parley.spi.RestClients;
import dev.parley.spi.util.LocalRateLimits;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
 * The ConnectionContext of the connector's unit tests: settings from a map, captured log lines, an in-memory store, a
 * settable clock, one {@link LocalRateLimits} on that clock (taken once, as the runtime's is), and real RESTEasy REST
 * clients with a short read timeout, so requests reach WireMock as HubSpot would see them.
 */
public class HubSpotTestContext implements ConnectionContext {

    public static final Instant NOW = Instant.parse("2026-01-01T00:02:00Z");
    public static final String TOKEN = "pat-eu1-SECRET-0000";

    public final Map<String, String> settings = new HashMap<>();
    public final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, String> stored = new ConcurrentHashMap<>();
    public final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    public volatile Instant now = NOW;
    public int readTimeoutMillis = 10_000;
    private final RateLimits limits = new LocalRateLimits(clock());

    public static HubSpotTestContext against(String baseUrl) {
        HubSpotTestContext c = new HubSpotTestContext();
        c.settings.put("access-token", TOKEN);
        c.settings.put("pipeline", "0");
        c.settings.put("stage", "1");
        c.settings.put("base-url", baseUrl);
        return c;
    }

    public HubSpotTestContext with(String key, String value) {
        if (value == null) settings.remove(key);
        else settings.put(key, value);
        return this;
    }

    /** A connection on the stub whose in-line waits move this context's clock instead of sleeping. */
    public HubSpotConnection connection() {
        return new HubSpotConnection(this, HubSpotSettings.from(this), d -> {
            sleeps.add(d);
            now = now.plus(d);
        });
    }

    @Override
    public String connectionId() {
        return "desk";
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
                        .connectTimeout(2, TimeUnit.SECONDS).readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                        .property("microprofile.rest.client.disable.default.mapper", true)
                        .build(api);
            }
        };
    }

    @Override
    public RateLimits rateLimits() {
        return limits;
    }

    @Override
    public ConnectionLog log() {
        return new ConnectionLog() {
            @Override public void info(String message) { logs.add("INFO " + message); }
            @Override public void warn(String message) { logs.add("WARN " + message); }
            @Override public void error(String message) { logs.add("ERROR " + message); }
        };
    }

    @Override
    public URI webhookUrl(String kind) {
        return URI.create("https://parley.example/channel/desk/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create("https://parley.example/sandbox/desk");
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
    }

    private ScheduledExecutorService scheduler;

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-scheduler");
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
            // Atomic, as the runtime's are (decided in its database).
            @Override public boolean putIfAbsent(String key, String value) { return stored.putIfAbsent(key, value) == null; }
            @Override public boolean replace(String key, String expected, String value) { return stored.replace(key, expected, value); }
            @Override public Map<String, String> all() { return Map.copyOf(stored); }
            @Override public void putSecret(String key, String value) { stored.put(key, value); }
            @Override public Optional<String> secret(String key) { return Optional.ofNullable(stored.get(key)); }
        };
    }
}
