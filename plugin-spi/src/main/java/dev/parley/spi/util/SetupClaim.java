package dev.parley.spi.util;

import dev.parley.spi.ConnectionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who of several instances sets up a connection's objects at the provider (a webhook, a subscription): a claim in
 * the connection's {@link ConnectionStore}, decided in Parley's database, so instances starting together create them
 * once. Its value is {@code <stage>@<instant>}, e.g. {@code creating@2026-11-30T10:00:00Z}. A claim older than
 * {@code stale} no longer stands (its instance died, or what it stood for is long done) and is taken over with a
 * compare-and-set. An instance that finds it held should look again once {@link #heldFor} has passed.
 */
public final class SetupClaim {

    private final ConnectionStore store;
    private final Clock clock;
    private final String key;
    private final Duration stale;

    public SetupClaim(ConnectionStore store, Clock clock, String key, Duration stale) {
        this.store = store;
        this.clock = clock;
        this.key = key;
        this.stale = stale;
    }

    /**
     * Takes the claim for {@code stage}: when nobody holds it, or the holder's is stale.
     *
     * @return true when this instance now holds it
     */
    public boolean take(String stage) {
        String mine = stage + "@" + clock.instant();
        if (store.putIfAbsent(key, mine)) return true;
        String held = store.get(key).orElse(null);
        if (held == null) return store.putIfAbsent(key, mine); // released meanwhile
        return isStale(held) && store.replace(key, held, mine);
    }

    /** Marks the claim {@code stage} now (the work is done but should stand a while, e.g. for a lagging list). */
    public void mark(String stage) {
        store.put(key, stage + "@" + clock.instant());
    }

    /** Gives the claim up: the next instance takes it at once. */
    public void release() {
        store.remove(key);
    }

    /** The claim as stored (for messages), empty when nobody holds it. */
    public Optional<String> held() {
        return store.get(key);
    }

    /** How long until the held claim turns stale; empty when nobody holds it or it is stale already. */
    public Optional<Duration> heldFor() {
        Instant now = clock.instant();
        return store.get(key).flatMap(this::staleAt).filter(at -> at.isAfter(now)).map(at -> Duration.between(now, at));
    }

    private boolean isStale(String claim) {
        return staleAt(claim).map(at -> !at.isAfter(clock.instant())).orElse(true);
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
