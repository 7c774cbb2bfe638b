package dev.parley.runtime.engine;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fixed number of worker threads with a bounded queue, for work that is already durable in the database (a
 * session's bot turns, an outbox entry). Past the queue a task is dropped, never blocked on and never an error:
 * the sweeper finds the work in the database and offers it again. A key (session id, entry id) is queued at most
 * once at a time, so re-offers by the sweeper or by several commits do not pile up.
 */
public final class BoundedWorkers {

    private static final Logger LOG = Logger.getLogger(BoundedWorkers.class.getName());

    private final String name;
    private final ThreadPoolExecutor pool;
    private final Set<Object> queued = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean overflowed = new java.util.concurrent.atomic.AtomicBoolean();
    private final int capacity;

    public BoundedWorkers(String name, int threads, int queueCapacity, ThreadFactory threadFactory) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException(name + ": threads and queue must be at least 1");
        }
        this.name = name;
        this.capacity = queueCapacity;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), threadFactory, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Queues {@code task} unless a task for {@code key} is already waiting (it will see the same database state), or
     * the queue is full (the work waits in the database for the sweeper).
     *
     * @return false when the task was not queued
     */
    public boolean offer(Object key, Runnable task) {
        if (!queued.add(key)) {
            return false;
        }
        try {
            pool.execute(() -> {
                queued.remove(key); // from here on a new offer queues a new run, which sees what this one missed
                task.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            queued.remove(key);
            overflowed.set(true);
            long n = dropped.incrementAndGet();
            LOG.log(Level.FINE, () -> name + ": queue full, " + key + " left to the sweeper (" + n + " dropped so far)");
            return false;
        }
    }

    /** Queues an unkeyed task; false (and a FINE line) when the queue is full. */
    public boolean offer(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            overflowed.set(true);
            long n = dropped.incrementAndGet();
            LOG.log(Level.FINE, () -> name + ": queue full, a task was left to the sweeper (" + n + " dropped so far)");
            return false;
        }
    }

    /**
     * True once after tasks were dropped and the queue has drained to a quarter: the caller should offer work from the
     * database again (what was dropped is there), rather than wait for the sweeper.
     */
    public boolean refillDue() {
        return overflowed.get() && pool.getQueue().size() <= capacity / 4 && overflowed.compareAndSet(true, false);
    }

    public long dropped() {
        return dropped.get();
    }

    public int waiting() {
        return pool.getQueue().size();
    }

    public void shutdown() {
        pool.shutdownNow();
    }
}
