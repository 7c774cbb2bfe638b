package dev.parley.zendesk.sandbox;

import dev.parley.spi.ConnectionContext;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Posts what the sandbox's triggers fire to their webhooks, signed as Zendesk signs: headers
 * {@code X-Zendesk-Webhook-Signature} = base64(HMAC-SHA256(secret as UTF-8, timestamp + body)) and
 * {@code X-Zendesk-Webhook-Signature-Timestamp} (ISO-8601, seconds). Posts run on the connection's
 * scheduler a little after the change, as Zendesk's do, never on the caller's thread.
 */
final class SandboxWebhookSender implements AutoCloseable {

    static final Duration DELAY = Duration.ofMillis(200);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";

    /** One webhook call a trigger fired. The secret is used to sign and never logged. */
    record Post(String webhookId, String triggerTitle, URI endpoint, String secret, String body) {
        @Override
        public String toString() {
            return "Post[webhook=" + webhookId + ", trigger=" + triggerTitle + ", endpoint=" + endpoint + "]";
        }
    }

    private final ConnectionContext ctx;
    private final Set<ScheduledFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HttpClient client;

    SandboxWebhookSender(ConnectionContext ctx) {
        this.ctx = ctx;
    }

    void schedule(Post post) {
        if (closed.get()) return;
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable task = () -> {
            try {
                send(post);
            } finally {
                synchronized (self) {
                    if (self[0] != null) pending.remove(self[0]);
                }
            }
        };
        try {
            synchronized (self) {
                self[0] = ctx.scheduler().schedule(task, DELAY.toMillis(), TimeUnit.MILLISECONDS);
                pending.add(self[0]);
            }
        } catch (RejectedExecutionException e) {
            ctx.log().warn("SANDBOX: could not schedule webhook " + post.webhookId() + ": " + e.getMessage());
        }
        if (closed.get()) cancelAll(); // a close() that raced with the schedule above
    }

    /** base64(HMAC-SHA256(key = secret as UTF-8 bytes, message = timestamp + body)), Zendesk's scheme. */
    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((timestamp + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private void send(Post post) {
        if (closed.get()) return;
        String timestamp = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
        URI url = post.endpoint();
        String shown = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        String what = "SANDBOX: webhook " + post.webhookId() + " (trigger '" + post.triggerTitle() + "') to " + shown;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Zendesk Webhook (Parley sandbox)")
                    .header(SIGNATURE, sign(post.secret(), timestamp, post.body()))
                    .header(TIMESTAMP, timestamp)
                    .POST(HttpRequest.BodyPublishers.ofString(post.body(), StandardCharsets.UTF_8))
                    .build();
            int status = http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) ctx.log().info(what + " answered " + status);
            else ctx.log().warn(what + " answered " + status + " (Zendesk would retry some failures; the sandbox does not)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled by close()
        } catch (IOException | RuntimeException e) {
            ctx.log().warn(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private HttpClient http() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // HTTP/1.1 pinned: the h2c upgrade java.net.http tries by default stalls against Payara's Grizzly.
                    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                }
                c = client;
            }
        }
        return c;
    }

    /** Posts scheduled and not yet sent. */
    int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        closed.set(true);
        cancelAll();
    }

    private void cancelAll() {
        for (ScheduledFuture<?> f : pending) {
            f.cancel(true);
            pending.remove(f);
        }
    }
}
