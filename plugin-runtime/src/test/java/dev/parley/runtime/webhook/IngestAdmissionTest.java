package dev.parley.runtime.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.engine.WorkerPools;
import dev.parley.runtime.metrics.ParleyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {

    private final AtomicInteger waiting = new AtomicInteger();
    private final List<String> shed = new ArrayList<>();

    private IngestAdmission admission(int maxBacklog, int maxInFlight, long maxWaitMs) {
        IngestAdmission a = new IngestAdmission();
        a.maxTurnBacklog = maxBacklog;
        a.maxInFlight = maxInFlight;
        a.maxWaitMs = maxWaitMs;
        a.retryAfterSeconds = 5;
        a.workers = new WorkerPools() {
            @Override
            public int turnsWaiting() {
                return waiting.get();
            }
        };
        a.metrics = new ParleyMetrics() {
            @Override
            public void ingestShed(String reason) {
                shed.add(reason);
            }
        };
        a.init();
        return a;
    }

    @Test
    void refusesBeforeWorkOnlyFromTheBacklogLimitOn() {
        IngestAdmission a = admission(3, 8, 0);
        waiting.set(2);
        assertNull(a.refusalBeforeWork());
        waiting.set(3);
        String refusal = a.refusalBeforeWork();
        assertNotNull(refusal);
        assertTrue(refusal.contains("retry in 5 s"), refusal);
        assertEquals(List.of("backlog"), shed);
        waiting.set(0);
        assertNull(a.refusalBeforeWork());
    }

    @Test
    void atMostMaxInFlightAndAFreedPlaceIsTakenAgain() {
        IngestAdmission a = admission(1000, 2, 50);
        assertTrue(a.enter());
        assertTrue(a.enter());
        long t0 = System.nanoTime();
        assertFalse(a.enter(), "a third waits its 50 ms and is refused");
        assertTrue(System.nanoTime() - t0 >= 45_000_000L, "it waited for a place first");
        assertEquals(List.of("busy"), shed);
        a.leave();
        assertTrue(a.enter(), "a freed place is taken");
    }

    @Test
    void aWaiterGetsThePlaceFreedWhileItWaits() throws Exception {
        IngestAdmission a = admission(1000, 1, 5_000);
        assertTrue(a.enter());
        Thread freer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            a.leave();
        });
        freer.start();
        assertTrue(a.enter(), "admitted once the place is freed, within the wait");
        freer.join();
        assertTrue(shed.isEmpty());
    }

    @Test
    void nonsenseLimitsAreRefusedAtStart() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> admission(0, 8, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> admission(10, 0, 0));
    }
}
