package dev.parley.spi.util;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ProviderSetup.SetupStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A connection's provider setup that another instance's {@link SetupClaim} may block: run now, and while blocked run
 * again on the connection's scheduler, one pending run at a time. {@link #cancel} (from {@code Connection.close()})
 * ends it, as the connection's scheduler requires.
 */
public final class LookAgain {

    private final ConnectionContext ctx;
    private final AtomicReference<ScheduledFuture<?>> pending = new AtomicReference<>();
    /** Set by {@link #cancel}: no run starts or is scheduled after it, even one that reschedules itself meanwhile. */
    private volatile boolean cancelled;

    /** @param ctx the connection's context: its scheduler (asked only when a run is scheduled) and its log */
    public LookAgain(ConnectionContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs {@code setup} now and answers what it found. When that is incomplete because a claim blocked it
     * ({@code blockedFor} present), runs it again after {@code delay.apply(blockedFor)}, and so on; each later run's
     * outcome goes to the connection's log as {@code what: ...}.
     */
    public SetupStatus setUp(String what, Supplier<SetupStatus> setup, Supplier<Optional<Duration>> blockedFor,
                             UnaryOperator<Duration> delay) {
        SetupStatus status = setup.get();
        if (!status.complete()) {
            blockedFor.get().ifPresent(b -> in(delay.apply(b), () -> again(what, setup, blockedFor, delay)));
        }
        return status;
    }

    private void again(String what, Supplier<SetupStatus> setup, Supplier<Optional<Duration>> blockedFor,
                       UnaryOperator<Duration> delay) {
        try {
            SetupStatus status = setUp(what, setup, blockedFor, delay);
            if (status.complete()) {
                ctx.log().info(what + ": " + String.join("; ", status.items()));
            } else if (blockedFor.get().isEmpty()) { // incomplete, and no claim to wait for: no further run
                ctx.log().warn(what + " still incomplete: " + String.join("; ", status.items()));
            }
        } catch (RuntimeException e) {
            ctx.log().error(what + ": " + e.getMessage() + ": POST /api/connections/" + ctx.connectionId()
                    + "/setup to try again");
        }
    }

    /** Runs {@code step} once after {@code wait}, instead of any step still pending; nothing once cancelled. */
    private void in(Duration wait, Runnable step) {
        if (cancelled) return;
        ScheduledFuture<?> next = ctx.scheduler().schedule(() -> {
            if (!cancelled) step.run();
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> before = pending.getAndSet(next);
        if (before != null) before.cancel(false);
        if (cancelled) next.cancel(false); // cancel() ran between the check above and the getAndSet
    }

    /** Ends it for good (from {@code Connection.close()}): the pending run is dropped. */
    public void cancel() {
        cancelled = true;
        ScheduledFuture<?> before = pending.getAndSet(null);
        if (before != null) before.cancel(false);
    }
}
