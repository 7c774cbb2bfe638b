package dev.parley.spi;

/**
 * A webhook request the connector refuses. The runtime answers {@link #status()} with the message as
 * the reason, so the message must say what is wrong without revealing a secret.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public static WebhookRejectedException unauthorized(String reason) {
        return new WebhookRejectedException(401, reason);
    }

    public static WebhookRejectedException badRequest(String reason) {
        return new WebhookRejectedException(400, reason);
    }

    public static WebhookRejectedException unknownKind(String kind) {
        return new WebhookRejectedException(404, "this connection has no webhook of kind '" + kind + "'");
    }

    public int status() {
        return status;
    }
}
