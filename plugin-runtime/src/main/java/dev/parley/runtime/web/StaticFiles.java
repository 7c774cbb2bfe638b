package dev.parley.runtime.web;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed set of files from the class path, served with their media type and the headers a page needs to stay
 * self-contained: a Content-Security-Policy that allows only this origin's scripts, styles and images, no
 * framing, no MIME sniffing. A name that is not in the set is a 404, so no request can reach another resource.
 */
public final class StaticFiles {

    /** Only this origin; images may also be data: URLs (Swagger UI's icons). */
    static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private final String base;
    private final Map<String, String> types;
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    /**
     * @param base  class-path folder, with leading and trailing {@code /}
     * @param types every file that may be served, with its media type
     */
    public StaticFiles(String base, Map<String, String> types) {
        this.base = base;
        this.types = Map.copyOf(types);
    }

    public Response serve(String name, String cacheControl) {
        return serve(name, cacheControl, CSP);
    }

    /** @param csp the page's Content-Security-Policy */
    public Response serve(String name, String cacheControl, String csp) {
        String type = types.get(name);
        byte[] bytes = type == null ? null : loaded.computeIfAbsent(name, this::read);
        if (bytes == null || bytes.length == 0) {
            return Problems.response(404, "no such file: " + Problems.clip(name));
        }
        return Response.ok(bytes, type)
                .header("Cache-Control", cacheControl)
                .header("Content-Security-Policy", csp)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .build();
    }

    private byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(base + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + base + name, e);
        }
    }
}
