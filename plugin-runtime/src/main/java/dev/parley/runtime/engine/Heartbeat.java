package dev.parley.runtime.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a short lease alive while its work runs (a bot call, a provider send), so leases can be a few seconds
 * long and a dead instance's work is taken over within seconds, not a minute. Renews every third of the lease;
 * stops when the renewal reports the lease lost (the work's result will then be refused by its fence) or when
 * closed. Renewal failures are not fatal: the fence decides.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private final ScheduledFuture<?> task;

    private Heartbeat(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** @param renew extends the lease; false when it is lost */
    public static Heartbeat start(ScheduledExecutorService scheduler, Duration lease, BooleanSupplier renew) {
        long every = Math.max(100, lease.toMillis() / 3);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable beat = () -> {
            try {
                if (!renew.getAsBoolean() && self[0] != null) {
                    self[0].cancel(false);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "lease renewal failed; the next beat tries again", e);
            }
        };
        self[0] = scheduler.scheduleWithFixedDelay(beat, every, every, TimeUnit.MILLISECONDS);
        return new Heartbeat(self[0]);
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
