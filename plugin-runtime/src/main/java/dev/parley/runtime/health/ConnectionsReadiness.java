package dev.parley.runtime.health;

import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ConnectionState;
import dev.parley.runtime.connection.ManagedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every enabled connection is RUNNING; each connection's state is in the data. */
@Readiness
@ApplicationScoped
public class ConnectionsReadiness implements HealthCheck {

    @Inject
    ConnectionManager connections;
    @Inject
    StartupStatus startup;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("parley-connections");
        boolean up = startup.ready();
        b.withData("startup", startup.status());
        for (ManagedConnection c : connections.list()) {
            if (c.enabled() && c.state() != ConnectionState.RUNNING) {
                up = false;
                b.withData(c.id(), c.state() + ": " + c.reason());
            } else {
                b.withData(c.id(), c.state().name());
            }
        }
        return b.status(up).build();
    }
}
