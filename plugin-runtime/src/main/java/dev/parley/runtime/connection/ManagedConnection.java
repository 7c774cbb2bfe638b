package dev.parley.runtime.connection;

import dev.parley.spi.Connection;
import dev.parley.spi.Connector;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One configured connection in this JVM: its definition, connector, state and (when RUNNING) the open
 * {@link Connection}. State changes are synchronized on the instance.
 */
public final class ManagedConnection {

    private final ConnectionDefinition definition;
    private final Connector connector;
    private volatile ConnectionState state = ConnectionState.STOPPED;
    private volatile String reason = ConnectionManager.NOT_STARTED;
    private volatile Connection connection;
    /** Set while STARTING: a sandbox must already answer the verification call. */
    private volatile Connection opening;
    private volatile Map<String, String> settings = Map.of();
    private volatile OffsetDateTime since = OffsetDateTime.now();
    private volatile boolean sandbox;
    ScheduledFuture<?> retry;
    int failedStarts;

    ManagedConnection(ConnectionDefinition definition, Connector connector) {
        this.definition = definition;
        this.connector = connector;
    }

    synchronized void moveTo(ConnectionState next, String why) {
        state = next;
        reason = why;
        since = OffsetDateTime.now();
    }

    void opening(Connection c) {
        opening = c;
    }

    synchronized void running(Connection open, Map<String, String> values, String why) {
        opening = null;
        connection = open;
        settings = values;
        sandbox = open.sandbox();
        moveTo(ConnectionState.RUNNING, why);
    }

    synchronized Connection detach() {
        Connection c = connection;
        connection = null;
        return c;
    }

    void settings(Map<String, String> values) {
        settings = values;
    }

    public String id() { return definition.id(); }
    public String type() { return definition.type(); }
    public boolean enabled() { return definition.enabled(); }
    public Optional<Connector> connector() { return Optional.ofNullable(connector); }
    public ConnectionState state() { return state; }
    public String reason() { return reason; }
    public OffsetDateTime since() { return since; }
    public boolean sandbox() { return sandbox; }
    public Map<String, String> settings() { return settings; }

    /** The open connection, only while RUNNING. */
    public Optional<Connection> open() {
        Connection c = connection;
        return state == ConnectionState.RUNNING && c != null ? Optional.of(c) : Optional.empty();
    }

    /** The connection's sandbox, while it is starting or running. */
    public Optional<dev.parley.spi.SandboxApi> sandboxApi() {
        Connection c = connection != null ? connection : opening;
        return c == null ? Optional.empty() : c.capability(dev.parley.spi.SandboxApi.class);
    }

    public <T> Optional<T> capability(Class<T> type) {
        return open().flatMap(c -> c.capability(type));
    }
}
