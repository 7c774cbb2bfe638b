package dev.parley.spi.util;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON-P helpers for connectors: cached factories (provider lookup is costly) and
 * lenient field readers that return {@code null} instead of throwing on a missing or mistyped field.
 */
public final class Jsons {

    /** Builders for request and response bodies. */
    public static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private Jsons() {
    }

    /**
     * Parses a JSON document.
     *
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static JsonValue parse(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text == null ? "" : text))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        } catch (RuntimeException e) {
            // Past its limits the JSON-P implementation throws its own unchecked exceptions (Parsson: a number of
            // more than 1100 characters, nesting deeper than 1000 levels): still input that is not usable JSON.
            throw new IllegalArgumentException("not usable JSON (a number too long or nesting too deep)", e);
        }
    }

    /**
     * Parses a JSON document from UTF-8 (or UTF-16/32, detected) bytes.
     *
     * @throws IllegalArgumentException when the bytes are not JSON
     */
    public static JsonValue parse(byte[] bytes) {
        try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(bytes == null ? new byte[0] : bytes))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        } catch (RuntimeException e) {
            // Past its limits the JSON-P implementation throws its own unchecked exceptions (Parsson: a number of
            // more than 1100 characters, nesting deeper than 1000 levels): still input that is not usable JSON.
            throw new IllegalArgumentException("not usable JSON (a number too long or nesting too deep)", e);
        }
    }

    /** Parses and returns the document if it is an object, else {@code null} (also for invalid JSON). */
    public static JsonObject parseObjectOrNull(String text) {
        try {
            JsonValue v = parse(text);
            return v instanceof JsonObject o ? o : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A string field; numbers are returned as their JSON text; anything else {@code null}. */
    public static String string(JsonObject o, String key) {
        if (o == null) return null;
        JsonValue v = o.get(key);
        if (v instanceof JsonString s) return s.getString();
        if (v instanceof JsonNumber n) return n.toString();
        return null;
    }

    /** A string field that is present and not blank, else {@code null}. */
    public static String nonBlank(JsonObject o, String key) {
        String s = string(o, key);
        return s == null || s.isBlank() ? null : s;
    }

    /** An integer field given as number or numeric string, else {@code null}. */
    public static Long integer(JsonObject o, String key) {
        if (o == null) return null;
        JsonValue v = o.get(key);
        try {
            if (v instanceof JsonNumber n) return n.longValueExact();
            if (v instanceof JsonString s) return Long.parseLong(s.getString().trim());
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** A boolean field, or {@code fallback} when absent or not a boolean. */
    public static boolean bool(JsonObject o, String key, boolean fallback) {
        if (o == null) return fallback;
        JsonValue v = o.get(key);
        if (v == JsonValue.TRUE) return true;
        if (v == JsonValue.FALSE) return false;
        return fallback;
    }

    /** An object field, else {@code null}. */
    public static JsonObject object(JsonObject o, String key) {
        if (o == null) return null;
        return o.get(key) instanceof JsonObject child ? child : null;
    }

    /** An array field, else {@code null}. */
    public static JsonArray array(JsonObject o, String key) {
        if (o == null) return null;
        return o.get(key) instanceof JsonArray child ? child : null;
    }
}
