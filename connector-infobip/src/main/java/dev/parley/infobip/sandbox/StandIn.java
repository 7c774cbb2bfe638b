package dev.parley.infobip.sandbox;

import static dev.parley.spi.util.SandboxRequests.header;

import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Parley's Infobip stand-ins (SMS, WhatsApp, Conversations) share: the {@code App <key>} check, Infobip's legacy
 * error bodies, request validation helpers, and the HTTP client they post reports, inbound messages and events with.
 */
final class StandIn {

    private StandIn() {
    }

    /** Whether the headers carry {@code Authorization: App <key>} for the key whose SHA-256 is {@code keyDigest}. */
    static boolean appKeyMatches(byte[] keyDigest, Map<String, List<String>> headers) {
        String value = header(headers, "Authorization");
        String key = value.length() > 4 && value.regionMatches(true, 0, "App ", 0, 4) ? value.substring(4).trim() : "";
        // Digests of both sides: constant time and length-independent.
        return MessageDigest.isEqual(keyDigest, sha256(key)) & !key.isEmpty();
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static SandboxResponse methodNotAllowed(String method, String path) {
        return legacyError(405, "METHOD_NOT_ALLOWED", "Method " + method + " not allowed on " + path);
    }

    /** Infobip's legacy error body: {@code {"requestError":{"serviceException":{"messageId","text"}}}}. */
    static SandboxResponse legacyError(int status, String id, String text) {
        return json(status, Jsons.BUILDERS.createObjectBuilder()
                .add("requestError", Jsons.BUILDERS.createObjectBuilder()
                        .add("serviceException", Jsons.BUILDERS.createObjectBuilder()
                                .add("messageId", id).add("text", text)))
                .build());
    }

    static SandboxResponse json(int status, JsonObject body) {
        return new SandboxResponse(status, body.toString());
    }

    static void addOrNull(JsonObjectBuilder b, String key, String value) {
        if (value == null) b.addNull(key);
        else b.add(key, value);
    }

    /** A required string of 1..max characters (Infobip's messages); null when it is not one. */
    static String required(JsonObject o, String key, String at, int max, Map<String, List<String>> v) {
        JsonValue value = o.get(key);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            violate(v, at, "must not be null");
            return null;
        }
        if (!(value instanceof JsonString s)) {
            violate(v, at, "must be a string");
            return null;
        }
        String text = s.getString();
        if (text.isBlank()) {
            violate(v, at, "must not be blank");
            return null;
        }
        if (text.length() > max) {
            violate(v, at, "size must be between 1 and " + max);
            return null;
        }
        return text;
    }

    /** An optional string of at most max characters; null when absent, null or not one. */
    static String optional(JsonObject o, String key, String at, int max, Map<String, List<String>> v) {
        JsonValue value = o.get(key);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) return null;
        if (!(value instanceof JsonString s)) {
            violate(v, at, "must be a string");
            return null;
        }
        if (s.getString().length() > max) {
            violate(v, at, "size must be between 0 and " + max);
            return null;
        }
        return s.getString();
    }

    static JsonObject requiredObject(JsonObject o, String key, String at, Map<String, List<String>> v) {
        JsonValue value = o.get(key);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            violate(v, at, "must not be null");
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            violate(v, at, "must be an object");
            return null;
        }
        return object;
    }

    static void violate(Map<String, List<String>> v, String property, String message) {
        v.computeIfAbsent(property, k -> new ArrayList<>()).add(message);
    }

    static JsonObject object(byte[] body) {
        try {
            return Jsons.parse(body) instanceof JsonObject o ? o : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Infobip's legacy 400, as {@code /whatsapp/1/message/*} answer it. */
    static SandboxResponse badRequest(Map<String, List<String>> violations) {
        JsonObjectBuilder v = Jsons.BUILDERS.createObjectBuilder();
        violations.forEach((property, messages) -> {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            messages.forEach(a::add);
            v.add(property, a);
        });
        return json(400, Jsons.BUILDERS.createObjectBuilder()
                .add("requestError", Jsons.BUILDERS.createObjectBuilder()
                        .add("serviceException", Jsons.BUILDERS.createObjectBuilder()
                                .add("messageId", "BAD_REQUEST").add("text", "Bad request").add("validationErrors", v)))
                .build());
    }

    static URI httpUrl(String s) {
        try {
            URI u = URI.create(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String withoutQuery(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** Request text for a log line: control characters (a forged line break) shown as '?'. */
    static String printable(String s) {
        return s == null ? "" : s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Posts JSON; returns the HTTP status. {@link JsonPoster} in production, replaceable in tests. */
    interface Poster {
        /** @param authorization the Authorization header, or null for none */
        int post(URI url, String json, String authorization) throws IOException, InterruptedException;
    }

    /** Posts JSON with java.net.http; one client per stand-in, created on first use. */
    static final class JsonPoster implements Poster {
        private volatile HttpClient client;

        @Override
        public int post(URI url, String json, String authorization) throws IOException, InterruptedException {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    if (client == null) {
                        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                                .followRedirects(HttpClient.Redirect.NEVER).build();
                    }
                    c = client;
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            if (authorization != null) request.header("Authorization", authorization);
            return c.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
