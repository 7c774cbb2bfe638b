package dev.parley.runtime.setup;

import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.spi.ProviderSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks, registers and removes what a connection needs at its provider (webhooks, triggers), and remembers the
 * last known status per connection in memory for the connection view (each instance knows what it last saw;
 * the provider is the truth, and the ids are in the connection's store).
 */
@ApplicationScoped
public class ProviderSetups {

    @Inject
    ConnectionLogService logs;

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /** A status and when it was seen. */
    public record Known(boolean complete, List<String> items, OffsetDateTime checkedAt) {
    }

    public enum Action { CHECK, REGISTER, UNREGISTER }

    /**
     * @throws dev.parley.spi.ConnectorException from the connector (the caller masks and maps it)
     */
    public Known run(ManagedConnection c, ProviderSetup setup, Action action) {
        ProviderSetup.SetupStatus status = switch (action) {
            case CHECK -> setup.check();
            case REGISTER -> setup.register();
            case UNREGISTER -> setup.unregister();
        };
        Known k = new Known(status.complete(), status.items(), OffsetDateTime.now());
        known.put(c.id(), k);
        String verb = switch (action) {
            case CHECK -> "checked";
            case REGISTER -> "registered";
            case UNREGISTER -> "unregistered";
        };
        logs.append(c.id(), "INFO", "provider setup " + verb + ": " + (status.complete() ? "complete" : "incomplete")
                + (status.items().isEmpty() ? "" : "; " + String.join("; ", status.items())));
        return k;
    }

    public Optional<Known> lastKnown(String connectionId) {
        return Optional.ofNullable(known.get(connectionId));
    }
}
