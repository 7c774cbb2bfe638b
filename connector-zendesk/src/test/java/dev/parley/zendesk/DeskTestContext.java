package dev.parley.zendesk;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.RestClients;
import dev.parley.zendesk.http.RateLimiter;
import dev.parley.zendesk.http.ZendeskApi;
import dev.parley.zendesk.http.ZendeskClient;
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
 * The ConnectionContext of the connector's unit tests: settings from a map, log lines captured, an in-memory
 * store, a settable clock, a daemon scheduler, and real RESTEasy REST clients (so requests reach WireMock as
 * Zendesk would see them). The messaging and sandbox tests extend it with their own defaults.
 */
public class DeskTestContext implements ConnectionContext {

    public static final Instant NOW = Instant.parse("2026-01-01T00:02:00Z");
    public static final String EMAIL = "bot@acme.com";
    public static final String TOKEN = "tok-SECRET-123";

    public final Map<String, String> settings = new HashMap<>();
    public final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    /** The connection store's values; another context may be given the same map (two instances, one database). */
    public Map<String, String> stored = new ConcurrentHashMap<>();
    public final java.util.Set<String> secretKeys = ConcurrentHashMap.newKeySet();
    public final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    public Instant now;
    private final String connectionId;
    private ScheduledExecutorService scheduler;

    public DeskTestContext() {
        this("desk", NOW);
    }

    protected DeskTestContext(String connectionId, Instant now) {
        this.connectionId = connectionId;
        this.now = now;
    }

    /** A valid connection whose base URL is the stub's. */
    public static DeskTestContext against(String baseUrl) {
        DeskTestContext c = new DeskTestContext();
        c.settings.put("subdomain", "acme");
        c.settings.put("email", EMAIL);
        c.settings.put("api-token", TOKEN);
        c.settings.put("base-url", baseUrl);
        c.settings.put("installation", "test");
        return c;
    }

    public DeskTestContext with(String key, String value) {
        if (value == null) settings.remove(key);
        else settings.put(key, value);
        return this;
    }

    public ZendeskSettings zendeskSettings() {
        return ZendeskSettings.from(this);
    }

    /** A client on the stub with a recording sleeper (no real waits). */
    public ZendeskClient client(ZendeskSettings s) {
        ZendeskApi api = restClients().create(ZendeskApi.class, s.baseUri());
        return new ZendeskClient(api, s.authorization(), new RateLimiter(1000, Duration.ofMinutes(1)), s.maxRetries(),
                sleeps::add, clock());
    }

    public static String basicAuth() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (EMAIL + "/token:" + TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String connectionId() {
        return connectionId;
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
                        .connectTimeout(5, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)
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
        return URI.create("https://parley.example/channel/" + connectionId + "/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create("https://parley.example/sandbox/" + connectionId);
    }

    /** What {@link #rateLimits()} lends; null: the SPI's default (a new JVM-local one per call). */
    public dev.parley.spi.RateLimits rateLimits;

    @Override
    public dev.parley.spi.RateLimits rateLimits() {
        return rateLimits != null ? rateLimits : dev.parley.spi.ConnectionContext.super.rateLimits();
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "test-scheduler");
            t.setDaemon(true);
            return t;
        });
        return scheduler;
    }

    public synchronized void shutdown() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    @Override
    public ConnectionStore store() {
        return new ConnectionStore() {
            @Override public Optional<String> get(String key) { return Optional.ofNullable(stored.get(key)); }
            @Override public void put(String key, String value) { stored.put(key, value); }
            @Override public void remove(String key) { stored.remove(key); }
            // Atomic, as the runtime's database makes them.
            @Override public boolean putIfAbsent(String key, String value) { return stored.putIfAbsent(key, value) == null; }
            @Override public boolean replace(String key, String expected, String value) { return stored.replace(key, expected, value); }
            @Override public boolean remove(String key, String expected) { return stored.remove(key, expected); }
            @Override public Map<String, String> all() { return Map.copyOf(stored); }
            // No encryption here (the runtime seals secrets); secretKeys records which keys went through putSecret.
            @Override public void putSecret(String key, String value) { stored.put(key, value); secretKeys.add(key); }
            @Override public Optional<String> secret(String key) { return Optional.ofNullable(stored.get(key)); }
        };
    }

    public String allLogs() {
        synchronized (logs) {
            return String.join("\n", logs);
        }
    }
}
