package dev.parley.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A connection's small durable memory, kept by the runtime in its database per connection id and shared
 * by every instance: ids of objects the connection created at the provider (webhooks, triggers), a
 * signing secret the provider generated. Survives restarts and credential changes; not for bulk data.
 * Secrets go through {@link #putSecret} and {@link #secret}: the runtime encrypts them at rest.
 */
public interface ConnectionStore {

    Optional<String> get(String key);

    /** Sets or replaces a value (at most 4000 characters). */
    void put(String key, String value);

    void remove(String key);

    /**
     * Sets {@code key} only if it has no value yet: a claim every instance of a cluster agrees on (one creates the
     * provider's webhook, the others find it). The runtime decides it in its database; this default, for fakes, is
     * not atomic.
     *
     * @return true when this call set it
     */
    default boolean putIfAbsent(String key, String value) {
        if (get(key).isPresent()) return false;
        put(key, value);
        return true;
    }

    /**
     * Replaces {@code expected} by {@code value} only if nobody changed it meanwhile (taking over a stale claim). The
     * runtime decides it in its database; this default, for fakes, is not atomic.
     *
     * @return true when this call replaced it
     */
    default boolean replace(String key, String expected, String value) {
        if (!get(key).filter(expected::equals).isPresent()) return false;
        put(key, value);
        return true;
    }

    /**
     * Removes {@code key} only while its value is still {@code expected} (giving up one's own claim, never one another
     * instance has taken over since). The runtime decides it in its database; this default, for fakes, is not atomic.
     *
     * @return true when this call removed it
     */
    default boolean remove(String key, String expected) {
        if (!get(key).filter(expected::equals).isPresent()) return false;
        remove(key);
        return true;
    }

    /** Every key and value of this connection, except secrets. */
    Map<String, String> all();

    /**
     * Sets or replaces a secret the provider handed out at run time (a webhook signing secret). The runtime
     * encrypts it before it reaches the database.
     *
     * @throws PermanentException when the runtime has no key to encrypt with; the message names the setting,
     *                            and the runtime puts the connection in ERROR with it
     */
    void putSecret(String key, String value);

    /**
     * A secret stored with {@link #putSecret}; empty when absent or when it cannot be decrypted with the
     * configured keys (the runtime logs why), so a signature check that depends on it fails closed.
     */
    Optional<String> secret(String key);
}
