package dev.parley.hubspot.http;

import dev.parley.spi.PermanentException;
import dev.parley.spi.RateLimits;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.RetryAfter;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every HubSpot call of a connection goes through here.
 *
 * <ul>
 *   <li>Before each call it takes one call from two {@link RateLimits} buckets shared by every Parley instance:
 *   {@code hubspot:<token-hash>:10s} ({@code rate-limit} per rolling 10 s, lowered to HubSpot's
 *   {@code X-HubSpot-RateLimit-Max} when that is smaller) and {@code hubspot:<token-hash>:daily}. A wait of at most
 *   {@link #MAX_INLINE_WAIT} is waited here; a longer one is thrown as {@link RetryableException} with the wait as
 *   Retry-After, so the outbox reschedules the work instead of holding a thread.</li>
 *   <li>HubSpot's budget headers pause the buckets: {@code X-HubSpot-RateLimit-Remaining: 0} until the interval
 *   ({@code -Interval-Milliseconds}) has passed, {@code X-HubSpot-RateLimit-Daily-Remaining: 0} until the next
 *   midnight UTC.</li>
 *   <li>A 429 with {@code policyName} {@code DAILY} pauses the daily bucket until midnight UTC, one with
 *   {@code TEN_SECONDLY_ROLLING} (or none) the 10-s bucket for its Retry-After or 10 s; both are thrown as
 *   {@link RetryableException}. The search endpoints' own per-second limit is waited out here (once).</li>
 *   <li>5xx: a repeatable call (reads, searches, the upsert, associations) is repeated once after
 *   {@link #SERVER_ERROR_BACKOFF}; a non-repeatable write (a contact, a note) is thrown at once, since it may have
 *   landed, for the caller's retry to check first. Network failures are thrown as {@link RetryableException}.</li>
 *   <li>Other statuses are returned; {@link #failure} maps them to a {@link PermanentException} with HubSpot's
 *   words and the fix. No message ever carries the token.</li>
 * </ul>
 */
public final class HubSpotClient {

    public static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(2);
    static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    static final Duration DAY = Duration.ofDays(1);
    static final Duration SEARCH_SECONDLY_WAIT = Duration.ofSeconds(1);
    static final Duration SERVER_ERROR_BACKOFF = Duration.ofMillis(500);

    /** How the client waits in-line; tests pass one that moves their clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** One request: the API proxy and the Authorization header value. */
    @FunctionalInterface
    public interface Call {
        Response on(HubSpotApi api, String authorization);
    }

    private final HubSpotApi api;
    private final String token;
    private final String authorization;
    private final RateLimits limits;
    private final String tenSecondBucket;
    private final String dailyBucket;
    private final int rateLimit;
    private final int dailyLimit;
    private final Sleeper sleeper;
    private final Clock clock;
    private volatile int announcedMax = Integer.MAX_VALUE;

    /**
     * @param tokenHash a hash prefix of the token naming the buckets (never the token)
     */
    public HubSpotClient(HubSpotApi api, String token, String tokenHash, RateLimits limits, int rateLimit,
                         int dailyLimit, Sleeper sleeper, Clock clock) {
        this.api = api;
        this.token = token;
        this.authorization = "Bearer " + token;
        this.limits = limits;
        this.tenSecondBucket = "hubspot:" + tokenHash + ":10s";
        this.dailyBucket = "hubspot:" + tokenHash + ":daily";
        this.rateLimit = rateLimit;
        this.dailyLimit = dailyLimit;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public String tenSecondBucket() {
        return tenSecondBucket;
    }

    public String dailyBucket() {
        return dailyBucket;
    }

    /** A repeatable call (a read, a search, the upsert, an association); any status but 429 and 5xx is returned. */
    public HubSpotResponse call(String what, Call call) {
        return run(what, call, true);
    }

    /** {@link #call}, then the 2xx body; another status becomes a {@link PermanentException}. */
    public JsonObject ok(String what, String scope, Call call) {
        HubSpotResponse r = call(what, call);
        if (!r.ok()) throw failure(what, scope, r);
        return r.json();
    }

    /** A write that may land twice when repeated (no idempotency key): a 5xx or a timeout is thrown at once. */
    public HubSpotResponse write(String what, Call call) {
        return run(what, call, false);
    }

    private HubSpotResponse run(String what, Call call, boolean repeatable) {
        for (int attempt = 0; ; attempt++) {
            take(what);
            Duration wait;
            try (Response r = call.on(api, authorization)) {
                readBudget(r);
                int status = r.getStatus();
                String body = r.hasEntity() ? r.readEntity(String.class) : "";
                body = body == null ? "" : body;
                if (status == 429) {
                    wait = tooMany(what, r, body, attempt);
                } else if (status >= 500) {
                    String failure = what + ": HubSpot answered " + status + detail(body);
                    if (!repeatable || attempt >= 1) throw new RetryableException(failure);
                    wait = SERVER_ERROR_BACKOFF;
                } else {
                    return new HubSpotResponse(status, body);
                }
            } catch (ProcessingException e) {
                throw new RetryableException(what + ": HubSpot not reachable (" + redact(rootMessage(e)) + ")", null, e);
            }
            sleep(what, wait);
        }
    }

    /** A 429: pauses the bucket it names and throws, or answers the short in-line wait of a search limit. */
    private Duration tooMany(String what, Response r, String body, int attempt) {
        JsonObject o = Jsons.parseObjectOrNull(body);
        String policy = Jsons.string(o, "policyName");
        String message = Jsons.string(o, "message");
        Instant now = clock.instant();
        Duration after = RetryAfter.parse(r.getHeaderString("Retry-After"), clock);
        if ("DAILY".equalsIgnoreCase(policy) || (message != null && message.toLowerCase(Locale.ROOT).contains("daily"))) {
            Instant until = nextMidnightUtc(now);
            limits.pauseUntil(dailyBucket, until);
            throw new RetryableException(what + ": HubSpot's daily API limit is reached (429 DAILY); Parley calls "
                    + "again after midnight UTC", Duration.between(now, until), null);
        }
        boolean searchSecondly = policy == null && message != null
                && message.toLowerCase(Locale.ROOT).contains("secondly limit");
        if (searchSecondly) {
            Duration wait = after != null ? after : SEARCH_SECONDLY_WAIT;
            if (attempt == 0 && wait.compareTo(MAX_INLINE_WAIT) <= 0) return wait;
            throw new RetryableException(what + ": HubSpot's search rate limit is reached (429)", wait, null);
        }
        Duration wait = after != null && after.compareTo(TEN_SECONDS) > 0 ? after : TEN_SECONDS;
        limits.pauseUntil(tenSecondBucket, now.plus(wait));
        throw new RetryableException(what + ": HubSpot's rate limit is reached (429 "
                + (policy == null ? "TEN_SECONDLY_ROLLING" : policy) + "), retry after " + wait.toSeconds() + " s",
                wait, null);
    }

    /** Takes one call from the daily and the 10-s bucket, waiting in-line only for short waits. */
    private void take(String what) {
        while (true) {
            Duration wait = limits.tryTake(dailyBucket, dailyLimit, DAY);
            String which = "daily";
            if (wait.isZero()) {
                wait = limits.tryTake(tenSecondBucket, Math.min(rateLimit, announcedMax), TEN_SECONDS);
                which = "per 10 seconds";
            }
            if (wait.isZero()) return;
            if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
                throw new RetryableException(what + ": HubSpot rate limit (" + which + ") spent; next call in "
                        + Math.max(1, wait.toSeconds()) + " s", wait, null);
            }
            sleep(what, wait);
        }
    }

    /** HubSpot's budget headers: a remaining count of 0 pauses the bucket for every instance. */
    private void readBudget(Response r) {
        Instant now = clock.instant();
        Long max = number(r.getHeaderString("X-HubSpot-RateLimit-Max"));
        if (max != null && max > 0) announcedMax = (int) Math.min(Integer.MAX_VALUE, max);
        Long remaining = number(r.getHeaderString("X-HubSpot-RateLimit-Remaining"));
        if (remaining != null && remaining <= 0) {
            Long interval = number(r.getHeaderString("X-HubSpot-RateLimit-Interval-Milliseconds"));
            Duration d = interval != null && interval > 0 && interval <= DAY.toMillis()
                    ? Duration.ofMillis(interval) : TEN_SECONDS;
            limits.pauseUntil(tenSecondBucket, now.plus(d));
        }
        Long daily = number(r.getHeaderString("X-HubSpot-RateLimit-Daily-Remaining"));
        if (daily != null && daily <= 0) {
            limits.pauseUntil(dailyBucket, nextMidnightUtc(now));
        }
    }

    static Instant nextMidnightUtc(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void sleep(String what, Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException(what + ": interrupted while waiting for HubSpot's rate limit");
        }
    }

    /**
     * The exception for a refused call, naming the fix where the status says what it is.
     *
     * @param scope the scope the call needs, named when HubSpot's answer lists none
     */
    public PermanentException failure(String what, String scope, HubSpotResponse r) {
        JsonObject o = Jsons.parseObjectOrNull(r.body());
        String category = Jsons.nonBlank(o, "category");
        String fix = switch (r.status()) {
            case 401 -> "the token is not valid: create or copy the private app's access token in HubSpot > Settings > "
                    + "Integrations > Private Apps (401)";
            case 403 -> {
                Set<String> scopes = scopes(o);
                if ("MISSING_SCOPES".equals(category) || !scopes.isEmpty()) {
                    String named = scopes.isEmpty() ? scope : String.join(" or ", scopes);
                    yield "the private app lacks the scope " + named + " (403 MISSING_SCOPES): add it in HubSpot > "
                            + "Settings > Integrations > Private Apps";
                }
                yield "HubSpot refused the call (403" + (category == null ? "" : " " + category) + ")";
            }
            case 404 -> "HubSpot has no such object (404)";
            default -> "HubSpot answered " + r.status() + (category == null ? "" : " " + category);
        };
        return new PermanentException(what + ": " + fix + detail(r.body()));
    }

    /** The scopes HubSpot's 403 names ({@code context.requiredGranularScopes} and the like). */
    static Set<String> scopes(JsonObject error) {
        Set<String> out = new LinkedHashSet<>();
        JsonObject context = Jsons.object(error, "context");
        if (context == null) return out;
        for (var e : context.entrySet()) {
            if (!e.getKey().toLowerCase(Locale.ROOT).contains("scope")) continue;
            if (e.getValue() instanceof JsonArray a) {
                for (JsonValue v : a) {
                    if (v instanceof JsonString s && !s.getString().isBlank()) out.add(s.getString().strip());
                }
            }
        }
        return out;
    }

    /** " - HubSpot: <message>" from an error body, clipped and without the token; empty when there is none. */
    private String detail(String body) {
        JsonObject o = Jsons.parseObjectOrNull(body);
        String m = Jsons.nonBlank(o, "message");
        if (m == null) return "";
        m = redact(m.replaceAll("\\s+", " ").strip());
        return " - HubSpot: " + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
    }

    private String redact(String s) {
        return s == null || token.isEmpty() ? s : s.replace(token, "***");
    }

    private static Long number(String v) {
        if (v == null) return null;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return (t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()))
                .replaceAll("\\s+", " ");
    }
}
