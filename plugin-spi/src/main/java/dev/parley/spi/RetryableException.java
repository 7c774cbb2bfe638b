package dev.parley.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass: 429, 5xx, timeouts, network errors. The runtime retries with exponential
 * backoff and jitter, waiting at least {@link #retryAfter()} when the provider said so, up to a cap.
 */
public final class RetryableException extends ConnectorException {

    private final Duration retryAfter;

    public RetryableException(String message) {
        this(message, null, null);
    }

    public RetryableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
