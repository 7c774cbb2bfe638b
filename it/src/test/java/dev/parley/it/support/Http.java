package dev.parley.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny HTTP client for the tests (java.net.http + JSON-P). Immutable; {@link #withBasic} and {@link #withHeader}
 * return copies.
 * <pre>
 * Http admin = Http.of(parley.baseUrl()).withBasic("admin", "it-secret");
 * JsonArray connections = admin.get("/api/connections").expect(200).jsonArray();
 * admin.postJson("/api/connections/sms/messages", Json.createObjectBuilder().add("to", "+41...").add("text", "hi").build());
 * Http.of(parley.baseUrl()).post("/channel/sms/webhook/sms", body, "application/json", Map.of("X-Sig", sig));
 * </pre>
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final Duration timeout;

    private Http(String baseUrl, Map<String, String> headers, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
    }

    public static Http of(String baseUrl) {
        return new Http(baseUrl, Map.of(), Duration.ofSeconds(30));
    }

    public Http withBasic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return withHeader("Authorization", "Basic " + token);
    }

    public Http withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Http(baseUrl, h, timeout);
    }

    public Http withTimeout(Duration timeout) {
        return new Http(baseUrl, headers, timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    /** POST without a body (e.g. {@code /api/connections/{id}/start}). */
    public Response post(String path) {
        return send("POST", path, "", null, Map.of());
    }

    public Response postJson(String path, JsonStructure json) {
        return postJson(path, json.toString());
    }

    public Response postJson(String path, String json) {
        return send("POST", path, json, "application/json", Map.of());
    }

    public Response putJson(String path, String json) {
        return send("PUT", path, json, "application/json", Map.of());
    }

    /** POST any body with a content type and extra headers (webhooks with signatures, form posts, ...). */
    public Response post(String path, String body, String contentType, Map<String, String> extraHeaders) {
        return send("POST", path, body, contentType, extraHeaders);
    }

    /** The general form; {@code body} null = no body. */
    public Response send(String method, String path, String body, String contentType, Map<String, String> extraHeaders) {
        URI uri = URI.create(path.startsWith("http://") || path.startsWith("https://") ? path
                : baseUrl + (path.startsWith("/") ? path : "/" + path));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        b.setHeader("Accept", "application/json, text/plain, */*");
        if (contentType != null) {
            b.setHeader("Content-Type", contentType);
        }
        headers.forEach(b::setHeader);
        extraHeaders.forEach(b::setHeader);
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(method, uri, r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }

    /** Status, body and headers of one exchange, with JSON-P accessors. */
    public record Response(String method, URI uri, int status, String body, HttpHeaders headers) {

        public JsonObject json() {
            return parse().asJsonObject();
        }

        public JsonArray jsonArray() {
            return parse().asJsonArray();
        }

        /** Any JSON value (object, array, string, ...). */
        public JsonValue parse() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readValue();
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Fails with method, URL, status and body unless the status is one of {@code expected}. */
        public Response expect(int... expected) {
            for (int s : expected) {
                if (s == status) {
                    return this;
                }
            }
            throw new AssertionError("expected HTTP " + java.util.Arrays.toString(expected) + " but got " + this);
        }

        @Override
        public String toString() {
            String b = body == null ? "" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
            return method + " " + uri + " -> " + status + " " + b;
        }
    }
}
