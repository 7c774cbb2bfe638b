package dev.parley.spi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider's HTTP call to {@code /channel/<id>/webhook/<kind>}, exactly as received: the raw body
 * bytes (signatures are computed over them) and the headers.
 *
 * @param kind    the last path segment ({@code sms}, {@code dlr}, ...)
 * @param headers header name to values; look up with {@link #header}, which ignores case
 * @param query   query parameter name to values
 * @param body    the raw body; never null
 */
public record WebhookRequest(String kind, Map<String, List<String>> headers, Map<String, List<String>> query,
                             byte[] body) {

    public WebhookRequest {
        TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        headers = ci;
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
