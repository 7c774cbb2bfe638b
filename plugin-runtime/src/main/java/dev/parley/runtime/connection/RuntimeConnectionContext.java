package dev.parley.runtime.connection;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionLog;
import dev.parley.spi.MediaStore;
import dev.parley.spi.RateLimits;
import dev.parley.spi.RestClients;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the runtime lends one started connection. */
final class RuntimeConnectionContext implements ConnectionContext {

    private final String id;
    private final Map<String, String> values;
    private final RestClients restClients;
    private final ConnectionLogService logs;
    private final URI publicUrl;
    private final ScheduledExecutorService scheduler;
    private final dev.parley.spi.ConnectionStore store;
    private final MediaStore media;
    private final RateLimits rateLimits;

    RuntimeConnectionContext(String id, Map<String, String> values, RestClients restClients,
                             ConnectionLogService logs, URI publicUrl, ScheduledExecutorService scheduler,
                             dev.parley.spi.ConnectionStore store, MediaStore media, RateLimits rateLimits) {
        this.id = id;
        this.values = Map.copyOf(values);
        this.restClients = restClients;
        this.logs = logs;
        this.publicUrl = publicUrl;
        this.scheduler = scheduler;
        this.store = store;
        this.media = media;
        this.rateLimits = rateLimits;
    }

    @Override public String connectionId() { return id; }

    @Override
    public ConnectionConfig config() {
        return field -> Optional.ofNullable(values.get(field)).filter(v -> !v.isBlank());
    }

    @Override public RestClients restClients() { return restClients; }

    @Override
    public ConnectionLog log() {
        return new ConnectionLog() {
            @Override public void info(String message) { logs.append(id, "INFO", message); }
            @Override public void warn(String message) { logs.append(id, "WARN", message); }
            @Override public void error(String message) { logs.append(id, "ERROR", message); }
        };
    }

    @Override
    public URI webhookUrl(String kind) {
        return URI.create(publicUrl + "/channel/" + id + "/webhook/" + kind);
    }

    @Override
    public URI sandboxUrl() {
        return URI.create(publicUrl + "/sandbox/" + id);
    }

    @Override public Clock clock() { return Clock.systemUTC(); }

    @Override public ScheduledExecutorService scheduler() { return scheduler; }

    @Override public dev.parley.spi.ConnectionStore store() { return store; }

    @Override public MediaStore media() { return media; }

    /** One budget per bucket for every instance on the database (the runtime's shared rate limits). */
    @Override public RateLimits rateLimits() { return rateLimits; }
}
