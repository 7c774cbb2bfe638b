package dev.parley.spi;

/**
 * A failure talking to a provider. Messages are shown to operators (status, log, timeline): include the
 * provider's error code and text, never a secret.
 */
public abstract sealed class ConnectorException extends RuntimeException
        permits RetryableException, PermanentException {

    protected ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
