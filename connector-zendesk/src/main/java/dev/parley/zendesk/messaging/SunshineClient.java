package dev.parley.zendesk.messaging;

import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.RetryAfter;
import dev.parley.zendesk.http.RetryLoop;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Every Conversations API call of a messaging connection: 429 (no published numbers, so Retry-After or
 * backoff), 5xx and network failures retried a bounded number of times, then thrown as
 * {@link RetryableException}; other statuses returned, or mapped by {@link #ok} to a
 * {@link PermanentException} that names the fix. Messages never carry the key secret.
 */
public final class SunshineClient {

    private final SunshineApi api;
    private final MessagingSettings settings;
    private final RetryLoop retries;

    public SunshineClient(SunshineApi api, MessagingSettings settings, int maxRetries, ZendeskClient.Sleeper sleeper,
                          Clock clock) {
        this.api = api;
        this.settings = settings;
        // No published rate limit for the Conversations API: no limiter; a 429 without Retry-After backs off.
        this.retries = new RetryLoop("Zendesk messaging", null, null, maxRetries, sleeper, clock);
    }

    /** One request: the proxy, the Authorization value and the app id. */
    @FunctionalInterface
    public interface Call {
        Response on(SunshineApi api, String authorization, String appId);
    }

    public ZendeskResponse call(String what, Call call) {
        return retries.run(what, () -> call.on(api, settings.authorization(), settings.appId()));
    }

    /** {@link #call}, then a 2xx body as JSON; any other status becomes a {@link PermanentException}. */
    public JsonObject ok(String what, Call call) {
        ZendeskResponse r = call(what, call);
        if (!r.ok()) throw failure(what, r);
        return r.json();
    }

    /** The message for a refused call, naming the setting to fix. */
    public static PermanentException failure(String what, ZendeskResponse r) {
        String code = errorCode(r);
        String fix = switch (r.status()) {
            case 401 -> "the Conversations API refused the key (401): check 'key-id' and 'key-secret' (Admin Center > "
                    + "Apps and integrations > APIs > Conversations API)";
            case 403 -> "the Conversations API key may not do this (403): use an app-level key (app_...)";
            case 404 -> "app_not_found".equals(code)
                    ? "no Conversations app with this id (404 app_not_found): check 'app-id'"
                    : "Zendesk messaging has no such object (404" + (code == null ? "" : " " + code) + ")";
            default -> "Zendesk messaging answered " + r.status() + (code == null ? "" : " " + code);
        };
        String title = errorTitle(r);
        return new PermanentException(what + ": " + fix + (title == null ? "" : " - " + title));
    }

    /** The first {@code errors[].code}, e.g. {@code app_not_found}, {@code conflict}. */
    static String errorCode(ZendeskResponse r) {
        return firstError(r, "code");
    }

    private static String errorTitle(ZendeskResponse r) {
        String t = firstError(r, "title");
        return t == null ? null : t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String firstError(ZendeskResponse r, String field) {
        JsonArray errors = Jsons.array(Jsons.parseObjectOrNull(r.body()), "errors");
        if (errors == null || errors.isEmpty()) return null;
        JsonValue first = errors.get(0);
        return first instanceof JsonObject o ? Jsons.nonBlank(o, field) : null;
    }
}
