package dev.parley.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A connection's small durable memory, kept by the runtime in its database per connection id and shared
 * by every instance: ids of objects the connection created at the provider (webhooks, triggers), a
 * signing secret the provider generated. Survives restarts and credential changes; not for bulk data.
 */
public interface ConnectionStore {

    Optional<String> get(String key);

    /** Sets or replaces a value (at most 4000 characters). */
    void put(String key, String value);

    void remove(String key);

    /** Every key and value of this connection. */
    Map<String, String> all();
}
