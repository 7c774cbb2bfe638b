package dev.parley.infobip.sandbox;

import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What Parley's Infobip stand-ins (SMS, WhatsApp) share: the {@code App <key>} check, Infobip's legacy error body, and
 * the HTTP client they post reports and inbound messages with.
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

    /** The first value of a header, whatever its case; "" when absent. */
    static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) return "";
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                    && !e.getValue().isEmpty() && e.getValue().get(0) != null) {
                return e.getValue().get(0).trim();
            }
        }
        return "";
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

    /** Posts JSON with java.net.http; one client per stand-in, created on first use. */
    static final class JsonPoster {
        private volatile HttpClient client;

        int post(URI url, String json, String authorization) throws IOException, InterruptedException {
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
