package dev.parley.infobip.http;

/**
 * What the connector keeps of an HTTP response: read eagerly so the response can be closed at once and
 * the interpretation is testable without a JAX-RS runtime.
 *
 * @param status     the HTTP status
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param body       the body text, or "" when none or unreadable
 */
public record InfobipResponse(int status, String retryAfter, String body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 408, 429 and 5xx may pass on their own. */
    public boolean retryable() {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The body as Infobip's error, in either of its styles. */
    public InfobipError error() {
        return InfobipError.parse(body);
    }
}
