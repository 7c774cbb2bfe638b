package dev.parley.infobip.sandbox;

import static dev.parley.infobip.sandbox.StandIn.json;
import static dev.parley.infobip.sandbox.StandIn.withoutQuery;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.SandboxHeaders;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;

/**
 * A stand-in's customer side (SMS, WhatsApp): posts a customer's message to the connection's inbound webhook exactly as
 * Infobip does (Basic auth when webhook auth is on) and answers the caller with the message id and the webhook's HTTP
 * status: 200 when Parley took it, else 502 with the reason.
 */
final class CustomerWebhook {

    private final ConnectionContext ctx;
    private final URI url;
    private final String authorization;
    private final StandIn.Poster poster;

    /**
     * @param url      Parley's inbound webhook of the connection; null when it has none (then nothing is posted)
     * @param password Basic password, or null when webhook auth is off (then no Authorization is sent)
     */
    CustomerWebhook(ConnectionContext ctx, URI url, String username, String password, StandIn.Poster poster) {
        this.ctx = ctx;
        this.url = url;
        this.authorization = password == null ? null : SandboxHeaders.basic(username, password);
        this.poster = poster;
    }

    /** Whether there is a webhook to post to. */
    boolean present() {
        return url != null;
    }

    /**
     * Posts one inbound message and answers {@code {"messageId", ["url",] "webhook", "webhookStatus"[, "error"]}}.
     *
     * @param what     the kind of message, for the connection log ("text", "image"...)
     * @param mediaUrl the media link the message carries, shown to the caller; null for none
     */
    SandboxResponse post(String messageId, String what, JsonObject payload, String mediaUrl) {
        JsonObjectBuilder answer = Jsons.BUILDERS.createObjectBuilder().add("messageId", messageId);
        if (mediaUrl != null) answer.add("url", mediaUrl);
        String shown = withoutQuery(url);
        int status;
        String error = null;
        try {
            status = poster.post(url, payload.toString(), authorization);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
            error = "interrupted";
        } catch (IOException | RuntimeException e) {
            status = 0;
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        boolean accepted = status >= 200 && status < 300;
        ctx.log().info("SANDBOX: customer " + what + " message " + messageId + " posted to " + shown + ": "
                + (error != null ? "failed: " + error : "HTTP " + status));
        answer.add("webhook", shown).add("webhookStatus", status);
        if (!accepted) {
            answer.add("error", error != null ? "could not post to Parley's inbound webhook: " + error
                    : "Parley's inbound webhook answered HTTP " + status);
        }
        return json(accepted ? 200 : 502, answer.build());
    }
}
