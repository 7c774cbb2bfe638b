package dev.parley.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How far start-up has got: written by the start-up, read by the readiness check and by the webhooks, which
 * answer 503 until the runtime is ready. Kept apart from the start-up itself so that what reads it does not
 * depend on everything the start-up starts.
 */
@ApplicationScoped
public class StartupStatus {

    private volatile boolean ready;
    private volatile String status = "starting";

    /** True once the schema is migrated and connections are starting. */
    public boolean ready() {
        return ready;
    }

    public String status() {
        return status;
    }

    /** The database-dependent part has run: ready. */
    public void started() {
        ready = true;
        status = "started";
    }

    /** Start-up could not finish; {@code why} is reported as the status. Readiness stays DOWN. */
    public void failed(String why) {
        status = why;
    }

    /** The runtime is stopping: no longer ready. */
    public void stopped() {
        ready = false;
    }
}
