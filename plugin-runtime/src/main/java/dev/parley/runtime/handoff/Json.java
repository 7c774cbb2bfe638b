package dev.parley.runtime.handoff;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

/** Extracted fields are stored as a flat JSON object of strings. */
final class Json {

    private Json() {
    }

    static String fields(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        JsonObjectBuilder b = dev.parley.runtime.web.JsonSupport.JSON.createObjectBuilder();
        fields.forEach((k, v) -> {
            if (k != null && v != null) {
                b.add(k, v);
            }
        });
        return b.build().toString();
    }

    static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonObject o = dev.parley.runtime.web.JsonSupport.JSON.createReader(new StringReader(json)).readObject();
        o.forEach((k, v) -> out.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        return out;
    }
}
