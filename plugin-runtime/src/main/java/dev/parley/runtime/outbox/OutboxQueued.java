package dev.parley.runtime.outbox;

import java.util.List;

/** Fired inside the transaction that queued sends; observed after a successful commit. */
public record OutboxQueued(List<Long> entryIds) {
}
