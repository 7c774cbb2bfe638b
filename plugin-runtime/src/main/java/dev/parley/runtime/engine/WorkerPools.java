package dev.parley.runtime.engine;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's own threads, sized to the cores and the database pool rather than to the traffic: bot turns and
 * sends each get a small fixed pool with a bounded queue ({@link BatchWorkers}, {@link BoundedWorkers}), and lease heartbeats one
 * scheduler thread. Work past the queues waits in the database, where the sweeper finds it, so overload never
 * takes the application server's managed executor and never rejects the sweeper. Threads come from the
 * {@link ManagedThreadFactory}, so JTA, JPA and JNDI work on them; they are made on first use (from an
 * application thread) and stopped with the application.
 */
@ApplicationScoped
public class WorkerPools {

    @Inject @ConfigProperty(name = "parley.workers.bot-threads")
    int botThreads;
    @Inject @ConfigProperty(name = "parley.workers.send-threads")
    int sendThreads;
    @Inject @ConfigProperty(name = "parley.workers.queue")
    int queue;
    @Inject @ConfigProperty(name = "parley.workers.batch")
    int batch;
    @Inject @ConfigProperty(name = "parley.workers.provider-calls")
    int providerCallThreads;
    @Resource
    ManagedThreadFactory threadFactory;

    // volatile: read without a lock on every submit (a synchronized accessor was a contended monitor under load)
    private volatile BatchWorkers turns;
    private volatile BoundedWorkers sends;
    private volatile ScheduledThreadPoolExecutor heartbeats;
    private volatile java.util.concurrent.ThreadPoolExecutor providerCalls;

    /**
     * Bot turns: sessions with pending turns, drained in batches of up to {@code parley.workers.batch} (their replies
     * are sent on the same worker).
     *
     * @param drain what a worker does with a batch of session ids; the first caller's is kept
     */
    public BatchWorkers turns(java.util.function.Consumer<java.util.List<Long>> drain) {
        BatchWorkers w = turns;
        if (w == null) {
            synchronized (this) {
                if (turns == null) {
                    turns = new BatchWorkers("parley bot turns", botThreads, queue, batch, named("parley-bot"), drain);
                }
                w = turns;
            }
        }
        return w;
    }

    /** Sessions waiting in this instance's queue for a bot worker (0 before the first turn). */
    public int turnsWaiting() {
        BatchWorkers w = turns;
        return w == null ? 0 : w.waiting();
    }

    /** Outbox sends that no bot worker sends itself (sweeper re-drives, desk calls, admin and handoff messages). */
    public BoundedWorkers sends() {
        BoundedWorkers w = sends;
        if (w == null) {
            synchronized (this) {
                if (sends == null) {
                    sends = new BoundedWorkers("parley sends", sendThreads, queue, named("parley-send"));
                }
                w = sends;
            }
        }
        return w;
    }

    /**
     * The provider calls of a batch's sends, made side by side so a batch waits for its slowest call rather than for
     * the sum of them. These threads only wait on providers: no transaction and no database connection, so they do not
     * count against the pool. Past the queue the worker makes the call itself.
     */
    public java.util.concurrent.ExecutorService providerCalls() {
        java.util.concurrent.ThreadPoolExecutor p = providerCalls;
        if (p == null) {
            synchronized (this) {
                if (providerCalls == null) {
                    providerCalls = new java.util.concurrent.ThreadPoolExecutor(providerCallThreads, providerCallThreads,
                            0, java.util.concurrent.TimeUnit.MILLISECONDS,
                            new java.util.concurrent.ArrayBlockingQueue<>(256), named("parley-provider-call"),
                            (call, pool) -> {
                                if (pool.isShutdown()) {
                                    throw new java.util.concurrent.RejectedExecutionException("stopping");
                                }
                                call.run(); // past the queue the worker makes the call itself
                            });
                }
                p = providerCalls;
            }
        }
        return p;
    }

    /** Lease renewals while a batch or a provider send runs: short transactions, a thread per worker. */
    public ScheduledThreadPoolExecutor heartbeats() {
        ScheduledThreadPoolExecutor h = heartbeats;
        if (h == null) {
            synchronized (this) {
                if (heartbeats == null) {
                    // A thread per worker: a renewal may wait for its own worker's transaction to commit (the rows
                    // it extends are locked there), and must not hold up the other workers' renewals meanwhile.
                    ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(botThreads + sendThreads,
                            named("parley-heartbeat"));
                    made.setRemoveOnCancelPolicy(true); // a finished call's beat leaves the queue at once
                    heartbeats = made;
                }
                h = heartbeats;
            }
        }
        return h;
    }

    private ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = threadFactory.newThread(r);
            t.setName(prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    synchronized void stop() {
        if (turns != null) turns.shutdown();
        if (sends != null) sends.shutdown();
        if (heartbeats != null) heartbeats.shutdownNow();
        if (providerCalls != null) providerCalls.shutdownNow();
    }
}
