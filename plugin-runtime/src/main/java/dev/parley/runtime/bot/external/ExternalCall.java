package dev.parley.runtime.bot.external;

import dev.parley.runtime.bot.BotFailure;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.Response;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The HTTP side shared by the external bots: builds their MicroProfile REST Client proxies (timeouts, fixed
 * headers) and turns a call into a JSON body or a {@link BotFailure}. Every failure message is scrubbed of
 * the bot's secrets, even when a provider echoes them back.
 */
final class ExternalCall {

    /** Longest provider error text quoted in a failure. */
    private static final int MAX_DETAIL = 300;

    private final String botName;
    private final Duration timeout;
    private final List<String> secrets;

    /**
     * @param botName what failures call the bot ("LLM", "Botpress", "Rasa")
     * @param secrets values that must never show in a failure message (nulls ignored)
     */
    ExternalCall(String botName, Duration timeout, String... secrets) {
        this.botName = botName;
        this.timeout = timeout;
        List<String> s = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                s.add(secret);
            }
        }
        this.secrets = List.copyOf(s);
    }

    /** A proxy of {@code api} at {@code baseUri}, sending {@code headers} on every request. */
    <T> T client(Class<T> api, URI baseUri, Map<String, String> headers) {
        Map<String, String> fixed = Map.copyOf(headers);
        ClientRequestFilter addHeaders = request -> fixed.forEach((k, v) -> request.getHeaders().putSingle(k, v));
        return RestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // Statuses are mapped here, with the provider's error text.
                .property("microprofile.rest.client.disable.default.mapper", true)
                .register(addHeaders)
                .build(api);
    }

    /**
     * Runs {@code call} and returns its parsed 2xx JSON body.
     *
     * @throws BotFailure on a timeout, a connection error, a non-2xx status or a body that is not JSON
     */
    JsonValue send(Supplier<Response> call) {
        Response response;
        try {
            response = call.get();
        } catch (BotFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw transportFailure(e);
        }
        try {
            int status = response.getStatus();
            String body;
            try {
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (RuntimeException e) {
                throw transportFailure(e);
            }
            if (status < 200 || status > 299) {
                String detail = providerError(body);
                throw failure(botName + " answered HTTP " + status + (detail == null ? "" : ": " + detail), null);
            }
            return parse(body);
        } finally {
            response.close();
        }
    }

    /** A "bad answer" failure, for bodies that are JSON but not what the bot should send. */
    BotFailure badAnswer(String why) {
        return failure("bad answer from " + botName + ": " + why, null);
    }

    private JsonValue parse(String body) {
        if (body == null || body.isBlank()) {
            throw badAnswer("empty body");
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            throw badAnswer("not JSON (" + abbreviate(body.strip()) + ")");
        }
    }

    private BotFailure transportFailure(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return failure(botName + " did not accept a connection within " + timeout.toMillis() + " ms", e);
            }
            if (t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
                // SocketTimeoutException and java.net.http timeouts are both InterruptedIOException or HttpTimeoutException
                return failure(botName + " timed out after " + timeout.toMillis() + " ms", e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return failure("cannot connect to " + botName + ": " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : " " + t.getMessage()), e);
            }
        }
        return failure(botName + " call failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    /** The provider's own error text: OpenAI's {@code error.message}, or a top-level {@code message}/{@code error}. */
    private static String providerError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() == JsonValue.ValueType.OBJECT) {
                JsonObject o = value.asJsonObject();
                JsonValue error = o.get("error");
                if (error != null && error.getValueType() == JsonValue.ValueType.OBJECT) {
                    String m = HandoffPayloads.string(error.asJsonObject(), "message");
                    if (m != null) {
                        return abbreviate(m);
                    }
                }
                String m = HandoffPayloads.string(o, "message");
                if (m == null) {
                    m = HandoffPayloads.string(o, "error");
                }
                if (m != null) {
                    return abbreviate(m);
                }
            }
        } catch (RuntimeException e) {
            // not JSON: quote the start of it
        }
        return abbreviate(body.strip());
    }

    private BotFailure failure(String message, Throwable cause) {
        String scrubbed = scrub(message);
        // The cause's own message may hold a URL with a token: keep it only when it is clean.
        if (cause != null && !clean(cause)) {
            return new BotFailure(scrubbed);
        }
        return cause == null ? new BotFailure(scrubbed) : new BotFailure(scrubbed, cause);
    }

    private boolean clean(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            for (String secret : secrets) {
                if (m.contains(secret)) {
                    return false;
                }
            }
        }
        return true;
    }

    String scrub(String message) {
        String m = message;
        for (String secret : secrets) {
            m = m.replace(secret, "***");
        }
        return m;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
