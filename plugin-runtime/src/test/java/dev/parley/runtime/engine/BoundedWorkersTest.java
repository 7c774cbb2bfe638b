package dev.parley.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedWorkersTest {

    @Test
    void dropsPastTheQueueInsteadOfFailingOrBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        BoundedWorkers workers = new BoundedWorkers("test", 1, 2, Thread::new);
        try {
            assertTrue(workers.offer(() -> {
                started.countDown();
                await(release);
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(workers.offer(() -> { }));
            assertTrue(workers.offer(() -> { }));
            assertFalse(workers.offer(() -> { }), "the queue holds 2");
            assertFalse(workers.offer(42L, () -> { }));
            assertEquals(2, workers.dropped());
            assertFalse(workers.refillDue(), "the queue is still full");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (workers.waiting() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(workers.refillDue(), "drained after an overflow: offer the database's work again");
            assertFalse(workers.refillDue(), "once");
        } finally {
            release.countDown();
            workers.shutdown();
        }
    }

    @Test
    void aKeyIsQueuedOnceUntilItsTaskStarts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        BoundedWorkers workers = new BoundedWorkers("test", 1, 10, Thread::new);
        try {
            workers.offer(() -> {
                started.countDown();
                await(release);
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            Runnable task = () -> {
                runs.incrementAndGet();
                done.countDown();
            };
            assertTrue(workers.offer(7L, task));
            assertFalse(workers.offer(7L, task), "already waiting: it will see the same state");
            assertTrue(workers.offer(8L, task));
            release.countDown();
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(2, runs.get());
            assertEquals(0, workers.dropped());
            // Once started, the key may be queued again (the running task may have missed newer work).
            CountDownLatch again = new CountDownLatch(1);
            assertTrue(workers.offer(7L, again::countDown));
            assertTrue(again.await(5, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            workers.shutdown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
