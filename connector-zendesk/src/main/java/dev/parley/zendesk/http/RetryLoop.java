package dev.parley.zendesk.http;

import dev.parley.spi.RetryableException;
import dev.parley.spi.util.RetryAfter;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The retry loop the Support and the Conversations clients share: 429 waits for its Retry-After (or
 * {@code default429}) and pauses the limiter, 5xx and network failures back off; all a bounded number of
 * times, then {@link RetryableException} for the caller's own retry (the outbox) to record. Other
 * statuses are returned as they are.
 *
 * @param provider   the name in messages ("Zendesk", "Zendesk messaging")
 * @param limiter    the connection's rate limiter, or null for an API without a published limit
 * @param default429 the wait after a 429 without Retry-After; null for the backoff
 */
public record RetryLoop(String provider, RateLimiter limiter, Duration default429, int maxRetries,
                        ZendeskClient.Sleeper sleeper, Clock clock) {

    /** The longest one call waits in-line for a slot or a Retry-After; longer waits go back to the caller. */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(20);
    private static final List<String> HEADERS = List.of("location", "x-idempotency-lookup", "retry-after",
            "content-type", "x-rate-limit-remaining");

    public ZendeskResponse run(String what, Supplier<Response> request) {
        return run(what, request, true);
    }

    /**
     * @param repeatable false for a write with no idempotency key (a comment, a message): after a 5xx or a
     *                   network failure it may have landed, so it is not repeated here but thrown at once, for
     *                   the caller's own retry, which checks first. A 429 was refused for sure and is retried.
     */
    public ZendeskResponse run(String what, Supplier<Response> request, boolean repeatable) {
        for (int attempt = 0; ; attempt++) {
            if (limiter != null) {
                limiter.acquire(MAX_INLINE_WAIT);
            }
            Duration wait;
            String failure;
            try (Response r = request.get()) {
                int status = r.getStatus();
                if (status != 429 && status < 500) {
                    return read(r);
                }
                Duration after = RetryAfter.parse(r.getHeaderString("Retry-After"), clock);
                if (status == 429) {
                    wait = after != null ? after : default429 != null ? default429 : backoff(attempt);
                    if (limiter != null && accountBudgetSpent(r)) {
                        limiter.pause(wait);
                    }
                    failure = what + ": " + provider + " rate limit reached (429), retry after " + wait.toSeconds() + " s";
                    after = wait;
                } else {
                    wait = after != null ? after : backoff(attempt);
                    failure = what + ": " + provider + " answered " + status;
                }
                if (attempt >= maxRetries || wait.compareTo(MAX_INLINE_WAIT) > 0 || (status != 429 && !repeatable)) {
                    throw new RetryableException(failure, after, null);
                }
            } catch (ProcessingException e) {
                failure = what + ": " + provider + " not reachable (" + rootMessage(e) + ")";
                if (attempt >= maxRetries || !repeatable) {
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

    /**
     * A 429 pauses every caller only when the account's budget is spent: Zendesk also limits single endpoints
     * (e.g. 30 updates of one ticket in 10 minutes), and one busy ticket must not stall the others.
     */
    static boolean accountBudgetSpent(Response r) {
        for (String h : List.of("x-rate-limit-remaining", "ratelimit-remaining")) {
            String v = r.getHeaderString(h);
            if (v != null) {
                return v.strip().equals("0");
            }
        }
        return true; // no budget header: assume the account limit, the safe side
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
        return (t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()))
                .toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
