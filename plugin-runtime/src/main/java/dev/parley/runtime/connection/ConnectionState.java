package dev.parley.runtime.connection;

/** STOPPED -> STARTING -> RUNNING, or ERROR with a reason. */
public enum ConnectionState {
    STOPPED, STARTING, RUNNING, ERROR
}
