package dev.parley.runtime.connection;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A connection as configured: {@code parley.connection.<id>.type}, whether it should run
 * ({@code .enabled}, default true), and its raw settings read at start.
 */
public record ConnectionDefinition(String id, String type, boolean enabled) {

    /** Ids appear in URLs and property names; keep them to safe characters. */
    public static final Pattern VALID_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public ConnectionDefinition {
        if (!VALID_ID.matcher(id).matches()) {
            throw new IllegalStateException("connection id '" + id + "' is invalid: use lower-case letters, digits, '-' and '_'");
        }
    }

    public static String property(String id, String field) {
        return "parley.connection." + id + "." + field;
    }

    /** Settings snapshot with secrets masked, for the admin API. */
    public static Map<String, String> masked(Map<String, String> values, java.util.Set<String> secretFields) {
        Map<String, String> out = new java.util.TreeMap<>();
        values.forEach((k, v) -> out.put(k, secretFields.contains(k) ? "****" : v));
        return out;
    }
}
