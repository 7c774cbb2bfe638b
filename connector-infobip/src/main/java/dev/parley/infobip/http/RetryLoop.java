package dev.parley.infobip.http;

import dev.parley.spi.util.RetryAfter;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * When an Infobip call is repeated in-line: only a repeatable call (a read: the key check, a logs lookup), only after
 * a 429 whose {@code Retry-After} asks for at most {@code maxInlineWait}, at most {@code max429Retries} times. A short
 * wait here keeps a brief throttle from failing a connection's start (ERROR, then a restart) or from deferring a
 * lookup by a whole runtime cycle.
 *
 * <p>Everything else goes back to the caller at once, for the runtime to retry; it already does, with backoff,
 * jitter, the Retry-After as a floor and a cap. That covers every write: the SPI wants a send's 429 thrown as
 * {@code RetryableException} with its Retry-After, so that the outbox counts and shows every attempt (SEND_RETRY in
 * the session's timeline). And for reads a 429 with a longer or no Retry-After (Infobip documents none), 5xx,
 * timeouts and network failures: repeating those here would multiply the runtime's attempts against a provider that
 * is down.
 *
 * @param maxInlineWait the longest single in-line wait
 * @param max429Retries in-line repeats per call
 */
public record RetryLoop(Duration maxInlineWait, int max429Retries, Sleeper sleeper, Clock clock) {

    /** Two repeats of at most 2 s: a read waits at most 4 s in-line. */
    public static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(2);
    public static final int MAX_429_RETRIES = 2;

    /** How the loop waits; tests pass a recorder. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The loop Parley uses: {@link #MAX_INLINE_WAIT}, {@link #MAX_429_RETRIES}, {@link Thread#sleep}. */
    public static RetryLoop standard(Clock clock) {
        return new RetryLoop(MAX_INLINE_WAIT, MAX_429_RETRIES, d -> Thread.sleep(d.toMillis()), clock);
    }

    /**
     * Makes the request and returns its response, read; a repeatable one is repeated while a 429 asks for a short
     * wait, and the last response is returned.
     *
     * @param repeatable true for a read; a write is made once whatever the answer
     * @throws jakarta.ws.rs.ProcessingException when Infobip could not be reached (never repeated here)
     */
    public InfobipResponse run(Supplier<Response> request, boolean repeatable) {
        for (int attempt = 0; ; attempt++) {
            InfobipResponse r = read(request);
            Duration wait = repeatable && r.status() == 429 && attempt < max429Retries
                    ? RetryAfter.parse(r.retryAfter(), clock) : null;
            if (wait == null || wait.compareTo(maxInlineWait) > 0) {
                return r;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r; // the caller reports the 429 with its Retry-After
            }
        }
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
}
