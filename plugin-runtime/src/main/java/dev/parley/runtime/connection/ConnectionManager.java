package dev.parley.runtime.connection;

import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.Connector;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;

/**
 * The lifecycle of this JVM's connections: STOPPED -> STARTING -> RUNNING, or ERROR with the reason.
 * Settings are read from MicroProfile Config at every start, so changed credentials take effect on
 * stop + start. A start that fails for a retryable reason (provider unreachable) is retried with
 * backoff; a permanent failure (bad key, missing field) waits for an operator.
 */
@ApplicationScoped
public class ConnectionManager {

    @Inject
    Config config;
    @Inject
    RuntimeSettings settings;
    @Inject
    ConnectionLogService logs;
    @Inject
    ConnectionStateStore stateStore;
    @Inject
    dev.parley.runtime.secrets.SecretsKeys secretsKeys;
    @Inject
    dev.parley.runtime.media.MediaService media;
    @Inject
    dev.parley.runtime.ratelimit.SharedRateLimits rateLimits;
    @Resource
    ManagedScheduledExecutorService scheduler;
    @Inject
    jakarta.enterprise.event.Event<ConnectionStarted> started;
    @Inject
    dev.parley.runtime.metrics.ParleyMetrics metrics;

    static final String NOT_STARTED = "not started";
    private final Map<String, ManagedConnection> connections = new TreeMap<>();
    private ConnectorRegistry registry;
    private RestClientsFactory restClients;

    /** Reads the configured connections; called once at start-up. */
    public synchronized void load(ConnectorRegistry connectors) {
        this.registry = connectors;
        this.restClients = new RestClientsFactory(settings.connectTimeout(), settings.readTimeout());
        for (String id : ConfigScanner.ids(config, "connection", "type")) {
            String type = config.getValue(ConnectionDefinition.property(id, "type"), String.class).trim();
            boolean enabled = config.getOptionalValue(ConnectionDefinition.property(id, "enabled"), Boolean.class)
                    .orElse(true);
            ConnectionDefinition definition = new ConnectionDefinition(id, type, enabled);
            connections.put(id, new ManagedConnection(definition, connectors.forType(type).orElse(null)));
            metrics.watch(id);
        }
    }

    /** Starts every enabled connection in the background (the sandbox needs the server to be serving). */
    public void startAllLater(Duration delay) {
        for (ManagedConnection c : list()) {
            if (c.enabled()) {
                scheduler.schedule(() -> start(c.id()), delay.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                c.moveTo(ConnectionState.STOPPED, "disabled (parley.connection." + c.id() + ".enabled=false)");
            }
        }
    }

    /**
     * Starts enabled connections whose first start never ran: Payara silently drops managed tasks that
     * come due while the application is still deploying (seen on Payara Server restarts).
     */
    public void startNeverStarted() {
        for (ManagedConnection c : list()) {
            if (c.enabled() && c.state() == ConnectionState.STOPPED && NOT_STARTED.equals(c.reason())) {
                start(c.id());
            }
        }
    }

    public synchronized Collection<ManagedConnection> list() {
        return List.copyOf(connections.values());
    }

    public synchronized Optional<ManagedConnection> find(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    /** The connection if it is RUNNING. */
    public Optional<ManagedConnection> running(String id) {
        return find(id).filter(c -> c.state() == ConnectionState.RUNNING);
    }

    public Collection<String> installedTypes() {
        return registry == null ? List.of() : registry.types();
    }

    public Optional<Connector> connector(String type) {
        return registry == null ? Optional.empty() : registry.forType(type);
    }

    /** Starts (or restarts after ERROR) a connection and returns it; never throws for provider failures. */
    public ManagedConnection start(String id) {
        try (dev.parley.runtime.logging.LogContext.Scope logged = dev.parley.runtime.logging.LogContext.connection(id)) {
            return startLogged(id);
        }
    }

    private ManagedConnection startLogged(String id) {
        ManagedConnection c = find(id).orElseThrow(() -> new IllegalArgumentException("no connection '" + id + "'"));
        synchronized (c) {
            if (c.state() == ConnectionState.RUNNING || c.state() == ConnectionState.STARTING) {
                return c;
            }
            cancelRetry(c);
            c.moveTo(ConnectionState.STARTING, "starting");
        }
        Connector connector = c.connector().orElse(null);
        if (connector == null) {
            fail(c, "no connector installed for type '" + c.type() + "'; installed types: " + installedTypes(), false);
            return c;
        }
        Map<String, String> values = readSettings(c.id(), connector);
        Set<String> secretFields = secretFields(connector);
        Set<String> secretValues = new HashSet<>();
        values.forEach((k, v) -> { if (secretFields.contains(k)) secretValues.add(v); });
        logs.secrets(c.id(), secretValues);
        c.settings(ConnectionDefinition.masked(values, secretFields));

        List<String> missing = connector.configFields().stream()
                .filter(f -> f.required() && !values.containsKey(f.name()))
                .map(f -> ConnectionDefinition.property(c.id(), f.name())).toList();
        if (!missing.isEmpty()) {
            fail(c, "missing required setting" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing), false);
            return c;
        }
        Connection open = null;
        try {
            open = connector.open(new RuntimeConnectionContext(c.id(), values, restClients, logs,
                    settings.publicUrl(), scheduler, stateStore.forConnection(c.id(), secretsKeys, logs, why -> secretsUnavailable(c, why)),
                    media.forConnection(c.id()), rateLimits));
            c.opening(open);
            String detail = open.verify();
            c.running(open, ConnectionDefinition.masked(values, secretFields), detail);
            c.failedStarts = 0;
            logs.append(c.id(), "INFO", (open.sandbox() ? "SANDBOX connection RUNNING: " : "RUNNING: ") + detail);
            started.fire(new ConnectionStarted(c.id()));
        } catch (RetryableException e) {
            c.opening(null);
            close(open);
            fail(c, e.getMessage(), true);
        } catch (PermanentException e) {
            // A sandbox is served by this very server, which may not be serving yet while it boots.
            boolean sandboxBooting = open != null && open.sandbox() && c.failedStarts < 5;
            c.opening(null);
            close(open);
            fail(c, e.getMessage(), sandboxBooting);
        } catch (RuntimeException e) {
            c.opening(null);
            close(open);
            fail(c, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
        return c;
    }

    public ManagedConnection stop(String id) {
        ManagedConnection c = find(id).orElseThrow(() -> new IllegalArgumentException("no connection '" + id + "'"));
        synchronized (c) {
            cancelRetry(c);
            close(c.detach());
            c.moveTo(ConnectionState.STOPPED, "stopped by operator");
        }
        logs.append(id, "INFO", "STOPPED by operator");
        return c;
    }

    /** Calls the provider again with the running connection's settings. */
    public String verify(String id) {
        ManagedConnection c = running(id).orElseThrow(() ->
                new IllegalStateException("connection '" + id + "' is not RUNNING; start it first"));
        String detail = c.open().orElseThrow().verify();
        logs.append(id, "INFO", "verified: " + detail);
        return detail;
    }

    /**
     * A connector had to store a secret and there is no key to seal it with: a RUNNING connection goes to ERROR
     * with the reason (which names the property); during a start, the start fails with it anyway.
     */
    private void secretsUnavailable(ManagedConnection c, String why) {
        synchronized (c) {
            if (c.state() != ConnectionState.RUNNING) {
                return;
            }
            cancelRetry(c);
            close(c.detach());
            c.moveTo(ConnectionState.ERROR, logs.mask(c.id(), why));
        }
        logs.append(c.id(), "ERROR", why);
    }

    /** Re-seals secrets written with a previous key (parley.secrets.previous-keys) with parley.secrets.key. */
    public void rewrapSecrets() {
        secretsKeys.get().available().ifPresent(cipher -> {
            int n = stateStore.rewrapSecrets(cipher);
            if (n > 0) {
                java.util.logging.Logger.getLogger(ConnectionManager.class.getName())
                        .info("re-encrypted " + n + " stored secrets with the current parley.secrets.key");
            }
        });
    }

    public synchronized void stopAll() {
        for (ManagedConnection c : connections.values()) {
            cancelRetry(c);
            close(c.detach());
            c.moveTo(ConnectionState.STOPPED, "server stopping");
        }
    }

    private void fail(ManagedConnection c, String why, boolean retryable) {
        String reason = logs.mask(c.id(), why);
        synchronized (c) {
            if (retryable) {
                c.failedStarts++;
                long delay = Math.min(settings.connectionRetryMax().toMillis(), 2000L << Math.min(c.failedStarts - 1, 10));
                reason = reason + " (retrying in " + delay / 1000 + " s)";
                c.retry = scheduler.schedule(() -> start(c.id()), delay, TimeUnit.MILLISECONDS);
            }
            c.moveTo(ConnectionState.ERROR, reason);
        }
        logs.append(c.id(), "ERROR", "start failed: " + reason);
    }

    private static void cancelRetry(ManagedConnection c) {
        if (c.retry != null) {
            c.retry.cancel(false);
            c.retry = null;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // close() must not throw; a misbehaving connector cannot block a stop
            }
        }
    }

    private Map<String, String> readSettings(String id, Connector connector) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigField field : connector.configFields()) {
            Optional<String> v = config.getOptionalValue(ConnectionDefinition.property(id, field.name()), String.class)
                    .map(String::trim).filter(s -> !s.isEmpty());
            if (v.isPresent()) {
                values.put(field.name(), v.get());
            } else if (field.defaultValue() != null) {
                values.put(field.name(), field.defaultValue());
            }
        }
        return values;
    }

    static Set<String> secretFields(Connector connector) {
        Set<String> out = new HashSet<>();
        for (ConfigField f : connector.configFields()) {
            if (f.secret()) out.add(f.name());
        }
        return out;
    }
}
