package dev.parley.runtime.turn;

/** Fired inside the transaction that queued a bot turn; observed after a successful commit. */
public record TurnQueued(long sessionId) {
}
