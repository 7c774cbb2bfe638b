package dev.parley.runtime.bot;

import dev.parley.runtime.RuntimeSettings;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs bot turns on the managed executor, one at a time per session, oldest first. Started right after
 * the inbound transaction commits; the sweeper re-drives sessions whose turns were left behind.
 */
@ApplicationScoped
public class TurnProcessor {

    private static final Logger LOG = Logger.getLogger(TurnProcessor.class.getName());

    @Inject
    TurnStore store;
    @Inject
    Agents agents;
    @Inject
    RuntimeSettings settings;
    @Inject
    dev.parley.runtime.outbox.OutboxDispatcher outbox;
    @Resource
    ManagedExecutorService executor;

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) TurnQueued queued) {
        submit(queued.sessionId());
    }

    public void submit(long sessionId) {
        executor.execute(() -> drain(sessionId));
    }

    void drain(long sessionId) {
        String owner = settings.instanceId() + "/" + Thread.currentThread().getId();
        try {
            do {
                if (!store.lease(sessionId, owner, settings.botLease())) {
                    return; // another worker has this session; it re-checks for new turns before leaving
                }
                try {
                    Optional<TurnStore.Work> work;
                    long leasedAt = System.nanoTime();
                    while ((work = store.next(sessionId)).isPresent()) {
                        run(work.get());
                        // Renew only when half the lease is gone: a fast turn needs no extra transaction.
                        if (System.nanoTime() - leasedAt > settings.botLease().toNanos() / 2) {
                            store.lease(sessionId, owner, settings.botLease());
                            leasedAt = System.nanoTime();
                        }
                    }
                } finally {
                    store.release(sessionId, owner);
                }
            } while (store.hasPending(sessionId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bot turns of session " + sessionId + " interrupted; the sweeper retries", e);
        }
    }

    private void run(TurnStore.Work work) {
        AgentDefinition agent = work.agentId() == null ? null : agents.registry().agent(work.agentId()).orElse(null);
        if (agent == null) {
            store.fail(work.turnId(), "agent '" + work.agentId() + "' is no longer configured");
            return;
        }
        List<String> replies;
        try {
            replies = agents.bot(agent).answer(new BotRequest(agent.id(), work.sessionId(), work.text(), work.firstTurn(), null, List.of(), null))
                    .messages().stream().map(BotMessage::text).toList();
        } catch (RuntimeException e) {
            store.fail(work.turnId(), "bot failed: " + e.getMessage());
            return;
        }
        // Committed: send the replies from this worker, in order, without another executor hand-off.
        outbox.dispatchNow(store.complete(work.turnId(), replies));
    }
}
