package dev.parley.spi;

/**
 * A failure that retrying cannot fix: bad input, refused credentials, other 4xx, a closed conversation.
 * The runtime records it (message FAILED, connection ERROR) and does not retry.
 */
public final class PermanentException extends ConnectorException {

    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
