package dev.parley.infobip;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/** A ConnectionContext for unit tests: settings from a map, log lines captured, REST clients injected. */
public class FakeContext implements ConnectionContext {

    public static final Instant NOW = Instant.parse("2024-01-01T10:00:00Z");

    public final Map<String, String> settings = new HashMap<>();
    public final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    public final Map<Class<?>, Object> clients = new HashMap<>();
    public final List<URI> clientBaseUris = new ArrayList<>();
    public String publicUrl = "https://parley.example";
    /** The clock's instant; tests move it. */
    public volatile Instant now = NOW;
    /** When true, an API without an injected fake gets a real RESTEasy MicroProfile REST Client. */
    public boolean realClients;
    private ScheduledExecutorService scheduler;

    public FakeContext() {
    }

    /** A valid connection whose base URL is {@code baseUrl} (a stub's), called through real REST clients. */
    public static FakeContext against(String baseUrl) {
        FakeContext c = valid().with("base-url", baseUrl);
        c.realClients = true;
        return c;
    }

    /** Defaults for a valid connection with basic webhook auth. */
    public static FakeContext valid() {
        FakeContext c = new FakeContext();
        c.settings.put("api-key", "sk-test-key-123456");
        c.settings.put("base-url", "acme.api.infobip.com");
        c.settings.put("sender", "Parley");
        c.settings.put("webhook-password", "hook-secret-pw");
        return c;
    }

    public FakeContext with(String key, String value) {
        if (value == null) settings.remove(key);
        else settings.put(key, value);
        return this;
    }

    public <T> FakeContext client(Class<T> api, T impl) {
        clients.put(api, impl);
        return this;
    }

    @Override
    public String connectionId() {
        return "sms1";
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
                clientBaseUris.add(baseUri);
                Object impl = clients.get(api);
                if (impl != null) return api.cast(impl);
                if (!realClients) return null;
                // As the runtime builds them: statuses come back as responses, network errors as exceptions.
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
        return URI.create(publicUrl + "/channel/sms1/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create(publicUrl + "/sandbox/sms1");
    }

    @Override
    public Clock clock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-scheduler");
            t.setDaemon(true);
            return t;
        });
        return scheduler;
    }

    public final Map<String, String> stored = new java.util.concurrent.ConcurrentHashMap<>();
    /** What {@link #media()} lends: none by default, as a host without a media store. */
    public dev.parley.spi.MediaStore media = dev.parley.spi.MediaStore.UNAVAILABLE;

    @Override
    public dev.parley.spi.MediaStore media() {
        return media;
    }

    @Override
    public dev.parley.spi.ConnectionStore store() {
        return new dev.parley.spi.ConnectionStore() {
            @Override public Optional<String> get(String key) { return Optional.ofNullable(stored.get(key)); }
            @Override public void put(String key, String value) { stored.put(key, value); }
            @Override public void remove(String key) { stored.remove(key); }
            @Override public Map<String, String> all() { return Map.copyOf(stored); }
            // No encryption here: the runtime seals secrets.
            @Override public void putSecret(String key, String value) { stored.put(key, value); }
            @Override public Optional<String> secret(String key) { return Optional.ofNullable(stored.get(key)); }
        };
    }

    public synchronized void shutdown() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    public String allLogs() {
        synchronized (logs) {
            return String.join("\n", logs);
        }
    }
}
