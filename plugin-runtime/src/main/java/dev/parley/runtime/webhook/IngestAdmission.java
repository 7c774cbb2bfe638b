package dev.parley.runtime.webhook;

import dev.parley.runtime.engine.WorkerPools;
import dev.parley.runtime.metrics.ParleyMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admission control for webhooks, so that overload slows ingest down instead of starving the reply path. Two
 * limits, both per instance:
 * <ul>
 *   <li>the <b>turn backlog</b>: while more sessions wait for a bot worker than {@code parley.ingest.max-turn-backlog},
 *   a webhook is answered 503 with {@code Retry-After} before any work is done (no parsing, no database), so the
 *   cores go to answering what was already accepted. Nothing is lost: a provider retries a 503 (Infobip after a
 *   minute or more, Zendesk and Sunshine sooner), and what was acknowledged is answered;</li>
 *   <li>the <b>ingest transactions in flight</b>: at most {@code parley.ingest.max-in-flight} at once; more wait up to
 *   {@code parley.ingest.max-wait-ms} for a turn, then get the same 503. Fewer concurrent writers than HTTP threads
 *   leaves database connections and CPU (PostgreSQL's backends share the cores) to the bot workers.</li>
 * </ul>
 * A shedding episode logs one WARNING when it starts and one INFO, with its count, when a webhook is admitted again.
 */
@ApplicationScoped
public class IngestAdmission {

    private static final Logger LOG = Logger.getLogger(IngestAdmission.class.getName());

    @Inject @ConfigProperty(name = "parley.ingest.max-turn-backlog")
    int maxTurnBacklog;
    @Inject @ConfigProperty(name = "parley.ingest.max-in-flight")
    int maxInFlight;
    @Inject @ConfigProperty(name = "parley.ingest.max-wait-ms")
    long maxWaitMs;
    @Inject @ConfigProperty(name = "parley.ingest.retry-after-seconds")
    int retryAfterSeconds;
    @Inject
    WorkerPools workers;
    @Inject
    ParleyMetrics metrics;

    private Semaphore inFlight;
    private final AtomicBoolean shedding = new AtomicBoolean();
    private final AtomicLong shedInEpisode = new AtomicLong();

    @PostConstruct
    void init() {
        if (maxTurnBacklog < 1 || maxInFlight < 1 || maxWaitMs < 0 || retryAfterSeconds < 1) {
            throw new IllegalArgumentException("parley.ingest.max-turn-backlog, .max-in-flight and .retry-after-seconds"
                    + " must be at least 1, .max-wait-ms at least 0");
        }
        inFlight = new Semaphore(maxInFlight);
    }

    /** Seconds a refused caller is asked to wait ({@code Retry-After}). */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The cheap check made before a webhook is read: null when it may go on, else why it is refused.
     */
    public String refusalBeforeWork() {
        int waiting = workers.turnsWaiting();
        if (waiting >= maxTurnBacklog) {
            shed("backlog", waiting + " sessions wait for a bot worker (parley.ingest.max-turn-backlog=" + maxTurnBacklog + ")");
            return "Parley is answering a backlog of conversations; retry in " + retryAfterSeconds + " s";
        }
        return null;
    }

    /**
     * Takes a place among the ingest transactions in flight, waiting up to {@code parley.ingest.max-wait-ms}.
     *
     * @return false when none came free in time (the caller answers 503); on true the caller must {@link #leave()}
     */
    public boolean enter() {
        boolean admitted;
        try {
            admitted = inFlight.tryAcquire() || inFlight.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            shed("busy", maxInFlight + " webhooks were being stored and none finished within " + maxWaitMs
                    + " ms (parley.ingest.max-in-flight, .max-wait-ms)");
            return false;
        }
        if (shedding.get() && shedding.compareAndSet(true, false)) {
            LOG.info(() -> "Webhooks are admitted again; " + shedInEpisode.getAndSet(0) + " were answered 503 meanwhile");
        }
        return true;
    }

    public void leave() {
        inFlight.release();
    }

    private void shed(String reason, String detail) {
        metrics.ingestShed(reason);
        shedInEpisode.incrementAndGet();
        if (!shedding.get() && shedding.compareAndSet(false, true)) {
            LOG.warning(() -> "Webhooks are answered 503 (Retry-After " + retryAfterSeconds + " s) until the load eases: "
                    + detail);
        }
    }
}
