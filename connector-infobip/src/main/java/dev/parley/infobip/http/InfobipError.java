package dev.parley.infobip.http;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Infobip error body, in either of its two styles: the new {@code ApiError}
 * {@code {"errorCode","description","action","violations":[{property,violation}],"resources"}} (e.g. {@code /sms/3/*})
 * and the legacy {@code ApiException}
 * {@code {"requestError":{"serviceException":{"messageId","text","validationErrors":{...}}}}} (e.g.
 * {@code /account/1/*}, {@code /whatsapp/1/message/*}, {@code /ccaas/*}).
 *
 * @param code    the error code ({@code E401}, {@code UNAUTHORIZED}); null when the body has none
 * @param text    the description; never null
 * @param details violations or validation errors as one line; null when none
 */
public record InfobipError(String code, String text, String details) {

    private static final int MAX_RAW = 200;

    /** Parses an error body; a body that is not a known error shape becomes its first 200 characters. */
    public static InfobipError parse(String body) {
        JsonObject o = Jsons.parseObjectOrNull(body);
        if (o != null && o.containsKey("errorCode")) {
            return new InfobipError(Jsons.nonBlank(o, "errorCode"), orNone(Jsons.nonBlank(o, "description")),
                    violations(Jsons.array(o, "violations")));
        }
        JsonObject requestError = Jsons.object(o, "requestError");
        if (requestError != null) {
            JsonObject e = Jsons.object(requestError, "serviceException");
            if (e == null) e = Jsons.object(requestError, "policyException");
            if (e != null) {
                return new InfobipError(Jsons.nonBlank(e, "messageId"), orNone(Jsons.nonBlank(e, "text")),
                        validationErrors(Jsons.object(e, "validationErrors")));
            }
        }
        String raw = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (raw.isEmpty()) return new InfobipError(null, "no error details in the response", null);
        return new InfobipError(null, raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW) + "...", null);
    }

    /** {@code "E400: description; violations: a: b, c: d"}. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        if (code != null) s.append(code).append(": ");
        s.append(text);
        if (details != null) s.append("; ").append(details);
        return s.toString();
    }

    private static String orNone(String s) {
        return s == null ? "no description" : s;
    }

    private static String violations(JsonArray violations) {
        if (violations == null || violations.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        for (JsonValue v : violations) {
            if (v instanceof JsonObject vo) {
                String property = Jsons.nonBlank(vo, "property");
                String violation = Jsons.nonBlank(vo, "violation");
                parts.add(property == null ? String.valueOf(violation) : property + ": " + violation);
            }
        }
        return parts.isEmpty() ? null : "violations: " + String.join(", ", parts);
    }

    private static String validationErrors(JsonObject errors) {
        if (errors == null || errors.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : errors.entrySet()) {
            JsonValue v = e.getValue();
            List<String> messages = new ArrayList<>();
            if (v instanceof JsonArray a) {
                for (JsonValue m : a) messages.add(m.getValueType() == JsonValue.ValueType.STRING
                        ? ((jakarta.json.JsonString) m).getString() : m.toString());
            } else if (v instanceof jakarta.json.JsonString str) {
                messages.add(str.getString());
            } else {
                messages.add(v.toString());
            }
            parts.add(e.getKey() + ": " + String.join(" / ", messages));
        }
        return "validationErrors: " + String.join(", ", parts);
    }
}
