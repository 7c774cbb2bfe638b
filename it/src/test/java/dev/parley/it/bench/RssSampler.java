package dev.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's resident set size ({@code VmRSS} in {@code /proc/<pid>/status}) on a timer and keeps the
 * maximum per phase, the phase being whatever {@link #begin} named last. Linux only: elsewhere nothing is recorded.
 */
final class RssSampler implements AutoCloseable {

    private volatile Path status;
    private final Map<String, Long> maxKbByPhase = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-rss");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase;

    RssSampler(long pid, Duration period) {
        this.status = Path.of("/proc", String.valueOf(pid), "status");
        timer.scheduleAtFixedRate(this::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From now on samples the process {@code pid} (the same server, started again). */
    void follow(long pid) {
        status = Path.of("/proc", String.valueOf(pid), "status");
        sample();
    }

    /** From now on samples count for {@code name}; takes one sample right away, so even a short phase has one. */
    void begin(String name) {
        phase = name;
        sample();
    }

    /** Phase name -> highest RSS seen in it, in MB (phases in the order they began). */
    synchronized Map<String, Double> maxMbByPhase() {
        Map<String, Double> mb = new LinkedHashMap<>();
        maxKbByPhase.forEach((name, kb) -> mb.put(name, kb / 1024.0));
        return mb;
    }

    /** The highest RSS seen in {@code name}, in MB; NaN if there was no sample. */
    synchronized double maxMb(String name) {
        Long kb = maxKbByPhase.get(name);
        return kb == null ? Double.NaN : kb / 1024.0;
    }

    private void sample() {
        String current = phase;
        if (current == null) {
            return;
        }
        long kb = residentKb();
        if (kb >= 0) {
            synchronized (this) {
                maxKbByPhase.merge(current, kb, Math::max);
            }
        }
    }

    /** VmRSS in kB, or -1 if the process is gone or there is no /proc. */
    private long residentKb() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process exited or this is not Linux: no sample
        }
        return -1;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
