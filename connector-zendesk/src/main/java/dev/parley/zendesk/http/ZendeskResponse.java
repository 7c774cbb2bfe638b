package dev.parley.zendesk.http;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;

import java.util.Map;
import java.util.Optional;

/**
 * A Zendesk answer that was not retried away: its status, body and the headers Parley reads.
 *
 * @param headers lower-case names ({@code location}, {@code x-idempotency-lookup}, ...)
 */
public record ZendeskResponse(int status, String body, Map<String, String> headers) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as a JSON object, or an empty object when it is empty or not an object. */
    public JsonObject json() {
        JsonObject o = Jsons.parseObjectOrNull(body);
        return o == null ? JsonObject.EMPTY_JSON_OBJECT : o;
    }

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    /** True when the body is JSON (Zendesk's API) rather than an HTML page (a wrong host, a proxy). */
    public boolean isJson() {
        return Jsons.parseObjectOrNull(body) != null;
    }
}
