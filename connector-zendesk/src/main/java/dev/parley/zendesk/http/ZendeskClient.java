package dev.parley.zendesk.http;

import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Every Zendesk call of a connection goes through here: the account's {@link RateLimiter} (one budget for
 * every instance on the database), 429 honoured with its Retry-After (and the pause applied to every caller on
 * every instance), 5xx and network failures retried a bounded
 * number of times with backoff, then thrown as {@link RetryableException} for the caller's own retry
 * (the outbox) to record. Other statuses are returned for the caller to judge, or mapped by {@link #ok}
 * to a {@link PermanentException} whose message names the fix. Messages never carry the token.
 */
public final class ZendeskClient {

    /** Zendesk's own wait when a 429 says none ([CLIENT] zendesk-java-client uses the same). */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    /** How the client waits between retries; tests pass a recorder. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final ZendeskApi api;
    private final String authorization;
    private final RateLimiter limiter;
    private final RetryLoop retries;

    public ZendeskClient(ZendeskApi api, String authorization, RateLimiter limiter, int maxRetries, Sleeper sleeper,
                         Clock clock) {
        this.api = api;
        this.authorization = authorization;
        this.limiter = limiter;
        this.retries = new RetryLoop("Zendesk", limiter, DEFAULT_RETRY_AFTER, maxRetries, sleeper, clock);
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
        return retries.run(what, () -> call.on(api, authorization));
    }

    /**
     * A write without an idempotency key (a comment): a 429 is retried here, a 5xx or network failure is
     * thrown at once for the caller's retry, which first checks whether the write landed.
     */
    public JsonObject write(String what, Call call) {
        ZendeskResponse r = retries.run(what, () -> call.on(api, authorization), false);
        if (!r.ok()) {
            throw failure(what, r);
        }
        return r.json();
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

    /** One request: the API proxy and the Authorization header value. */
    @FunctionalInterface
    public interface Call {
        Response on(ZendeskApi api, String authorization);
    }
}
