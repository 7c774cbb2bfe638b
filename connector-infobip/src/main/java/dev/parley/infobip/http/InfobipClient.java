package dev.parley.infobip.http;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.RetryAfter;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Infobip call of a connection, whatever the product, goes through here: the {@code App <key>} header,
 * the {@link RetryLoop} (a {@link #read} is repeated in-line after a 429 with a short Retry-After, a {@link #write}
 * never), network failures as {@link RetryableException}, and {@link #failure} to turn a refused call into the SPI's exceptions with Infobip's
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
    private final RetryLoop retries;
    private final List<String> secrets;

    /**
     * @param secrets the connection's other secrets (a webhook password): kept out of every message, like the key
     */
    public InfobipClient(ConnectionContext ctx, InfobipAccess access, RetryLoop retries, String... secrets) {
        this.ctx = ctx;
        this.access = access;
        this.retries = retries;
        List<String> s = new ArrayList<>();
        s.add(access.apiKey());
        for (String secret : secrets) {
            if (secret != null) s.add(secret);
        }
        this.secrets = List.copyOf(s);
    }

    /** The client Parley uses: {@link RetryLoop#standard}. */
    public static InfobipClient of(ConnectionContext ctx, InfobipAccess access, String... secrets) {
        return new InfobipClient(ctx, access, RetryLoop.standard(ctx.clock()), secrets);
    }

    /** A REST client proxy of {@code api} at the connection's base URL; make it once, when the connection opens. */
    public <A> A proxy(Class<A> api) {
        return ctx.restClients().create(api, access.baseUri());
    }

    /** Host (and port) shown to operators. */
    public String host() {
        return access.host();
    }

    /**
     * A read-only call (a key check, a lookup): repeated in-line after a 429 with a short Retry-After
     * ({@link RetryLoop}), else made once.
     *
     * @return the response, whatever its status: the caller judges it, or hands it to {@link #failure}
     * @throws RetryableException when Infobip could not be reached (connection refused, timeout, reset)
     */
    public <A> InfobipResponse read(A api, Call<A> call) {
        return call(api, call, true);
    }

    /**
     * A call that changes something at Infobip (a send): made once, whatever the answer. The runtime retries what
     * {@link #failure} calls retryable, and shows every attempt.
     *
     * @return the response, whatever its status: the caller judges it, or hands it to {@link #failure}
     * @throws RetryableException when Infobip could not be reached (connection refused, timeout, reset)
     */
    public <A> InfobipResponse write(A api, Call<A> call) {
        return call(api, call, false);
    }

    private <A> InfobipResponse call(A api, Call<A> call, boolean repeatable) {
        String authorization = access.authorization();
        try {
            return retries.run(() -> call.on(api, authorization), repeatable);
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

    /** The root cause's class and message, e.g. {@code ConnectException: Connection refused}. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
}
