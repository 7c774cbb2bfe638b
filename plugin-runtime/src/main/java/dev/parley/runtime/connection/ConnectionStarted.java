package dev.parley.runtime.connection;

/**
 * A connection has just reached RUNNING (CDI event, fired on the thread that started it). Features that act on a
 * fresh connection (a help center's first knowledge sync) observe it; the connection manager calls no feature.
 */
public record ConnectionStarted(String connectionId) {
}
