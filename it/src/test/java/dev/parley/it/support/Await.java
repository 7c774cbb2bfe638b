package dev.parley.it.support;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds (every 200 ms). Exceptions thrown by the condition count as "not yet" and
 * the last one is attached to the failure.
 * <pre>
 * Await.until(Duration.ofSeconds(20), () -> infobip.findAll(postRequestedFor(urlEqualTo("/sms/2/text/advanced"))).size() == 1,
 *         "the bot reply reached Infobip");
 * JsonObject s = Await.value(Duration.ofSeconds(20), () -> findSession(...), "session exists");  // non-null result
 * </pre>
 */
public final class Await {

    private static final long POLL_MILLIS = 200;

    private Await() {
    }

    public static void until(Duration timeout, Supplier<Boolean> condition, String description) {
        value(timeout, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null, description);
    }

    /** Polls until {@code supplier} returns non-null and returns that value. */
    public static <T> T value(Duration timeout, Supplier<T> supplier, String description) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T v = supplier.get();
                if (v != null) {
                    return v;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() >= deadline) {
                AssertionError failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: "
                        + description + (last == null ? "" : " (last error: " + last + ")"));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + description, e);
            }
        }
    }
}
