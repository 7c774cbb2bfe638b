package dev.parley.zendesk.http;

import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.RetryAfter;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every Zendesk call of a connection goes through here: one shared {@link RateLimiter}, 429 honoured with
 * its Retry-After (and the pause applied to every caller), 5xx and network failures retried a bounded
 * number of times with backoff, then thrown as {@link RetryableException} for the caller's own retry
 * (the outbox) to record. Other statuses are returned for the caller to judge, or mapped by {@link #ok}
 * to a {@link PermanentException} whose message names the fix. Messages never carry the token.
 */
public final class ZendeskClient {

    /** The longest one call waits in-line for a slot or a Retry-After; longer waits go back to the caller. */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(20);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    private static final List<String> HEADERS = List.of("location", "x-idempotency-lookup", "retry-after",
            "content-type", "x-rate-limit-remaining");

    /** How the client waits between retries; tests pass a recorder. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final ZendeskApi api;
    private final String authorization;
    private final RateLimiter limiter;
    private final int maxRetries;
    private final Sleeper sleeper;
    private final Clock clock;

    public ZendeskClient(ZendeskApi api, String authorization, RateLimiter limiter, int maxRetries, Sleeper sleeper,
                         Clock clock) {
        this.api = api;
        this.authorization = authorization;
        this.limiter = limiter;
        this.maxRetries = maxRetries;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /**
     * Calls Zendesk: rate-limited, retrying 429, 5xx and network failures up to the configured count.
     *
     * @param what what the call does, for messages ("create the ticket")
     * @param call the request, given the API proxy and the Authorization value
     * @throws RetryableException when retries ran out or a wait would be too long
     */
    public ZendeskResponse call(String what, Call call) {
        for (int attempt = 0; ; attempt++) {
            limiter.acquire(MAX_INLINE_WAIT);
            Duration wait;
            String failure;
            try (Response r = call.on(api, authorization)) {
                int status = r.getStatus();
                if (status == 429) {
                    wait = RetryAfter.parse(r.getHeaderString("Retry-After"), clock);
                    wait = wait == null ? DEFAULT_RETRY_AFTER : wait;
                    limiter.pause(wait);
                    failure = what + ": Zendesk rate limit reached (429), retry after " + wait.toSeconds() + " s";
                    if (attempt >= maxRetries || wait.compareTo(MAX_INLINE_WAIT) > 0) {
                        throw new RetryableException(failure, wait, null);
                    }
                } else if (status >= 500) {
                    wait = backoff(attempt);
                    failure = what + ": Zendesk answered " + status;
                    Duration after = RetryAfter.parse(r.getHeaderString("Retry-After"), clock);
                    if (attempt >= maxRetries) {
                        throw new RetryableException(failure, after, null);
                    }
                } else {
                    return read(r);
                }
            } catch (ProcessingException e) {
                failure = what + ": Zendesk not reachable (" + rootMessage(e) + ")";
                if (attempt >= maxRetries) {
                    throw new RetryableException(failure, null, e);
                }
                wait = backoff(attempt);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableException(failure);
            }
        }
    }

    /** {@link #call}, then a 2xx body as JSON; any other status becomes a {@link PermanentException}. */
    public JsonObject ok(String what, Call call) {
        ZendeskResponse r = call(what, call);
        if (!r.ok()) {
            throw failure(what, r);
        }
        return r.json();
    }

    /** The message for a refused call, naming the fix where the status says what it is. */
    public static PermanentException failure(String what, ZendeskResponse r) {
        String detail = errorText(r);
        String fix = switch (r.status()) {
            case 401 -> "Zendesk refused the credentials (401): check 'email' and 'api-token', and that token access "
                    + "is on (Admin Center > Apps and integrations > APIs > Zendesk API > Settings)";
            case 403 -> "the Zendesk user lacks the permission (403): use an admin, or an agent whose role may "
                    + "manage end users and tickets";
            case 404 -> r.isJson() ? "Zendesk has no such object (404)"
                    : "no Zendesk account answers there (404): check 'subdomain' (just 'acme' for acme.zendesk.com)";
            default -> "Zendesk answered " + r.status();
        };
        return new PermanentException(what + ": " + fix + (detail == null ? "" : " - " + detail));
    }

    /** Zendesk's own error text ({@code error}, {@code description}, {@code details}), clipped. */
    static String errorText(ZendeskResponse r) {
        JsonObject o = Jsons.parseObjectOrNull(r.body());
        if (o == null) return null;
        StringBuilder sb = new StringBuilder();
        JsonValue error = o.get("error");
        if (error instanceof JsonObject eo) {
            append(sb, Jsons.string(eo, "title"));
            append(sb, Jsons.string(eo, "message"));
        } else {
            append(sb, Jsons.string(o, "error"));
        }
        append(sb, Jsons.string(o, "description"));
        JsonObject details = Jsons.object(o, "details");
        if (details != null) {
            for (Map.Entry<String, JsonValue> e : details.entrySet()) {
                if (e.getValue() instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonObject d) {
                    append(sb, e.getKey() + ": " + Jsons.string(d, "description"));
                }
            }
        }
        JsonArray errors = Jsons.array(o, "errors");
        if (errors != null) {
            for (JsonValue v : errors) {
                if (v instanceof JsonObject eo) append(sb, Jsons.string(eo, "title"));
            }
        }
        String s = sb.toString();
        return s.isEmpty() ? null : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void append(StringBuilder sb, String s) {
        if (s == null || s.isBlank()) return;
        if (sb.length() > 0) sb.append("; ");
        sb.append(s);
    }

    private static ZendeskResponse read(Response r) {
        String body = r.hasEntity() ? r.readEntity(String.class) : "";
        Map<String, String> headers = new HashMap<>();
        for (String h : HEADERS) {
            String v = r.getHeaderString(h);
            if (v != null) headers.put(h, v);
        }
        return new ZendeskResponse(r.getStatus(), body == null ? "" : body, Map.copyOf(headers));
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(8000, 250L << Math.min(attempt, 5)));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                .toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** One request: the API proxy and the Authorization header value. */
    @FunctionalInterface
    public interface Call {
        Response on(ZendeskApi api, String authorization);
    }
}
