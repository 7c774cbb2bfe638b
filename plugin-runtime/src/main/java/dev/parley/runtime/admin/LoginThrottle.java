package dev.parley.runtime.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Slows a password guesser down: after {@code maxFailures} wrong admin logins from one client address within
 * {@code window}, that address is refused (429) until the oldest of them leaves the window: at most
 * {@code maxFailures} guesses per window, since a refused request is not checked at all. A request
 * without credentials is no guess and does not count; a correct login clears the address's count. Each burst is
 * logged once, when it starts being refused. Per instance (N instances allow N times the guesses; noted in the
 * README), bounded to {@value #MAX_ADDRESSES} addresses so a spray of sources cannot grow the heap.
 */
public final class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("parley.admin.login-failures.max must be >= 1 and the window positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must still wait, if it is refused now. */
    public synchronized Optional<Duration> refusedFor(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        prune(times, now);
        if (times.isEmpty()) {
            failures.remove(address);
            return Optional.empty();
        }
        if (times.size() < maxFailures) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(window));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** Records a wrong login; true when this one starts a refused burst (logged here, once). */
    public synchronized boolean failed(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(times, now);
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
        evictBeyondCapacity(now);
        if (times.size() == maxFailures) {
            LOG.warning("admin login: " + maxFailures + " wrong credentials from " + address + " within "
                    + window.toSeconds() + " s; refusing that address (429) for " + window.toSeconds() + " s");
            return true;
        }
        return false;
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    private void evictBeyondCapacity(Instant now) {
        if (failures.size() <= MAX_ADDRESSES) {
            return;
        }
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Deque<Instant>> e = it.next();
            prune(e.getValue(), now);
            if (e.getValue().isEmpty()) it.remove();
        }
        // Still full: forget the least recently seen addresses (access order), never the one just recorded.
        Iterator<String> eldest = failures.keySet().iterator();
        while (failures.size() > MAX_ADDRESSES && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
