package dev.parley.spi;

import java.util.Optional;

/**
 * A connection's settings: the declared {@link ConfigField}s, with their defaults applied. Values come
 * from MicroProfile Config ({@code parley.connection.<id>.<field>}: properties files, system
 * properties, environment variables, secret directories) and are read once when the connection opens.
 */
public interface ConnectionConfig {

    /** The value, or empty when the property is absent or blank and the field has no default. */
    Optional<String> get(String field);

    /**
     * The value of a field; {@link PermanentException} naming the field when absent. The runtime already
     * refuses to start a connection that lacks a required field, so this is for fields that are
     * required only in some modes.
     */
    default String require(String field) {
        return get(field).orElseThrow(() -> new PermanentException(
                "missing setting '" + field + "'"));
    }

    default boolean getBoolean(String field, boolean fallback) {
        return get(field).map(v -> {
            if (v.equalsIgnoreCase("true")) return true;
            if (v.equalsIgnoreCase("false")) return false;
            throw new PermanentException("setting '" + field + "' must be true or false, not '" + v + "'");
        }).orElse(fallback);
    }
}
