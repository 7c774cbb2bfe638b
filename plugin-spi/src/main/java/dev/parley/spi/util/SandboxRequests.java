package dev.parley.spi.util;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a call to a provider stand-in ({@link dev.parley.spi.SandboxApi#handle}): its headers and query string. */
public final class SandboxRequests {

    private SandboxRequests() {
    }

    /** The first value of a header, whatever the case of its name, trimmed; "" when absent. */
    public static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) return "";
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                    && !e.getValue().isEmpty() && e.getValue().get(0) != null) {
                return e.getValue().get(0).trim();
            }
        }
        return "";
    }

    /**
     * A raw query string ({@code a=1&b=x%20y}, without {@code ?}) as decoded parameters in order; the first of a
     * repeated name wins, and a parameter with a malformed escape is left out.
     */
    public static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored
            }
        }
        return q;
    }
}
