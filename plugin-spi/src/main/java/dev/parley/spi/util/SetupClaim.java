package dev.parley.spi.util;

import dev.parley.spi.ConnectionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who of several instances sets up a connection's objects at the provider (a webhook, a subscription): a claim in
 * the connection's {@link ConnectionStore}, decided in Parley's database, so instances starting together create them
 * once. Its value is {@code <stage>@<instant>}, e.g. {@code creating@2026-11-30T10:00:00Z}. A claim older than
 * {@code stale} no longer stands (its instance died, or what it stood for is long done) and is taken over with a
 * compare-and-set. An instance that finds it held should look again once {@link #blockedFor} has passed. One object
 * per connection and claim: it remembers what this instance holds, so it gives up only its own claim.
 */
public final class SetupClaim {

    private final ConnectionStore store;
    /** The connection's clock, read at each use (tests move it). */
    private final Supplier<Instant> clock;
    private final String key;
    private final Duration stale;
    /** The value this instance set, while it holds the claim. */
    private volatile String mine;
    /** The value that refused this instance's last {@link #take}; null when it got the claim. */
    private volatile String blockedBy;

    public SetupClaim(ConnectionStore store, Supplier<Instant> clock, String key, Duration stale) {
        this.store = store;
        this.clock = clock;
        this.key = key;
        this.stale = stale;
    }

    /**
     * Takes the claim for {@code stage}: when nobody holds it, or the holder's is stale.
     *
     * @return true when this instance now holds it; else {@link #blockedFor} says when to try again
     */
    public boolean take(String stage) {
        String value = stage + "@" + clock.get();
        String held = null;
        boolean taken = store.putIfAbsent(key, value);
        if (!taken) {
            held = store.get(key).orElse(null);
            taken = held == null ? store.putIfAbsent(key, value) // released meanwhile
                    : isStale(held) && store.replace(key, held, value);
        }
        mine = taken ? value : null;
        blockedBy = taken ? null : (held == null ? store.get(key).orElse("released@" + Instant.EPOCH) : held);
        return taken;
    }

    /**
     * Runs {@code work} holding the claim for {@code stage}, and gives the claim up afterwards, also when it throws;
     * empty when another instance holds it ({@link #blockedFor} says until when).
     */
    public <T> Optional<T> whileHeld(String stage, Supplier<T> work) {
        if (!take(stage)) return Optional.empty();
        try {
            return Optional.ofNullable(work.get());
        } finally {
            release();
        }
    }

    /**
     * Marks the claim {@code stage} now (the work is done but should stand a while, e.g. for a lagging list), only
     * while this instance still holds it.
     */
    public void mark(String stage) {
        String held = mine;
        String value = stage + "@" + clock.get();
        if (held != null && store.replace(key, held, value)) mine = value;
    }

    /**
     * Gives the claim up, if this instance still holds it (one taken over after it turned stale is the other
     * instance's now): the next instance takes it at once.
     */
    public void release() {
        String held = mine;
        mine = null;
        if (held != null) store.remove(key, held);
    }

    /** The claim as stored (for messages), empty when nobody holds it. */
    public Optional<String> held() {
        return store.get(key);
    }

    /**
     * How long until the claim that refused this instance's last {@link #take} turns stale (zero when it already is);
     * empty when that take got the claim. Judged from the value that refused it: when its holder released it since,
     * the next take succeeds anyway.
     */
    public Optional<Duration> blockedFor() {
        String b = blockedBy;
        if (b == null) return Optional.empty();
        Instant now = clock.get();
        return Optional.of(staleAt(b).filter(at -> at.isAfter(now)).map(at -> Duration.between(now, at)).orElse(Duration.ZERO));
    }

    private boolean isStale(String claim) {
        return staleAt(claim).map(at -> !at.isAfter(clock.get())).orElse(true);
    }

    /** When {@code claim} turns stale; empty when it cannot be read (then it counts as stale). */
    private Optional<Instant> staleAt(String claim) {
        int at = claim.lastIndexOf('@');
        try {
            return Optional.of(Instant.parse(at < 0 ? claim : claim.substring(at + 1)).plus(stale));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
