package dev.parley.spi.util;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One pending second try of a connection's background step (a provider setup another instance's {@link SetupClaim}
 * blocked): scheduling it again replaces the pending one, and {@link #cancel} (from {@code Connection.close()}) ends
 * it, as the connection's scheduler requires.
 */
public final class LookAgain {

    private final Supplier<ScheduledExecutorService> scheduler;
    private final AtomicReference<ScheduledFuture<?>> pending = new AtomicReference<>();
    /** Set by {@link #cancel}: no step runs or is scheduled after it, even one that reschedules itself meanwhile. */
    private volatile boolean cancelled;

    /** @param scheduler the connection's ({@code ctx::scheduler}), asked only when a step is scheduled */
    public LookAgain(Supplier<ScheduledExecutorService> scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code step} once after {@code wait}, instead of any step still pending; nothing once cancelled. */
    public void in(Duration wait, Runnable step) {
        if (cancelled) return;
        ScheduledFuture<?> next = scheduler.get().schedule(() -> {
            if (!cancelled) step.run();
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> before = pending.getAndSet(next);
        if (before != null) before.cancel(false);
        if (cancelled) next.cancel(false); // cancel() ran between the check above and the getAndSet
    }

    /** Ends it for good (from {@code Connection.close()}): the pending step is dropped. */
    public void cancel() {
        cancelled = true;
        ScheduledFuture<?> before = pending.getAndSet(null);
        if (before != null) before.cancel(false);
    }
}
