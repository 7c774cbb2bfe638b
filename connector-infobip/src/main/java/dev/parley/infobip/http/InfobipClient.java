package dev.parley.infobip.http;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.RetryAfter;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every Infobip call of a connection, whatever the product, goes through here: the {@code App <key>} header,
 * responses read eagerly and closed, network failures as {@link RetryableException}, and {@link #failure} to turn a refused call into the SPI's exceptions with Infobip's
 * own error code and text (either error style). No message leaves here with the API key or another secret in it.
 * Product packages bring their own narrow REST client interfaces ({@link AccountApi}, {@code SmsApi}, ...); their
 * proxies come from {@link #proxy}. Immutable and thread-safe.
 */
public final class InfobipClient {

    /** One request through a REST client interface, given the {@code Authorization} header value. */
    @FunctionalInterface
    public interface Call<A> {
        Response on(A api, String authorization);
    }

    private final ConnectionContext ctx;
    private final InfobipAccess access;
    private final List<String> secrets;

    /**
     * @param secrets the connection's other secrets (a webhook password): kept out of every message, like the key
     */
    public InfobipClient(ConnectionContext ctx, InfobipAccess access, String... secrets) {
        this.ctx = ctx;
        this.access = access;
        List<String> s = new ArrayList<>();
        s.add(access.apiKey());
        for (String secret : secrets) {
            if (secret != null) s.add(secret);
        }
        this.secrets = List.copyOf(s);
    }

    /** A REST client proxy of {@code api} at the connection's base URL; make it once, when the connection opens. */
    public <A> A proxy(Class<A> api) {
        return ctx.restClients().create(api, access.baseUri());
    }

    /** Host (and port) shown to operators. */
    public String host() {
        return access.host();
    }

    public Clock clock() {
        return ctx.clock();
    }

    /**
     * Calls Infobip and reads the response (never repeated here: the runtime retries what is retryable).
     *
     * @return the response, whatever its status: the caller judges it, or hands it to {@link #failure}
     * @throws RetryableException when Infobip could not be reached (connection refused, timeout, reset)
     */
    public <A> InfobipResponse call(A api, Call<A> call) {
        String authorization = access.authorization();
        try {
            return read(() -> call.on(api, authorization));
        } catch (ProcessingException e) {
            throw new RetryableException(redact("could not reach Infobip at " + host() + ": " + describe(e)), null, null);
        }
    }

    /**
     * A refused call as the SPI's exception: 408, 429 and 5xx {@link RetryableException} (with the Retry-After),
     * 401 a rejected key, 403 a missing scope, any other status {@link PermanentException}; each with Infobip's code
     * and text.
     *
     * @param action what was being done, for the message ("sending the SMS")
     * @param scopes the API key scopes the call needs (any one), named on a 403
     */
    public ConnectorException failure(String action, InfobipResponse r, String scopes) {
        String error = r.error().summary();
        int s = r.status();
        if (r.retryable()) {
            String what = s == 429 ? "Infobip rate limit hit while " + action
                    : s == 408 ? "Infobip timed out while " + action
                    : "Infobip server error while " + action;
            return new RetryableException(redact(what + " (HTTP " + s + " " + error + ")"), retryAfter(r), null);
        }
        if (s == 401) {
            return new PermanentException(redact("Infobip rejected the API key while " + action + " (HTTP 401 "
                    + error + "); check api-key and base-url"));
        }
        if (s == 403) {
            return new PermanentException(redact("Infobip API key lacks permission for " + action + " (HTTP 403 "
                    + error + "); the key needs scope " + scopes));
        }
        return new PermanentException(redact("Infobip refused " + action + " (HTTP " + s + " " + error + ")"));
    }

    /** The response's {@code Retry-After} as a wait, or null when it has none (or none that parses). */
    public Duration retryAfter(InfobipResponse r) {
        return RetryAfter.parse(r.retryAfter(), ctx.clock());
    }

    /** Belt and braces: provider or network texts must never carry a secret into a message. */
    public String redact(String text) {
        String t = text;
        for (String secret : secrets) {
            // Very short values (a sandbox "test" key) would mangle ordinary words and protect nothing.
            if (secret.length() >= 6) t = t.replace(secret, "***");
        }
        return t;
    }

    /** Calls and reads the response eagerly, then closes it. */
    private static InfobipResponse read(Supplier<Response> request) {
        Response response;
        try {
            response = request.get();
        } catch (WebApplicationException e) {
            response = e.getResponse(); // only if a runtime still maps statuses to exceptions
        }
        try {
            String body;
            try {
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (RuntimeException e) {
                body = ""; // an unreadable error body must not hide the status
            }
            return new InfobipResponse(response.getStatus(), response.getHeaderString("Retry-After"),
                    body == null ? "" : body);
        } finally {
            try {
                response.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    /** The root cause's class and message, e.g. {@code ConnectException: Connection refused}. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
}
