package dev.parley.spi;

/**
 * Where an outbound message is. Statuses only move forward: a late report never moves a message back
 * (a PENDING report after DELIVERED is ignored), see {@link #canMoveTo}.
 */
public enum DeliveryStatus {
    /** Committed in Parley's outbox, not yet accepted by the provider. */
    QUEUED(0, false),
    /** Accepted by the provider (includes the provider's intermediate "pending" reports). */
    SENT(1, false),
    DELIVERED(2, true),
    /** The provider could not deliver it (handset or operator error). */
    UNDELIVERABLE(2, true),
    EXPIRED(2, true),
    REJECTED(2, true),
    /** Parley gave up: refused by the provider or retries exhausted; the error is kept. */
    FAILED(2, true),
    /** Read by the recipient, where the channel reports it. */
    SEEN(3, true);

    private final int rank;
    private final boolean terminal;

    DeliveryStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }

    /** True when {@code next} is further along than this status; equal or earlier ranks never replace it. */
    public boolean canMoveTo(DeliveryStatus next) {
        if (next == SEEN) {
            return this == SENT || this == DELIVERED || this == QUEUED;
        }
        return next.rank > rank && !(terminal && next.terminal);
    }
}
