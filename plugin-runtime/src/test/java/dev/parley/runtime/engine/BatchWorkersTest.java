package dev.parley.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BatchWorkersTest {

    /** One worker, held in its first batch until {@code release}; records every batch it is given. */
    private static final class Recorder implements Consumer<List<Long>> {
        final List<List<Long>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void accept(List<Long> keys) {
            batches.add(keys);
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void takesWhatIsWaitingAsOneBatchUpToItsSize() throws Exception {
        Recorder recorder = new Recorder();
        BatchWorkers workers = new BatchWorkers("test", 1, 100, 3, Thread::new, recorder);
        try {
            assertTrue(workers.offer(1));
            assertTrue(recorder.started.await(5, TimeUnit.SECONDS));
            for (long k = 2; k <= 6; k++) {
                assertTrue(workers.offer(k));
            }
            recorder.release.countDown();
            awaitBatches(recorder, 3);
            assertEquals(List.of(List.of(1L), List.of(2L, 3L, 4L), List.of(5L, 6L)), recorder.batches,
                    "a lone key is not held back to fill a batch; waiting keys go together, at most 3 at a time, in order");
        } finally {
            recorder.release.countDown();
            workers.shutdown();
        }
    }

    @Test
    void aWorkerTakesItsShareOfWhatWaitsSoTheOthersGetTheRest() throws Exception {
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch bothBusy = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        BatchWorkers workers = new BatchWorkers("test", 2, 100, 16, Thread::new, keys -> {
            batches.add(keys);
            bothBusy.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            workers.offer(1);
            workers.offer(2);
            assertTrue(bothBusy.await(5, TimeUnit.SECONDS), "each worker holds one key");
            for (long k = 3; k <= 10; k++) {
                workers.offer(k);
            }
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (batches.stream().mapToInt(List::size).sum() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
                    batches.stream().flatMap(List::stream).sorted().toList(), "every key once");
            assertTrue(batches.stream().allMatch(b -> b.size() <= 5),
                    "8 waiting for 2 workers: the first takes 1 + 8/2 at most, not all 8: " + batches);
        } finally {
            release.countDown();
            workers.shutdown();
        }
    }

    @Test
    void aKeyIsQueuedOnceUntilItsBatchStarts() throws Exception {
        Recorder recorder = new Recorder();
        BatchWorkers workers = new BatchWorkers("test", 1, 100, 10, Thread::new, recorder);
        try {
            assertTrue(workers.offer(1));
            assertTrue(recorder.started.await(5, TimeUnit.SECONDS));
            assertTrue(workers.offer(1), "its batch started: a new offer queues a new run that sees what it missed");
            assertFalse(workers.offer(1), "already waiting");
            assertTrue(workers.offer(2));
            recorder.release.countDown();
            awaitBatches(recorder, 2);
            assertEquals(List.of(List.of(1L), List.of(1L, 2L)), recorder.batches);
        } finally {
            recorder.release.countDown();
            workers.shutdown();
        }
    }

    @Test
    void dropsPastTheQueueAndAsksForARefillOnceItHasDrained() throws Exception {
        Recorder recorder = new Recorder();
        BatchWorkers workers = new BatchWorkers("test", 1, 2, 1, Thread::new, recorder);
        try {
            assertTrue(workers.offer(1));
            assertTrue(recorder.started.await(5, TimeUnit.SECONDS));
            assertTrue(workers.offer(2));
            assertTrue(workers.offer(3));
            assertFalse(workers.offer(4), "the queue holds 2");
            assertFalse(workers.offer(4), "dropped keys are not remembered as queued, but the queue is still full");
            assertEquals(2, workers.dropped());
            assertFalse(workers.refillDue(), "the queue is still full");
            recorder.release.countDown();
            awaitBatches(recorder, 3);
            assertTrue(workers.refillDue(), "drained after an overflow: offer the database's work again");
            assertFalse(workers.refillDue(), "once");
        } finally {
            recorder.release.countDown();
            workers.shutdown();
        }
    }

    @Test
    void aFailingBatchDoesNotStopTheWorker() throws Exception {
        List<List<Long>> seen = new CopyOnWriteArrayList<>();
        BatchWorkers workers = new BatchWorkers("test", 1, 10, 5, Thread::new, keys -> {
            seen.add(keys);
            if (keys.contains(1L)) {
                throw new IllegalStateException("boom");
            }
        });
        try {
            workers.offer(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            workers.offer(2);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of(List.of(1L), List.of(2L)), seen);
        } finally {
            workers.shutdown();
        }
    }

    private static void awaitBatches(Recorder recorder, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorder.batches.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50); // and no more than n
    }
}
