package dev.parley.runtime.assist;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.chatbot.ChatbotStore;
import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.metrics.ParleyMetrics;
import dev.parley.spi.AssistDesk;
import dev.parley.spi.RetryableException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Assist mode: a desk reported a customer comment on a ticket Parley did not open; after the webhook answered,
 * the agent that assists on that desk suggests an answer as an internal note (see {@link AssistFlow} for the
 * rules). Transient failures are retried {@value #RETRIES} times with backoff on the managed scheduler; then an
 * ERROR in the connection log, and the dedup claim is released so the desk's next webhook can try again.
 */
@ApplicationScoped
public class AssistService {

    private static final Logger LOG = Logger.getLogger(AssistService.class.getName());
    static final int RETRIES = 3;
    private static final Duration FIRST_DELAY = Duration.ofSeconds(2);

    @Inject
    ConnectionManager connections;
    @Inject
    Agents agents;
    @Inject
    ChatbotStore chatbots;
    @Inject
    ConnectionLogService logs;
    @Inject
    ParleyMetrics metrics;
    @Inject
    Receipts receipts;
    @Resource
    ManagedExecutorService executor;
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Called on the webhook thread: only queues the work. */
    public void requested(String connectionId, String ticketRef) {
        executor.execute(() -> attempt(connectionId, ticketRef, 0));
    }

    void attempt(String connectionId, String ref, int retriesDone) {
        try (dev.parley.runtime.logging.LogContext.Scope logged = dev.parley.runtime.logging.LogContext.connection(connectionId)) {
            AssistDesk desk = connections.running(connectionId).flatMap(c -> c.capability(AssistDesk.class))
                    .orElseThrow(() -> new RetryableException("connection '" + connectionId + "' is not running"));
            AssistFlow.Outcome outcome = new AssistFlow(connectionId, desk, receipts,
                    agents.registry().assistAgent(connectionId), this::bot,
                    (severity, text) -> logs.append(connectionId, severity, text)).run(ref);
            metrics.assist(connectionId, outcome.tag());
            if (outcome == AssistFlow.Outcome.DUPLICATE) {
                metrics.duplicate(connectionId); // a repeated webhook for a comment assisted already: a dedup hit too
            }
        } catch (RetryableException | BotFailure e) {
            if (retriesDone < RETRIES) {
                Duration delay = FIRST_DELAY.multipliedBy(1L << retriesDone);
                if (e instanceof RetryableException r && r.retryAfter().isPresent() && r.retryAfter().get().compareTo(delay) > 0) {
                    delay = r.retryAfter().get();
                }
                scheduler.schedule(() -> attempt(connectionId, ref, retriesDone + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            gaveUp(connectionId, ref, "gave up after " + (retriesDone + 1) + " attempts: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "assist on ticket " + ref + " failed", e);
            gaveUp(connectionId, ref, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void gaveUp(String connectionId, String ref, String why) {
        metrics.assist(connectionId, "failed");
        try {
            logs.append(connectionId, "ERROR", "assist on ticket " + ref + " failed, " + why
                    + "; the desk's next webhook for it tries again");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "assist on ticket " + ref + " failed and could not be logged", e);
        }
    }

    /** The agent's active chatbot revision (its chatbot has the agent's id) when there is one, else its own bot. */
    private dev.parley.runtime.bot.Bot bot(AgentDefinition agent) {
        Long revision = "embedded".equals(agent.bot()) ? chatbots.activeRevisionId(agent.id()).orElse(null) : null;
        return agents.bot(agent, revision);
    }

    /** Assist's dedup claims: the receipts of inbound events, per ticket comment. */
    @ApplicationScoped
    public static class Receipts implements AssistFlow.Receipts {
        @Inject
        dev.parley.runtime.dedup.Receipts receipts; // the same name as this class's

        @Override
        public boolean claim(String connectionId, String key) {
            try {
                receipts.claimAlone(connectionId, key);
                return true;
            } catch (DuplicateEventException e) {
                return false;
            }
        }

        @Override
        public void release(String connectionId, String key) {
            receipts.release(connectionId, key);
        }
    }
}
