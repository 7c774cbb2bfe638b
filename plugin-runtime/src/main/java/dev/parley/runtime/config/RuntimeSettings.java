package dev.parley.runtime.config;

import dev.parley.runtime.engine.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runtime-wide settings ({@code parley.*} outside connections and agents), read once at start. */
@ApplicationScoped
public class RuntimeSettings {

    /** Identifies this JVM in claims and leases, so N instances can share one database. */
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

    @Inject @ConfigProperty(name = "parley.public-url")
    String publicUrl;
    @Inject @ConfigProperty(name = "parley.dedup.window-hours")
    int dedupWindowHours;
    @Inject @ConfigProperty(name = "parley.outbox.backoff-base-ms")
    long backoffBaseMs;
    @Inject @ConfigProperty(name = "parley.outbox.backoff-max-ms")
    long backoffMaxMs;
    @Inject @ConfigProperty(name = "parley.outbox.max-attempts")
    int maxAttempts;
    @Inject @ConfigProperty(name = "parley.outbox.lease-ms")
    long outboxLeaseMs;
    @Inject @ConfigProperty(name = "parley.outbox.lookup-patience-ms")
    long outboxLookupPatienceMs;
    @Inject @ConfigProperty(name = "parley.sweeper.interval-ms")
    long sweeperIntervalMs;
    @Inject @ConfigProperty(name = "parley.bot.lease-ms")
    long botLeaseMs;
    @Inject @ConfigProperty(name = "parley.http.connect-timeout-ms")
    long connectTimeoutMs;
    @Inject @ConfigProperty(name = "parley.http.read-timeout-ms")
    long readTimeoutMs;
    @Inject @ConfigProperty(name = "parley.connections.retry-max-ms")
    long connectionRetryMaxMs;

    public String instanceId() { return instanceId; }

    /** The public base URL without a trailing slash. */
    public URI publicUrl() {
        String url = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return URI.create(url);
    }

    public Duration dedupWindow() { return Duration.ofHours(dedupWindowHours); }
    public Backoff outboxBackoff() { return new Backoff(Duration.ofMillis(backoffBaseMs), Duration.ofMillis(backoffMaxMs), maxAttempts); }
    public Duration outboxLease() { return Duration.ofMillis(outboxLeaseMs); }
    public Duration outboxLookupPatience() { return Duration.ofMillis(outboxLookupPatienceMs); }
    public Duration sweeperInterval() { return Duration.ofMillis(sweeperIntervalMs); }
    public Duration botLease() { return Duration.ofMillis(botLeaseMs); }
    public Duration connectTimeout() { return Duration.ofMillis(connectTimeoutMs); }
    public Duration readTimeout() { return Duration.ofMillis(readTimeoutMs); }
    public Duration connectionRetryMax() { return Duration.ofMillis(connectionRetryMaxMs); }
}
