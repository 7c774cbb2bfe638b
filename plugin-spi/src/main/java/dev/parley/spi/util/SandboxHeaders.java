package dev.parley.spi.util;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request headers for a sandbox's {@link dev.parley.spi.SandboxApi#handleForAdmin}: the caller's headers with the
 * sandbox's own credentials as the one {@code Authorization}.
 */
public final class SandboxHeaders {

    private SandboxHeaders() {
    }

    /**
     * A copy of {@code headers} whose only {@code Authorization} (in any case of the name) is {@code authorization}:
     * the admin's credentials are dropped, so they never reach a stand-in.
     */
    public static Map<String, List<String>> withAuthorization(Map<String, List<String>> headers, String authorization) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (name != null && !name.equalsIgnoreCase("Authorization") && values != null) {
                    out.put(name, List.copyOf(values.stream().filter(v -> v != null).toList()));
                }
            });
        }
        out.put("Authorization", List.of(authorization));
        return out;
    }

    /** {@code Basic base64(user:password)}, UTF-8. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString(
                ((user == null ? "" : user) + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }
}
