package dev.parley.infobip.sandbox;

import dev.parley.spi.ConnectionContext;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook posts a stand-in has scheduled on {@code ctx.scheduler()} and not yet made: {@link #close()} cancels
 * them (interrupting one under way) and refuses new ones. Thread-safe.
 */
final class ScheduledPosts {

    private final ConnectionContext ctx;
    private final String what;
    private final Set<ScheduledFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param what what is posted, for the warning when the scheduler refuses one ("a report") */
    ScheduledPosts(ConnectionContext ctx, String what) {
        this.ctx = ctx;
        this.what = what;
    }

    /**
     * Runs {@code task} after {@code delay} unless closed by then; false when already closed, or when the scheduler
     * refused it (logged). True when scheduled, even if a racing {@link #close()} has cancelled it since.
     */
    boolean schedule(Runnable task, Duration delay) {
        if (closed.get()) return false;
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable run = () -> {
            try {
                if (!closed.get()) task.run();
            } finally {
                synchronized (self) {
                    if (self[0] != null) pending.remove(self[0]);
                }
            }
        };
        try {
            synchronized (self) {
                self[0] = ctx.scheduler().schedule(run, delay.toMillis(), TimeUnit.MILLISECONDS);
                pending.add(self[0]);
            }
        } catch (RejectedExecutionException e) {
            ctx.log().warn("SANDBOX: could not schedule " + what + ": " + e.getMessage());
            return false;
        }
        if (closed.get()) cancelAll(); // a close() that raced with the schedule above
        return true;
    }

    boolean closed() {
        return closed.get();
    }

    /** Cancels what is scheduled and refuses more; idempotent. */
    void close() {
        closed.set(true);
        cancelAll();
    }

    /** Posts scheduled and not yet made (or cancelled). */
    int pending() {
        return pending.size();
    }

    private void cancelAll() {
        for (ScheduledFuture<?> f : pending) {
            f.cancel(true);
            pending.remove(f);
        }
    }
}
