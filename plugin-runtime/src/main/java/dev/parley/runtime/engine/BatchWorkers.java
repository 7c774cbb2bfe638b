package dev.parley.runtime.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fixed number of worker threads that take keys (session ids) from one bounded queue in batches: a worker takes
 * the first key that arrives and its share of what else is waiting then (what waits divided by the number of
 * workers, at most {@code batch} in all), and handles them together, so the database work of many keys shares one
 * transaction. Under light load a batch is one key and nothing waits for
 * a batch to fill; under load batches grow by themselves. As with {@link BoundedWorkers}, the work behind a key is
 * already durable in the database: past the queue a key is dropped (FINE) for the sweeper, and a key is queued at
 * most once at a time.
 */
public final class BatchWorkers {

    private static final Logger LOG = Logger.getLogger(BatchWorkers.class.getName());

    private final String name;
    private final BlockingQueue<Long> queue;
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final int capacity;
    private final int threadCount;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    public BatchWorkers(String name, int threads, int queueCapacity, int batch, ThreadFactory threadFactory,
                        Consumer<List<Long>> handler) {
        if (threads < 1 || queueCapacity < 1 || batch < 1) {
            throw new IllegalArgumentException(name + ": threads, queue and batch must be at least 1");
        }
        this.name = name;
        this.capacity = queueCapacity;
        this.threadCount = threads;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        for (int i = 0; i < threads; i++) {
            Thread t = threadFactory.newThread(() -> work(batch, handler));
            this.threads.add(t);
            t.start();
        }
    }

    private void work(int batch, Consumer<List<Long>> handler) {
        List<Long> keys = new ArrayList<>(batch);
        while (!stopped) {
            try {
                keys.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            // Its share of what waits, not all of it: the keys of one batch run one after another, so a worker that
            // took everything would leave the others idle while slow bots (an LLM's seconds) answer in a row.
            queue.drainTo(keys, Math.min(batch - 1, queue.size() / threadCount));
            keys.forEach(queued::remove); // from here on a new offer queues a new run, which sees what this one missed
            try {
                handler.accept(List.copyOf(keys));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, name + ": a batch of " + keys.size() + " failed; the sweeper re-drives it", e);
            }
            keys.clear();
        }
    }

    /**
     * Queues {@code key} unless it is already waiting (its run will see the same database state), or the queue is
     * full (the work waits in the database for the sweeper).
     *
     * @return false when the key was not queued
     */
    public boolean offer(long key) {
        if (!queued.add(key)) {
            return false;
        }
        if (queue.offer(key)) {
            return true;
        }
        queued.remove(key);
        overflowed.set(true);
        long n = dropped.incrementAndGet();
        LOG.log(Level.FINE, () -> name + ": queue full, " + key + " left to the sweeper (" + n + " dropped so far)");
        return false;
    }

    /**
     * True once after keys were dropped and the queue has drained to a quarter: the caller should offer work from the
     * database again (what was dropped is there), rather than wait for the sweeper.
     */
    public boolean refillDue() {
        return overflowed.get() && queue.size() <= capacity / 4 && overflowed.compareAndSet(true, false);
    }

    /** Keys waiting for a worker. */
    public int waiting() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }

    public void shutdown() {
        stopped = true;
        threads.forEach(Thread::interrupt);
    }
}
