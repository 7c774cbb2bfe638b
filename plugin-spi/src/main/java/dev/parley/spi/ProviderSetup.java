package dev.parley.spi;

import java.util.List;
import java.util.Map;

/**
 * A capability: what the provider must hold for Parley to hear back (a webhook, triggers), which the
 * connection can check, create and remove. Created objects are named and tagged per installation so
 * two Parley installations on one provider account never take each other's events, and their ids are
 * kept in the {@link ConnectionStore}.
 */
public interface ProviderSetup {

    /** Reads what exists at the provider; changes nothing. */
    SetupStatus check();

    /** Creates what is missing and repairs what drifted; idempotent. */
    SetupStatus register();

    /** Deletes what {@link #register} created (by the stored ids); idempotent. */
    SetupStatus unregister();

    /**
     * @param complete true when everything Parley needs is in place
     * @param items    one line per object: what it is, its id, and its state (e.g. "webhook 01H..: active")
     * @param ids      object name to provider id, as stored
     */
    record SetupStatus(boolean complete, List<String> items, Map<String, String> ids) {
        public SetupStatus {
            items = List.copyOf(items);
            ids = Map.copyOf(ids);
        }
    }
}
