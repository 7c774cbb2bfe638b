package dev.parley.infobip.whatsapp;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How often one kind of failure happened on this connection since it opened, and the last one: what the doctor
 * reports for messages refused outside the 24-hour window and media Parley could not copy. In memory and per instance
 * (a restart starts from zero): a hint for the operator, not a record; the database keeps each message's own reason.
 * Thread-safe.
 */
final class FailureTally {

    /** The count so far and the newest failure's reason and time; null reason before the first. */
    record Snapshot(long count, String lastReason, Instant lastAt) {
    }

    private final AtomicReference<Snapshot> state = new AtomicReference<>(new Snapshot(0, null, null));

    void record(String reason, Instant at) {
        state.updateAndGet(s -> new Snapshot(s.count() + 1, reason, at));
    }

    Snapshot snapshot() {
        return state.get();
    }
}
