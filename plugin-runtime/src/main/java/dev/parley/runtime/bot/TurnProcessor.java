package dev.parley.runtime.bot;

import dev.parley.runtime.Heartbeat;

import dev.parley.runtime.RuntimeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import dev.parley.runtime.handoff.HandoffStore;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs bot turns on the bot workers ({@link dev.parley.runtime.WorkerPools}), one at a time per session, oldest first. Started right after
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
    @Inject
    dev.parley.runtime.connection.ConnectionManager connections;
    @Inject
    dev.parley.runtime.connection.ConnectionLogService logs;
    @Inject
    dev.parley.runtime.language.Languages languages;
    @Inject
    dev.parley.runtime.WorkerPools workers;

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) TurnQueued queued) {
        submit(queued.sessionId());
    }

    /**
     * Queues a drain of the session's turns on the bot workers; a no-op when one is already queued, and left to the
     * sweeper when the queue is full (the turns are in the database).
     */
    public void submit(long sessionId) {
        workers.turns().offer(sessionId, () -> {
            drain(sessionId);
            refillIfDue();
        });
    }

    /** After an overflow, the sessions left waiting in the database are offered again as soon as the queue has room. */
    private void refillIfDue() {
        if (workers.turns().refillDue()) {
            try {
                store.stalledSessions(java.time.Duration.ofSeconds(2), REFILL).forEach(this::submit);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "refill from the database failed; the sweeper re-drives", e);
            }
        }
    }

    private static final int REFILL = 500;

    void drain(long sessionId) {
        String owner = settings.instanceId() + "/" + Thread.currentThread().getId();
        try {
            boolean givenBack; // the lease went back in the transaction that found nothing pending, under the row lock
            do {
                // Lease and first turn in one transaction; with nothing pending the lease is given back in it.
                Optional<TurnStore.Leased> leased = store.leaseNext(sessionId, owner, settings.botLease());
                if (leased.isEmpty()) {
                    return; // another worker has this session; it re-checks for new turns before leaving
                }
                long token = leased.get().token();
                Optional<TurnStore.Work> work = leased.get().next();
                givenBack = work.isEmpty();
                try {
                    long leasedAt = System.nanoTime();
                    while (work.isPresent()) {
                        TurnStore.Completed done = run(work.get(), token);
                        if (!done.held()) {
                            break; // taken over (or the turn was done meanwhile): the holder runs the rest
                        }
                        work = done.next();
                        if (work.isEmpty()) {
                            givenBack = done.released();
                            break;
                        }
                        // Completing a turn renews the lease; renew on its own only when half of it is gone.
                        if (System.nanoTime() - leasedAt > settings.botLease().toNanos() / 2) {
                            if (!store.renew(sessionId, token, settings.botLease())) {
                                return; // taken over: the new holder runs the rest
                            }
                            leasedAt = System.nanoTime();
                        }
                    }
                } finally {
                    if (!givenBack) {
                        store.release(sessionId, token);
                    }
                }
            } while (!givenBack && store.hasPending(sessionId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bot turns of session " + sessionId + " interrupted; the sweeper retries", e);
        }
    }

    /** Runs one turn under the lease and sends its replies; answers what completing it found next. */
    private TurnStore.Completed run(TurnStore.Work work, long token) {
        AgentDefinition agent = work.agentId() == null ? null : agents.registry().agent(work.agentId()).orElse(null);
        if (agent == null) {
            store.fail(work.turnId(), token, settings.botLease(), "agent '" + work.agentId() + "' is no longer configured");
            return new TurnStore.Completed(List.of(), null, true, store.next(work.sessionId()), false);
        }
        if (refusedByTestSender(agent, work, token)) {
            return new TurnStore.Completed(List.of(), null, true, store.next(work.sessionId()), false);
        }
        TurnStore.Outcome outcome;
        try (Heartbeat beat = Heartbeat.start(workers.heartbeats(), settings.botLease(),
                () -> store.renew(work.sessionId(), token, settings.botLease()))) {
            outcome = decide(agent, work); // the bot call: seconds, and the lease stays ours meanwhile
        }
        // Completion, the first reply's claim and the next turn in one transaction; then the replies go out.
        TurnStore.Completed done = store.completeNext(work.sessionId(), work.turnId(), token, settings.botLease(), outcome,
                settings.outboxLease());
        outbox.dispatchNow(done.entries(), done.claim());
        return done;
    }

    /**
     * A bot on a sandbox connection answers only the number verified for testing (as a provider's test
     * sender would); anyone else gets nothing, and the attempt is logged.
     */
    private boolean refusedByTestSender(AgentDefinition agent, TurnStore.Work work, long token) {
        if (agent.testNumber() == null || !connections.find(work.connectionId()).map(c -> c.sandbox()).orElse(false)) {
            return false;
        }
        if (digits(agent.testNumber()).equals(digits(work.contactAddress()))) {
            return false;
        }
        String why = "not answered: " + work.contactAddress() + " is not the verified test number of agent '"
                + agent.id() + "' (parley.agent." + agent.id() + ".test-number)";
        logs.append(work.connectionId(), "WARN", why);
        store.complete(work.turnId(), token, settings.botLease(), new TurnStore.Outcome(List.of(), work.context(), null, new TurnStore.Note("TEST_SENDER_REFUSED", why)));
        return true;
    }

    /** What the agent does with one customer message: answer, escalate, or hand off. */
    TurnStore.Outcome decide(AgentDefinition agent, TurnStore.Work work) {
        if (asksForHuman(agent, work.text())) {
            return new TurnStore.Outcome(List.of(), work.context(), handoff(agent, work, "customer asked for a human", null), null);
        }
        BotAnswer answer;
        try {
            answer = agents.bot(agent, work.chatbotRevisionId()).answer(new BotRequest(agent.id(), work.sessionId(),
                    work.text(), work.firstTurn(), work.context(), work.history(), work.contactName()));
        } catch (RuntimeException e) {
            String why = "bot failed: " + (e instanceof BotFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.log(Level.FINE, why, e);
            // Never silence: apologise, and let a human take over when there is a desk.
            return new TurnStore.Outcome(List.of(agent.texts().apology()), work.context(),
                    agent.canHandOff() ? handoff(agent, work, why, null) : null, new TurnStore.Note("BOT_ERROR", why));
        }
        String topic = answer.topic() == null ? null : answer.topic().toLowerCase(Locale.ROOT);
        if (topic != null && "escalate".equals(agent.topics().get(topic))) {
            return new TurnStore.Outcome(List.of(), answer.context(),
                    handoff(agent, work, "topic '" + topic + "' is set to escalate", answer),
                    new TurnStore.Note("TOPIC_ESCALATED", topic));
        }
        HandoffStore.Request handoff = answer.handoff() == null ? null : handoff(agent, work, answer.handoff().reason(), answer);
        return new TurnStore.Outcome(ButtonRendering.render(answer.messages()), answer.context(), handoff,
                topic == null ? null : new TurnStore.Note("BOT_TOPIC", topic));
    }

    /** Whatever the bot, a customer who plainly asks for a person gets one. */
    static boolean asksForHuman(AgentDefinition agent, String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} ]", " ").trim()
                .replaceAll("\\s+", " ");
        for (String phrase : agent.humanPhrases()) {
            // One word must be the whole message ("agent"); a phrase may appear anywhere ("can I talk to a human?").
            if (phrase.contains(" ") ? (" " + t + " ").contains(" " + phrase + " ") : t.equals(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** Fills in what the bot did not say: language by detection, a summary from the customer's words. */
    private HandoffStore.Request handoff(AgentDefinition agent, TurnStore.Work work, String reason, BotAnswer answer) {
        HandoffSignal signal = answer == null ? null : answer.handoff();
        StringBuilder customerWords = new StringBuilder();
        work.history().stream().filter(l -> TranscriptLine.CUSTOMER.equals(l.author()))
                .forEach(l -> customerWords.append(l.text()).append('\n'));
        customerWords.append(work.text());
        String language = signal != null && signal.language() != null ? signal.language()
                : answer != null && answer.language() != null ? answer.language()
                : languages.detect(customerWords.toString()).orElse(null);
        String summary = signal != null && signal.summary() != null ? signal.summary()
                : "Customer wrote: " + dev.parley.runtime.persistence.Columns.fit(customerWords.toString().replace('\n', ' '), 1000);
        return new HandoffStore.Request(reason, summary, signal == null ? Sentiment.NEUTRAL : signal.sentiment(),
                language, signal == null ? Map.of() : signal.fields());
    }

    private static String digits(String s) {
        return s == null ? "" : s.replaceAll("\\D", "");
    }
}
