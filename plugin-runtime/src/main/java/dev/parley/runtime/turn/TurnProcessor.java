package dev.parley.runtime.turn;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotFailure;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.ButtonRendering;
import dev.parley.runtime.bot.HandoffSignal;
import dev.parley.runtime.engine.Heartbeat;

import dev.parley.runtime.config.RuntimeSettings;
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
 * Runs bot turns on the bot workers ({@link dev.parley.runtime.engine.WorkerPools}), one at a time per session, oldest first. Started right after
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
    dev.parley.runtime.engine.WorkerPools workers;
    @Inject
    dev.parley.runtime.metrics.ParleyMetrics metrics;

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) TurnQueued queued) {
        submit(queued.sessionId());
    }

    /**
     * Queues the session for the bot workers, which take queued sessions in batches; a no-op when it is queued
     * already, and left to the sweeper when the queue is full (the turns are in the database).
     */
    public void submit(long sessionId) {
        workers.turns(this::drainAll).offer(sessionId);
    }

    /** After an overflow, the sessions left waiting in the database are offered again as soon as the queue has room. */
    private void refillIfDue() {
        if (workers.turns(this::drainAll).refillDue()) {
            try {
                store.stalledSessions(java.time.Duration.ofSeconds(2), REFILL).forEach(this::submit);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "refill from the database failed; the sweeper re-drives", e);
            }
        }
    }

    private static final int REFILL = 500;

    /**
     * Runs the pending turns of a batch of sessions, each session's one at a time and oldest first, in rounds: one
     * transaction leases them all and reads each one's first turn; the bots decide; one transaction completes every
     * session's turn, queues the replies, claims each session's first reply and reads its next turn; the claimed
     * replies go out and one transaction records them. A session stays in the rounds while it has turns, and its
     * lease goes back in the transaction that finds none. Leases are fenced per session exactly as for one session:
     * a batch only shares commits.
     */
    void drainAll(List<Long> sessionIds) {
        metrics.turnBatch(sessionIds.size());
        String owner = settings.instanceId() + "/" + Thread.currentThread().getId();
        // The leases this worker holds and must give back: session id to fencing token (the heartbeat reads it too).
        Map<Long, Long> held = new java.util.concurrent.ConcurrentSkipListMap<>();
        try {
            Map<Long, TurnStore.Work> due = new java.util.TreeMap<>();
            store.leaseAll(sessionIds, owner, settings.botLease()).forEach((sessionId, leased) -> leased.next()
                    .ifPresent(work -> {
                        held.put(sessionId, leased.token());
                        due.put(sessionId, work);
                    }));
            try (Heartbeat beat = Heartbeat.start(workers.heartbeats(), settings.botLease(), () -> {
                held.keySet().removeAll(store.renewAll(Map.copyOf(held), settings.botLease()));
                return !held.isEmpty();
            })) {
                while (!due.isEmpty() && !Thread.currentThread().isInterrupted()) { // interrupted: stopping
                    Map<Long, TurnStore.Completed> done = round(due, held);
                    due.clear();
                    done.forEach((sessionId, c) -> {
                        if (!c.held() || c.released()) {
                            held.remove(sessionId); // taken over, or given back with nothing pending
                        } else if (c.next().isPresent()) {
                            due.put(sessionId, c.next().get());
                        }
                    });
                    // A session without an answer (its turn could not be recorded) stays held and is given back below.
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bot turns of sessions " + sessionIds + " interrupted; the sweeper retries", e);
        } finally {
            giveBack(held);
            refillIfDue();
        }
    }

    /** One round: every due session's turn decided, completed in one transaction, its replies sent. */
    private Map<Long, TurnStore.Completed> round(Map<Long, TurnStore.Work> due, Map<Long, Long> held) {
        Map<Long, TurnStore.Completed> done = new java.util.TreeMap<>();
        List<TurnStore.Decided> decided = new java.util.ArrayList<>();
        for (TurnStore.Work work : due.values()) {
            Long token = held.get(work.sessionId());
            if (token == null) {
                continue; // lost meanwhile: the new holder runs it
            }
            try (dev.parley.runtime.logging.LogContext.Scope logged = dev.parley.runtime.logging.LogContext.session(
                    work.connectionId(), work.sessionId())) {
                decideOne(work, token, done, decided);
            }
        }
        Map<Long, TurnStore.Completed> completed = complete(decided);
        outbox.dispatchAll(completed.values().stream().filter(TurnStore.Completed::held)
                .map(c -> new dev.parley.runtime.outbox.OutboxDispatcher.Queued(c.entries(), c.claim())).toList());
        done.putAll(completed);
        return done;
    }

    /** One session's turn of a round: settled on its own, or decided by the bot (added to {@code decided}). */
    private void decideOne(TurnStore.Work work, long token, Map<Long, TurnStore.Completed> done,
                           List<TurnStore.Decided> decided) {
        try {
            AgentDefinition agent = work.agentId() == null ? null : agents.registry().agent(work.agentId()).orElse(null);
            if (agent == null) {
                store.fail(work.turnId(), token, settings.botLease(), "agent '" + work.agentId() + "' is no longer configured");
            }
            if (agent == null || refusedByTestSender(agent, work, token)) {
                // Settled on its own already: nothing to send, go on with the session's next turn.
                done.put(work.sessionId(), new TurnStore.Completed(List.of(), null, true, store.next(work.sessionId()), false));
            } else {
                decided.add(new TurnStore.Decided(work, token, decide(agent, work)));
            }
        } catch (RuntimeException e) {
            // This session only: it stays held, is given back when the batch ends, and the sweeper retries it.
            LOG.log(Level.WARNING, "bot turn " + work.turnId() + " of session " + work.sessionId() + " (connection "
                    + work.connectionId() + ") failed; the sweeper retries it", e);
        }
    }

    /**
     * Completes decided turns in one transaction; should that fail, one by one, so one turn that cannot be recorded
     * does not hold back the others (it stays pending, and its session's lease is given back for a retry).
     */
    private Map<Long, TurnStore.Completed> complete(List<TurnStore.Decided> decided) {
        Map<Long, TurnStore.Completed> done = new java.util.TreeMap<>();
        if (decided.isEmpty()) {
            return done;
        }
        try {
            List<TurnStore.Completed> all = store.completeAll(decided, settings.botLease(), settings.outboxLease());
            for (int i = 0; i < decided.size(); i++) {
                done.put(decided.get(i).work().sessionId(), all.get(i));
            }
            return done;
        } catch (RuntimeException batchFailed) {
            LOG.log(Level.FINE, "completing " + decided.size() + " turns together failed; completing them one by one",
                    batchFailed);
        }
        for (TurnStore.Decided d : decided) {
            try (dev.parley.runtime.logging.LogContext.Scope logged = dev.parley.runtime.logging.LogContext.session(
                    d.work().connectionId(), d.work().sessionId())) {
                completeOne(d, done);
            }
        }
        return done;
    }

    /** {@link #complete} of one turn alone, when the batch's transaction failed. */
    private void completeOne(TurnStore.Decided d, Map<Long, TurnStore.Completed> done) {
            try {
            done.put(d.work().sessionId(), store.completeNext(d.work().sessionId(), d.work().turnId(), d.token(), settings.botLease(),
                    d.outcome(), settings.outboxLease()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bot turn " + d.work().turnId() + " of session " + d.work().sessionId()
                    + " (connection " + d.work().connectionId() + ") could not be recorded; it is retried", e);
        }
    }

    /**
     * Gives back the leases still held when a batch ends early (a turn that failed or could not be recorded, an
     * interruption). Their sessions are not offered again here, which would retry a failing turn at once and forever:
     * the sweeper finds their pending turns within seconds.
     */
    private void giveBack(Map<Long, Long> held) {
        if (held.isEmpty()) {
            return;
        }
        try {
            store.releaseAll(Map.copyOf(held));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "leases of sessions " + held.keySet() + " could not be given back; they run out in "
                    + settings.botLease().toSeconds() + " s", e);
        }
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
                    work.text(), work.firstTurn(), work.context(), work.history(), work.contactName(), work.postback()));
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
                    new TurnStore.Note("TOPIC_ESCALATED", topic), answer.resolved()).reasoned(answer.reasoning());
        }
        HandoffStore.Request handoff = answer.handoff() == null ? null : handoff(agent, work, answer.handoff().reason(), answer);
        return new TurnStore.Outcome(ButtonRendering.render(answer.messages()), answer.context(), handoff,
                topic == null ? null : new TurnStore.Note("BOT_TOPIC", topic), answer.resolved()).reasoned(answer.reasoning());
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
