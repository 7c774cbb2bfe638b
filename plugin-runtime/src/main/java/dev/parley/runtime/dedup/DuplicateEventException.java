package dev.parley.runtime.dedup;

/** The event's dedup key was already claimed on this connection: it was processed before. */
public class DuplicateEventException extends RuntimeException {
    public DuplicateEventException(String key) {
        super("duplicate event " + key, null, false, false);
    }
}
