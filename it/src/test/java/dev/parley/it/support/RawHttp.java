package dev.parley.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests whose request-target must reach the server byte for byte as
 * written ({@code /api;x/sessions}, {@code /%61pi/sessions}, {@code //api/sessions}, {@code /x/../api}):
 * {@link java.net.URI} and {@link java.net.http.HttpClient} normalise or refuse some of those. One request per
 * connection ({@code Connection: close}); the response is read to the end of the stream (chunked bodies are
 * decoded).
 * <pre>
 * RawHttp.Response r = RawHttp.to("localhost", port).send("GET", "/api;x/sessions", null, null, Map.of());
 * </pre>
 */
public final class RawHttp {

    private final String host;
    private final int port;
    private final int timeoutMillis;

    private RawHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    public static RawHttp to(String host, int port) {
        return new RawHttp(host, port, 30_000);
    }

    /**
     * Sends {@code method target HTTP/1.1} with Host, {@code Connection: close}, {@code Accept}, the extra headers
     * and, when {@code body} is not null, Content-Type and Content-Length. {@code target} goes out unchanged
     * (ISO-8859-1, as a request line is), so it must not contain CR, LF or spaces.
     */
    public Response send(String method, String target, String body, String contentType, Map<String, String> headers) {
        if (target.chars().anyMatch(c -> c == '\r' || c == '\n' || c == ' ')) {
            throw new IllegalArgumentException("a request-target has no CR, LF or space: " + target);
        }
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Connection: close\r\n");
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Accept"))) {
            head.append("Accept: application/json, text/plain, */*\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (payload != null) {
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        } else if (method.equals("POST") || method.equals("PUT")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (payload != null) {
                out.write(payload);
            }
            out.flush();
            return parse(method, target, socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed: " + e, e);
        }
    }

    static Response parse(String method, String target, byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IllegalStateException(method + " " + target + ": no complete response head in "
                    + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        List<String> te = headers.getOrDefault("transfer-encoding", List.of());
        if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = dechunk(body);
        }
        return new Response(method, target, status, lines[0], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < in.length) {
            int lineEnd = indexOf(in, new byte[] {'\r', '\n'}, pos);
            if (lineEnd < 0) {
                break;
            }
            String sizeField = new String(in, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(in, start, Math.min(size, in.length - start));
            pos = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One exchange: the request as sent, the status line, headers (names lower-cased) and the body. */
    public record Response(String method, String target, int status, String statusLine,
                           Map<String, List<String>> headers, String body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            String b = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            return method + " " + target + " -> " + status + " " + b.replaceAll("\\s+", " ");
        }
    }
}
