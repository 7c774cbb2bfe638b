package dev.parley.runtime.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** Counters per connection, exposed by MicroProfile Metrics at /metrics (scope "application"). */
@ApplicationScoped
public class ParleyMetrics {

    @Inject
    MetricRegistry registry;

    public void inbound(String connection) { count("parley_inbound_messages", connection); }
    public void duplicate(String connection) { count("parley_inbound_duplicates", connection); }
    public void sent(String connection) { count("parley_outbound_sent", connection); }
    public void failed(String connection) { count("parley_outbound_failed", connection); }

    /** How many sessions a bot worker took from its queue at once: 1 under light load, more as work waits. */
    public void turnBatch(int sessions) {
        registry.histogram("parley_turn_batch_sessions").update(sessions);
    }

    /** A webhook answered 503 by admission control ({@code backlog} or {@code busy}). */
    public void ingestShed(String reason) {
        registry.counter("parley_ingest_shed", new Tag("reason", reason)).inc();
    }

    /** What assist mode did with a ticket ({@code suggested}, {@code skipped_topic}, {@code failed}, ...). */
    public void assist(String connection, String outcome) {
        registry.counter("parley_assist", new Tag("connection", connection), new Tag("outcome", outcome)).inc();
    }

    private void count(String name, String connection) {
        registry.counter(name, new Tag("connection", connection)).inc();
    }
}
