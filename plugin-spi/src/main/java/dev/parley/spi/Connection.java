package dev.parley.spi;

import java.util.Optional;

/**
 * A running instance of a {@link Connector}: one configured connection. It offers capabilities by
 * implementing {@link Channel}, {@link SentMessageLookup}, {@link WebhookReceiver} or {@link SandboxApi}; the
 * runtime asks with {@link #capability}.
 *
 * <p>Thread-safety: the runtime calls a connection from many threads at once (webhooks, outbox
 * senders, admin actions). Implementations keep no per-call mutable state.
 */
public interface Connection extends AutoCloseable {

    /**
     * Proves the settings work by calling the provider without side effects (no message is sent).
     * Called when the connection starts and by the admin "verify" action.
     *
     * @return a one-line description of what was checked, shown in status and log
     * @throws PermanentException with the provider's reason when credentials or settings are wrong
     * @throws RetryableException when the provider could not be reached
     */
    String verify();

    /** True when this connection talks to a built-in sandbox instead of the real provider. */
    default boolean sandbox() {
        return false;
    }

    /** This connection as capability {@code type}, if it offers it. */
    default <T> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases resources and cancels scheduled work. Idempotent; never throws. */
    @Override
    void close();
}
