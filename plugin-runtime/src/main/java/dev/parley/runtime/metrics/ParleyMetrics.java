package dev.parley.runtime.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Parley's metrics, exposed by MicroProfile Metrics at /metrics (scope "application"), most of them per connection
 * (tag {@code connection}). Counters, the send timer and the batch histogram count what this instance did; the
 * gauges read the shared database and are the same on every instance (cluster-wide).
 */
@ApplicationScoped
public class ParleyMetrics {

    /** How long a gauge's database reading is reused: a scrape never costs more than two small queries per 5 s. */
    static final Duration GAUGE_TTL = Duration.ofSeconds(5);

    static final Metadata INBOUND = describe("parley_inbound_messages",
            "Customer messages stored from the connection's webhooks (this instance)");
    static final Metadata DUPLICATES = describe("parley_inbound_duplicates",
            "Webhook events dropped as duplicates already received: messages, desk replies and closings, assignments, "
                    + "assist requests for a comment already assisted (this instance)");
    static final Metadata SENT = describe("parley_outbound_sent",
            "Messages the provider accepted (this instance)");
    static final Metadata FAILED = describe("parley_outbound_failed",
            "Outbox entries given up on: messages, desk calls and conversation closings that failed permanently or ran "
                    + "out of attempts (this instance)");
    static final Metadata RETRIED = describe("parley_outbound_retried",
            "Outbox entries whose attempt failed retryably and were rescheduled with backoff (this instance)");
    static final Metadata SEND_TIME = Metadata.builder().withName("parley_outbound_send")
            .withDescription("Time of the provider's send call for a message, successful or not (this instance)")
            .withUnit(org.eclipse.microprofile.metrics.MetricUnits.SECONDS).build();
    static final Metadata HANDOFFS_OPENED = describe("parley_handoffs_opened",
            "Handoffs a desk opened (a ticket, or Parley's console), by desk connection and the customer's channel "
                    + "connection (this instance)");
    static final Metadata HANDOFFS_FAILED = describe("parley_handoffs_failed",
            "Handoffs the desk did not open (the session went back to the bot), by desk connection and channel "
                    + "connection (this instance)");
    static final Metadata OUTBOX_DEPTH = describe("parley_outbox_depth",
            "Outbox entries of the connection not yet sent (pending, backing off or in a provider call); read from the "
                    + "shared database at most every 5 s, so the same on every instance (cluster-wide)");
    static final Metadata TURN_BACKLOG = describe("parley_turn_backlog",
            "Bot turns of the channel connection's sessions waiting for the bot; read from the shared database at "
                    + "most every 5 s, so the same on every instance (cluster-wide)");
    static final Metadata TURN_BATCH = describe("parley_turn_batch_sessions",
            "How many sessions a bot worker took from its queue at once (this instance)");
    static final Metadata INGEST_SHED = describe("parley_ingest_shed",
            "Webhooks answered 503 by admission control, by reason (this instance)");
    static final Metadata ASSIST = describe("parley_assist",
            "What assist mode did with a ticket, by outcome (this instance)");

    @Inject
    MetricRegistry registry;
    @Inject
    BacklogReader backlog;
    /** Counts that describe a commit wait for it (absent outside the server: counted at once). */
    @Resource
    TransactionSynchronizationRegistry transactions;

    private CachedReading<Map<String, Long>> outboxDepth;
    private CachedReading<Map<String, Long>> turnBacklog;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void init() {
        outboxDepth = new CachedReading<>(() -> backlog.outboxDepth(), GAUGE_TTL, System::nanoTime, Map.of());
        turnBacklog = new CachedReading<>(() -> backlog.turnBacklog(), GAUGE_TTL, System::nanoTime, Map.of());
    }

    /** Registers the connection's database gauges (once), so they show from start-up on, 0 while nothing waits. */
    public void watch(String connection) {
        if (registry == null || !watched.add(connection)) {
            return;
        }
        Tag tag = new Tag("connection", connection);
        registry.gauge(OUTBOX_DEPTH, () -> outboxDepth.get().getOrDefault(connection, 0L), tag);
        registry.gauge(TURN_BACKLOG, () -> turnBacklog.get().getOrDefault(connection, 0L), tag);
    }

    public void inbound(String connection) { count(INBOUND, connection); }
    public void duplicate(String connection) { count(DUPLICATES, connection); }
    public void sent(String connection) { count(SENT, connection); }
    public void failed(String connection) { count(FAILED, connection); }
    public void retried(String connection) { count(RETRIED, connection); }

    /** The provider's send call for a message took {@code time}, whether it succeeded or not. */
    public void sendTime(String connection, Duration time) {
        registry.timer(SEND_TIME, new Tag("connection", connection)).update(time);
    }

    /** A desk opened a handoff; counted when the caller's transaction commits (at once without one). */
    public void handoffOpened(String desk, String channel) {
        afterCommit(() -> registry.counter(HANDOFFS_OPENED, new Tag("connection", desk), new Tag("channel", channel)).inc());
    }

    /** A desk did not open a handoff; counted when the caller's transaction commits (at once without one). */
    public void handoffFailed(String desk, String channel) {
        afterCommit(() -> registry.counter(HANDOFFS_FAILED, new Tag("connection", desk), new Tag("channel", channel)).inc());
    }

    /** How many sessions a bot worker took from its queue at once: 1 under light load, more as work waits. */
    public void turnBatch(int sessions) {
        registry.histogram(TURN_BATCH).update(sessions);
    }

    /** A webhook answered 503 by admission control ({@code backlog} or {@code busy}). */
    public void ingestShed(String reason) {
        registry.counter(INGEST_SHED, new Tag("reason", reason)).inc();
    }

    /** What assist mode did with a ticket ({@code suggested}, {@code skipped_topic}, {@code failed}, ...). */
    public void assist(String connection, String outcome) {
        registry.counter(ASSIST, new Tag("connection", connection), new Tag("outcome", outcome)).inc();
    }

    private void count(Metadata metadata, String connection) {
        registry.counter(metadata, new Tag("connection", connection)).inc();
    }

    /** A count about something a transaction writes must not count a rollback (or each retry of one). */
    private void afterCommit(Runnable count) {
        int status = transactions == null ? Status.STATUS_NO_TRANSACTION : transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            count.run();
            return;
        }
        if (status != Status.STATUS_ACTIVE) {
            return; // marked for rollback (or ending): it will not commit
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    count.run();
                }
            }
        });
    }

    private static Metadata describe(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }
}
