package dev.parley.runtime.outbox;

/**
 * Performs the help-desk calls the outbox carries ({@link OutboxEntry.Kind#DESK_OPEN} and friends). Lives
 * with the handoff feature; the outbox only owns claiming, retrying and giving up.
 */
public interface DeskCalls {

    /**
     * Calls the desk and records the outcome, marking the entry done.
     *
     * @throws dev.parley.spi.RetryableException to retry later
     * @throws dev.parley.spi.PermanentException to give up now
     */
    void perform(OutboxStore.Claim claim);

    /** The outbox gave up on a desk call (permanent error or attempts exhausted). */
    void failed(OutboxStore.Claim claim, String error);
}
