package dev.parley.infobip;

/**
 * What the connector keeps of an HTTP response: read eagerly so the response can be closed at once and
 * the interpretation is testable without a JAX-RS runtime.
 *
 * @param status     the HTTP status
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param body       the body text, or "" when none or unreadable
 */
record ApiResponse(int status, String retryAfter, String body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 408, 429 and 5xx may pass on their own. */
    boolean retryable() {
        return status == 408 || status == 429 || status >= 500;
    }
}
