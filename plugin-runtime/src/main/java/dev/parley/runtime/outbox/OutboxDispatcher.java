package dev.parley.runtime.outbox;

import dev.parley.runtime.engine.Backoff;
import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.logging.LogContext;
import dev.parley.runtime.metrics.ParleyMetrics;
import dev.parley.spi.Channel;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.SentMessageLookup;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends outbox entries: right after the queuing transaction commits, and again whenever the sweeper
 * finds one due (retry time reached, or a dead worker's lease expired). The provider call happens
 * outside any transaction; its outcome is recorded in a new one.
 */
@ApplicationScoped
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class.getName());

    @Inject
    OutboxStore store;
    @Inject
    ConnectionManager connections;
    @Inject
    RuntimeSettings settings;
    @Inject
    ParleyMetrics metrics;
    /** Lazy: the handoff side queues outbox entries itself. */
    @Inject
    jakarta.enterprise.inject.Instance<DeskCalls> deskCalls;
    @Inject
    dev.parley.runtime.engine.WorkerPools workers;
    @Resource
    jakarta.enterprise.concurrent.ManagedScheduledExecutorService scheduler;

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxQueued queued) {
        // One task per batch keeps a turn's replies in order without waiting for the sweeper.
        // Past the send queue the entries wait in the database for the sweeper.
        workers.sends().offer(() -> dispatchNow(queued.entryIds()));
    }

    /** Sends committed entries on the calling (managed) thread, in order. */
    public void dispatchNow(java.util.List<Long> entryIds) {
        dispatchNow(entryIds, null);
    }

    /**
     * Sends committed entries on the calling (managed) thread, in order.
     *
     * @param claimed one of them already claimed by this worker (in the transaction that queued it), or null
     */
    public void dispatchNow(java.util.List<Long> entryIds, OutboxStore.Claim claimed) {
        for (Long id : entryIds) {
            if (claimed != null && claimed.entryId() == id) {
                try {
                    sendClaimed(claimed, entryIds);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "outbox entry " + id + " could not be dispatched; the sweeper retries", e);
                }
            } else {
                dispatchSafely(id, entryIds);
            }
        }
    }

    /** What one transaction queued for one session: its entries in order, the first of them claimed already (or null). */
    public record Queued(java.util.List<Long> entryIds, OutboxStore.Claim claim) {
    }

    /**
     * {@link #dispatchNow} for what a batch of turns queued: the claimed first messages go out together, their
     * results are recorded in one transaction, then each session's remaining entries follow in order. One heartbeat
     * keeps every claim of the batch alive until its result is recorded, so a claim waiting for its turn to be sent
     * never runs out (which would let another worker send it too).
     */
    public void dispatchAll(java.util.List<Queued> batch) {
        java.util.List<OutboxStore.Claim> claimed = batch.stream().map(Queued::claim).filter(java.util.Objects::nonNull).toList();
        if (claimed.isEmpty()) {
            dispatchRest(batch, java.util.Set.of());
            return;
        }
        // One heartbeat keeps every claim of the batch (messages and desk calls alike) alive until it is dispatched.
        try (dev.parley.runtime.engine.Heartbeat beat = dev.parley.runtime.engine.Heartbeat.start(workers.heartbeats(),
                settings.outboxLease(), () -> !store.renewAll(claimed, settings.outboxLease()).isEmpty())) {
            // The claims may have aged while the rest of the batch was recorded: call providers only for those still held
            // (one a takeover took is the new holder's to send).
            java.util.Set<Long> held = store.renewAll(claimed, settings.outboxLease());
            java.util.Set<Long> handled = new java.util.HashSet<>();
            claimed.stream().filter(c -> !held.contains(c.entryId())).forEach(c -> handled.add(c.entryId()));
            java.util.List<OutboxStore.Claim> messages = claimed.stream().filter(c -> held.contains(c.entryId()))
                    .filter(c -> c.kind() == OutboxEntry.Kind.MESSAGE && c.uncertainSince() == null).toList();
            messages.forEach(c -> handled.add(c.entryId())); // before any wait: none of them may go out twice from here
            java.util.Set<Long> planned = batch.stream().flatMap(q -> q.entryIds().stream())
                    .collect(java.util.stream.Collectors.toSet());
            if (sendTogether(messages, planned)) {
                dispatchRest(batch, handled);
            }
        }
    }

    /**
     * The provider calls go out side by side: each claim is a different session's first unsent entry, so no session's
     * order depends on another's. Their outcomes are recorded here, on the batch's worker.
     *
     * @return false when stopping: what is not recorded stays SENDING and is looked up when its claim runs out
     */
    private boolean sendTogether(java.util.List<OutboxStore.Claim> claims, java.util.Set<Long> planned) {
        java.util.List<java.util.concurrent.Future<SendReceipt>> calls = new java.util.ArrayList<>(claims.size());
        try {
            for (OutboxStore.Claim c : claims) {
                calls.add(workers.providerCalls().submit(() -> callProvider(c)));
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return false;
        }
        java.util.List<OutboxStore.Accepted> accepted = new java.util.ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            OutboxStore.Claim claim = claims.get(i);
            try (LogContext.Scope logged = logContext(claim)) {
                if (!collect(claim, calls.get(i), accepted)) {
                    return false;
                }
            }
        }
        record(accepted, planned);
        return true;
    }

    /**
     * One provider call's outcome: accepted (to record with the batch), or its failure recorded.
     *
     * @return false when interrupted (stopping)
     */
    private boolean collect(OutboxStore.Claim claim, java.util.concurrent.Future<SendReceipt> call,
                            java.util.List<OutboxStore.Accepted> accepted) {
        try {
            accepted.add(new OutboxStore.Accepted(claim, call.get()));
        } catch (java.util.concurrent.ExecutionException e) {
            try {
                recordFailure(claim, e.getCause() instanceof RuntimeException r ? r
                        : new RetryableException(String.valueOf(e.getCause())));
            } catch (RuntimeException notRecorded) {
                LOG.log(Level.WARNING, "outbox entry " + claim.entryId() + " (session " + claim.sessionId()
                        + ", connection " + claim.connectionId() + ") failed and the failure could not be recorded; "
                        + "it is tried again when its claim runs out", notRecorded);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** A batch's entries nobody has dispatched yet, each session's in order: desk calls, lookups, later messages. */
    private void dispatchRest(java.util.List<Queued> batch, java.util.Set<Long> handled) {
        for (Queued q : batch) {
            for (Long id : q.entryIds()) {
                if (handled.contains(id)) {
                    continue;
                }
                if (q.claim() != null && q.claim().entryId() == id) {
                    dispatchNow(java.util.List.of(id), q.claim()); // a desk call, or a message to look up first
                } else {
                    dispatchSafely(id, q.entryIds());
                }
            }
        }
    }

    /** The provider call for one claimed message, on a provider-call thread (no transaction). */
    private SendReceipt callProvider(OutboxStore.Claim claim) {
        try (LogContext.Scope logged = logContext(claim)) {
            return timedSend(channelOf(connectionOf(claim), claim), claim, claim.message());
        }
    }

    /** Records logged while an entry is handled carry its connection (a desk call's: the desk's) and session. */
    private static LogContext.Scope logContext(OutboxStore.Claim claim) {
        return LogContext.session(claim.connectionId(), claim.sessionId());
    }

    /** The provider's send call, timed for {@code parley_outbound_send} whatever its outcome. */
    private SendReceipt timedSend(Channel channel, OutboxStore.Claim claim, OutboundMessage message) {
        long started = System.nanoTime();
        try {
            return channel.send(message);
        } finally {
            metrics.sendTime(claim.connectionId(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A send or desk call failed: give up on a permanent failure, otherwise retry later (or give up past the backoff). */
    private void recordFailure(OutboxStore.Claim claim, RuntimeException e) {
        if (e instanceof PermanentException p) {
            fail(claim, p.getMessage());
        } else if (e instanceof RetryableException r) {
            retryOrFail(claim, r);
        } else {
            retryOrFail(claim, new RetryableException("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /**
     * Records accepted sends in one transaction; should that fail, one by one, so one bad row does not hold back the
     * others (a row that still fails stays SENDING until its claim runs out, and is then looked up, not resent).
     * A session's next entry that nobody plans to send is offered to the send workers.
     */
    private void record(java.util.List<OutboxStore.Accepted> accepted, java.util.Set<Long> planned) {
        if (accepted.isEmpty()) {
            return;
        }
        java.util.List<OutboxStore.Sent> sent;
        try {
            sent = store.sentAll(accepted);
        } catch (RuntimeException batchFailed) {
            LOG.log(Level.FINE, "recording " + accepted.size() + " sends together failed; recording them one by one",
                    batchFailed);
            sent = accepted.stream().map(a -> {
                try (LogContext.Scope logged = logContext(a.claim())) {
                    return recordAlone(a);
                }
            }).collect(java.util.stream.Collectors.toList()); // null: logged already
        }
        for (int i = 0; i < accepted.size(); i++) {
            OutboxStore.Claim claim = accepted.get(i).claim();
            if (sent.get(i) == null) {
                continue;
            }
            if (sent.get(i).recorded()) {
                metrics.sent(claim.connectionId());
                sent.get(i).nextOfSession().filter(n -> !planned.contains(n)).ifPresent(this::submit);
            } else {
                try (LogContext.Scope logged = logContext(claim)) {
                    warnSentAfterClaimRanOut(claim);
                }
            }
        }
    }

    /** Records one accepted send in a transaction of its own; null (logged) when that fails. */
    private OutboxStore.Sent recordAlone(OutboxStore.Accepted a) {
        try {
            return store.sentThenNext(a.claim(), a.receipt());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "outbox entry " + a.claim().entryId() + " (session " + a.claim().sessionId()
                    + ", connection " + a.claim().connectionId() + ") was sent but could not be recorded; "
                    + "it is looked up at the provider when its claim runs out", e);
            return null;
        }
    }

    /** Queues a send on the send workers: a no-op when it is already queued, left to the sweeper when the queue is full. */
    public void submit(long entryId) {
        workers.sends().offer(entryId, () -> dispatchSafely(entryId, java.util.List.of()));
    }

    /** @param planned entries this thread sends next anyway */
    void dispatchSafely(long entryId, java.util.List<Long> planned) {
        try {
            dispatch(entryId, planned);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "outbox entry " + entryId + " could not be dispatched; the sweeper retries", e);
        }
    }

    void dispatch(long entryId, java.util.List<Long> planned) {
        Optional<OutboxStore.Claim> claimed = store.claim(entryId, settings.outboxLease());
        if (claimed.isEmpty()) {
            return; // sent, taken by another worker, not due yet, or waiting behind an earlier message
        }
        sendClaimed(claimed.get(), planned);
    }

    /** Sends an entry this worker holds the claim of, then offers the session's next entry, which may have waited for it. */
    private void sendClaimed(OutboxStore.Claim claim, java.util.List<Long> planned) {
        Optional<Long> next = send(claim);
        if (next == null) {
            next = store.nextOfSession(claim.sessionId(), claim.connectionId());
        }
        next.filter(n -> !planned.contains(n)).ifPresent(this::submit);
    }

    /** @return the session's next entry when the outcome's transaction looked it up already; null when it did not */
    private Optional<Long> send(OutboxStore.Claim claim) {
        try (LogContext.Scope logged = logContext(claim)) {
            return sendOrRecordFailure(claim);
        }
    }

    private Optional<Long> sendOrRecordFailure(OutboxStore.Claim claim) {
        try (dev.parley.runtime.engine.Heartbeat beat = dev.parley.runtime.engine.Heartbeat.start(workers.heartbeats(), settings.outboxLease(),
                () -> store.renew(claim.entryId(), claim.token(), settings.outboxLease()))) {
            if (claim.kind() == OutboxEntry.Kind.MESSAGE) {
                return sendMessage(claim);
            }
            if (claim.kind() == OutboxEntry.Kind.CHANNEL_CLOSE) {
                closeConversation(claim);
                return null;
            }
            deskCalls.get().perform(claim);
        } catch (RuntimeException e) {
            recordFailure(claim, e);
        }
        return null;
    }

    /**
     * The bot resolved the session: the channel closes the provider's conversation (or says why it left it open) and
     * its line goes into the timeline. Failures are handled like a desk call's: retried with backoff, given up on a
     * {@link PermanentException} or when the attempts run out (CONVERSATION_CLOSE_FAILED).
     */
    private void closeConversation(OutboxStore.Claim claim) {
        dev.parley.spi.ConversationCloser closer = connectionOf(claim).capability(dev.parley.spi.ConversationCloser.class)
                .orElseThrow(() -> new PermanentException("connection '" + claim.connectionId()
                        + "' cannot close conversations (no ConversationCloser)"));
        String line = closer.closeResolved(claim.recipient(), claim.reason() == null ? "resolved" : claim.reason());
        if (!store.conversationClosed(claim.entryId(), claim.token(), claim.sessionId(), line)) {
            LOG.warning("outbox entry " + claim.entryId() + " (session " + claim.sessionId() + ", connection "
                    + claim.connectionId() + ") closed the conversation after its claim ran out; parley.outbox.lease-ms "
                    + "is shorter than this provider's call took");
        }
    }

    private dev.parley.runtime.connection.ManagedConnection connectionOf(OutboxStore.Claim claim) {
        return connections.running(claim.connectionId())
                .orElseThrow(() -> new RetryableException("connection '" + claim.connectionId() + "' is not running"));
    }

    private static Channel channelOf(dev.parley.runtime.connection.ManagedConnection connection, OutboxStore.Claim claim) {
        return connection.capability(Channel.class)
                .orElseThrow(() -> new PermanentException("connection '" + claim.connectionId() + "' cannot send messages"));
    }

    private Optional<Long> sendMessage(OutboxStore.Claim claim) {
        dev.parley.runtime.connection.ManagedConnection connection = connectionOf(claim);
        Channel channel = channelOf(connection, claim);
        OutboundMessage message = claim.message();
        if (claim.uncertainSince() != null && !sendAfterLookup(connection, claim, message)) {
            return null;
        }
        SendReceipt receipt = timedSend(channel, claim, message);
        OutboxStore.Sent sent = store.sentThenNext(claim, receipt);
        if (!sent.recorded()) {
            warnSentAfterClaimRanOut(claim);
            return null;
        }
        metrics.sent(claim.connectionId());
        return sent.nextOfSession();
    }

    /** Sent, but the claim ran out first and another worker holds the entry now: it may send again. */
    private static void warnSentAfterClaimRanOut(OutboxStore.Claim claim) {
        LOG.warning("outbox entry " + claim.entryId() + " (session " + claim.sessionId() + ", connection "
                + claim.connectionId() + ") was sent after its claim ran out; parley.outbox.lease-ms is shorter "
                + "than this provider's send took");
    }

    /**
     * An earlier attempt may have reached the provider unrecorded (its worker died or stalled while sending): ask
     * the provider before sending again. Exactly once where it can tell; otherwise, after
     * {@code parley.outbox.lookup-patience-ms}, at least once, and the timeline says so.
     *
     * @return true to send now; false when the outcome is recorded or the question is asked again later
     */
    private boolean sendAfterLookup(dev.parley.runtime.connection.ManagedConnection connection, OutboxStore.Claim claim,
                                    OutboundMessage message) {
        java.util.Optional<SentMessageLookup> lookup = connection.capability(SentMessageLookup.class);
        if (lookup.isEmpty()) {
            store.note(claim.entryId(), "SEND_UNCHECKED", "an earlier attempt may have reached the provider, which "
                    + "cannot be asked; sending again (at least once)");
            return true;
        }
        SentMessageLookup.Result r = lookup.get().lookup(message, claim.uncertainSince().toInstant());
        switch (r.answer()) {
            case FOUND -> {
                if (store.sentThenNext(claim, r.receipt()).recorded()) {
                    store.note(claim.entryId(), "FOUND_AT_PROVIDER", "the provider has it (" + r.reason()
                            + "); not sent again");
                    metrics.sent(claim.connectionId());
                }
                return false;
            }
            case NOT_FOUND -> {
                store.note(claim.entryId(), "NOT_AT_PROVIDER", r.reason() + "; sending");
                return true;
            }
            default -> {
                OffsetDateTime giveUpAt = claim.uncertainSince().plus(settings.outboxLookupPatience());
                OffsetDateTime now = OffsetDateTime.now();
                if (now.isBefore(giveUpAt)) {
                    Duration wait = r.retryAfter() != null ? r.retryAfter() : Duration.ofSeconds(10);
                    OffsetDateTime at = now.plus(wait.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : wait);
                    if (at.isAfter(giveUpAt)) at = giveUpAt;
                    if (store.lookupLater(claim.entryId(), claim.token(), at, r.reason())) {
                        long delay = Math.max(0, Duration.between(now, at).toMillis());
                        scheduler.schedule(() -> submit(claim.entryId()), delay + 5,
                                java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    return false;
                }
                store.note(claim.entryId(), "SEND_UNCHECKED", "the provider could not tell within "
                        + settings.outboxLookupPatience().toSeconds() + " s whether it has this message (" + r.reason()
                        + "); sending again: it may arrive twice");
                return true;
            }
        }
    }

    private void fail(OutboxStore.Claim claim, String error) {
        if (store.failed(claim.entryId(), claim.token(), error).isEmpty()) {
            return; // the claim was taken over meanwhile: the new holder decides
        }
        metrics.failed(claim.connectionId());
        if (claim.kind() != OutboxEntry.Kind.MESSAGE && claim.kind() != OutboxEntry.Kind.CHANNEL_CLOSE) {
            deskCalls.get().failed(claim, error);
        }
    }

    private void retryOrFail(OutboxStore.Claim claim, RetryableException e) {
        Backoff backoff = settings.outboxBackoff();
        if (backoff.exhausted(claim.attempt())) {
            fail(claim, "gave up after " + claim.attempt() + " attempts: " + e.getMessage());
            return;
        }
        Duration delay = backoff.delayAfter(claim.attempt(), e.retryAfter(), ThreadLocalRandom.current()::nextDouble);
        if (!store.retryAt(claim.entryId(), claim.token(), OffsetDateTime.now().plus(delay), e.getMessage())) {
            return; // the claim was taken over meanwhile: the new holder decides
        }
        metrics.retried(claim.connectionId());
        // Precise re-drive in this JVM; the sweeper covers it if this JVM goes away first.
        scheduler.schedule(() -> submit(claim.entryId()), delay.toMillis() + 5, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
