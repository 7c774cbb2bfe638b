package dev.parley.spi;

/**
 * A failure that retrying cannot fix: bad input, refused credentials, other 4xx, a closed conversation.
 * The runtime records it (message FAILED, connection ERROR) and does not retry. {@link MediaTooLargeException} is
 * the one refinement (a copy over the media store's size cap).
 */
public sealed class PermanentException extends ConnectorException permits MediaTooLargeException {

    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
