package dev.parley.spi;

import java.util.List;

/**
 * One kind of connection ({@code infobip-sms}, {@code zendesk}, ...). Stateless and thread-safe: the
 * runtime creates one instance per JVM through {@link java.util.ServiceLoader} and calls
 * {@link #open} once for every connection of this type each time that connection starts.
 *
 * <p>Lifecycle of a connection, driven by the runtime: {@code STOPPED -> STARTING} (the runtime checks
 * the declared required fields, then calls {@link #open} and {@link Connection#verify()}) {@code ->
 * RUNNING}, or {@code ERROR} with the exception's message. Stop calls {@link Connection#close()}. A
 * credentials change takes effect on the next start: {@link #open} reads the config each time.
 */
public interface Connector {

    /** The value of {@code parley.connection.<id>.type} this connector serves; unique per deployment. */
    String type();

    /** One line for operators: what this connector connects to. */
    String description();

    /**
     * Every setting this connector reads. The runtime checks required fields before {@link #open},
     * masks secret ones in the admin API and logs, and generates the configuration reference from
     * this list.
     */
    List<ConfigField> configFields();

    /**
     * The webhook kinds a provider should be pointed at ({@code /channel/<id>/webhook/<kind>}), listed by the
     * admin API so operators know which URLs to configure. Kinds a connection sets per message itself
     * may be listed too. None by default.
     */
    default List<String> webhookKinds() {
        return List.of();
    }

    /**
     * Creates a connection from its settings. Must not call the provider (that is
     * {@link Connection#verify()}'s job) and must not block.
     *
     * @throws PermanentException when a setting is present but invalid; the message names the field
     *         and what to enter instead, never a secret value
     */
    Connection open(ConnectionContext context);
}
