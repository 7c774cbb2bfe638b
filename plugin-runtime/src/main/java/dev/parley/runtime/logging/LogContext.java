package dev.parley.runtime.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The connection and session the current thread works for, so that every log record written meanwhile (by the
 * runtime or a connector) carries their ids: {@link ContextLogHandler} adds them to each record. Set with
 * try-with-resources; closing a scope restores the outer one, so pooled threads never keep a stale context.
 */
public final class LogContext {

    private static final ThreadLocal<Ids> CURRENT = new ThreadLocal<>();

    private LogContext() {
    }

    /** The ids of a record: the connection, and the session when one is known. */
    public record Ids(String connection, Long session) {

        /** {@code [connection=sms session=42]}: the same greppable form in every record. */
        public String prefix() {
            return "[connection=" + connection + (session == null ? "" : " session=" + session) + "]";
        }

        /** The ids as a record parameter: Payara's JSON formatter writes a map parameter's entries as fields. */
        public Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("connection", connection);
            if (session != null) {
                f.put("session", String.valueOf(session));
            }
            return java.util.Collections.unmodifiableMap(f);
        }
    }

    /** Closes without exceptions; restores what was set before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Work for a connection, no session known (yet): a webhook before its messages are stored, a desk pull. */
    public static Scope connection(String connectionId) {
        return open(connectionId == null ? null : new Ids(connectionId, null));
    }

    /** Work for one session on one connection (for a desk call: the desk connection). */
    public static Scope session(String connectionId, long sessionId) {
        return open(connectionId == null ? null : new Ids(connectionId, sessionId));
    }

    public static Optional<Ids> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    private static Scope open(Ids ids) {
        Ids outer = CURRENT.get();
        if (ids == null) {
            return () -> { };
        }
        CURRENT.set(ids);
        return () -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        };
    }
}
