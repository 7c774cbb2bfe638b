package dev.parley.runtime.lifecycle;

import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.outbox.OutboxDispatcher;
import dev.parley.runtime.outbox.OutboxStore;
import dev.parley.runtime.turn.TurnProcessor;
import dev.parley.runtime.turn.TurnStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The crash-recovery loop, run by every instance: re-drives outbox entries that are due (retries,
 * expired leases after a crash) and bot turns nobody is working on, and purges expired dedup receipts.
 * Claims make it safe for N instances to sweep the same database.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());
    private static final int BATCH = 200;

    @Inject
    RuntimeSettings settings;
    @Inject
    OutboxStore outbox;
    @Inject
    OutboxDispatcher dispatcher;
    @Inject
    TurnStore turns;
    @Inject
    TurnProcessor turnProcessor;
    @Inject
    ReceiptPurger purger;
    @Inject
    dev.parley.runtime.connection.ConnectionManager connections;
    @Inject
    dev.parley.runtime.chatbot.ChatbotService chatbots;
    @Inject
    dev.parley.runtime.knowledge.KnowledgeService knowledge;
    @Inject
    dev.parley.runtime.knowledge.KnowledgeSync knowledgeSync;
    @Inject
    dev.parley.runtime.connection.ConnectionLogService connectionLogs;
    @Inject
    dev.parley.runtime.retention.Retention retention;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> task;
    private long sweeps;

    public synchronized void start() {
        long every = settings.sweeperInterval().toMillis();
        // The first run must fall after deployment: Payara aborts managed tasks of a deploying application,
        // and an aborted periodic task never runs again.
        task = scheduler.scheduleWithFixedDelay(this::sweep, Math.max(every, 3000), every, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void sweep() {
        try {
            connections.startNeverStarted();
            outbox.due(BATCH).forEach(dispatcher::submit);
            turns.stalledSessions(Duration.ofSeconds(2), BATCH).forEach(turnProcessor::submit);
            chatbots.sweep();
            connectionLogs.flushRejections(); // counts of webhook rejection bursts
            if (sweeps % 20 == 0) {
                knowledge.refreshIfChanged();
            }
            if (sweeps % 10 == 5) {
                knowledgeSync.submitDue(); // each source is synced only when its interval has passed
            }
            if (sweeps++ % 100 == 0) {
                int purged = purger.purge();
                if (purged > 0) {
                    LOG.fine(() -> "purged " + purged + " expired dedup receipts");
                }
            }
            retention.purgeIfDue(); // bounded storage: its own interval and batches (parley.retention.*)
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sweep failed; next one in " + settings.sweeperInterval(), e);
        }
    }

    /** Deletes dedup receipts past their window. */
    @ApplicationScoped
    public static class ReceiptPurger {
        @PersistenceContext(unitName = "parley")
        EntityManager em;

        @Transactional(Transactional.TxType.REQUIRES_NEW)
        public int purge() {
            return em.createNativeQuery("DELETE FROM inbound_receipt WHERE expires_at < ?")
                    .setParameter(1, OffsetDateTime.now()).executeUpdate();
        }
    }
}
