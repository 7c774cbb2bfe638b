package dev.parley.spi;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the runtime lends a connection. One context per started connection; valid until the connection
 * is closed.
 */
public interface ConnectionContext {

    /** The connection id: the {@code <id>} in {@code parley.connection.<id>.*} and in its URLs. */
    String connectionId();

    ConnectionConfig config();

    /** MicroProfile REST Client proxies with the runtime's timeouts; non-2xx responses are returned, not thrown. */
    RestClients restClients();

    /** The connection log shown by the admin API; never pass secrets to it. */
    ConnectionLog log();

    /** The public URL providers call for this connection: {@code <public-url>/channel/<id>/webhook/<kind>}. */
    URI webhookUrl(String kind);

    /** Where this connection's {@link SandboxApi} is served: {@code <public-url>/sandbox/<id>}. */
    URI sandboxUrl();

    Clock clock();

    /**
     * A container-managed scheduler for a connection's background work (a sandbox posting reports, a
     * sync loop). Tasks must not outlive {@link Connection#close()}: cancel what you schedule.
     */
    ScheduledExecutorService scheduler();

    /** The connection's durable key-value memory (ids of provider objects it created). */
    ConnectionStore store();

    /**
     * Parley's copies of this connection's media, served at signed links (see {@link MediaStore}). A host without
     * one (an older runtime, a test fake) lends {@link MediaStore#UNAVAILABLE}.
     */
    default MediaStore media() {
        return MediaStore.UNAVAILABLE;
    }

    /**
     * Request budgets shared by every Parley instance on the database (see {@link RateLimits}). A host without one
     * (an older runtime, a test fake) lends a new JVM-local {@link dev.parley.spi.util.LocalRateLimits} per call: take
     * it once, when the connection opens.
     */
    default RateLimits rateLimits() {
        return new dev.parley.spi.util.LocalRateLimits(clock());
    }
}
