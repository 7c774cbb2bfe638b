package dev.parley.spi;

import java.util.List;
import java.util.Map;

/**
 * A built-in stand-in of a provider's API, for trying Parley without a provider account. The runtime
 * serves it at {@link ConnectionContext#sandboxUrl()} ({@code /sandbox/<id>/...}), and the connection
 * calls it over HTTP exactly as it calls the real provider.
 */
public interface SandboxApi {

    /**
     * Handles one HTTP call to the sandbox.
     *
     * @param method  the HTTP method
     * @param path    the path below {@code /sandbox/<id>}, starting with {@code /}, with the request's raw
     *                query string ({@code ?a=b}) when it has one
     * @param headers request headers, names in any case
     * @param body    the raw body
     */
    SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body);

    /**
     * A call from Parley's console by a signed-in admin ({@code /api/sandbox/<id>/...}): the admin role stands for the
     * provider credentials, which never leave the server. A sandbox answers it as {@link #handle} would with its own
     * credentials in place of the caller's ({@link dev.parley.spi.util.SandboxHeaders#withAuthorization}); one
     * without a console answers 404.
     *
     * @param headers request headers without the provider's credentials (the admin's own are replaced)
     */
    default SandboxResponse handleForAdmin(String method, String path, Map<String, List<String>> headers, byte[] body) {
        return new SandboxResponse(404, "{\"error\":\"this sandbox has no console\"}");
    }

    /**
     * A sandbox answer: status, a JSON body, and extra response headers (e.g. Zendesk's
     * {@code x-idempotency-lookup}, a redirect's {@code Location}). A stand-in of a provider's file download (a
     * media CDN) answers raw {@code bytes} instead, made with {@link #binary}: then {@code json} is null and the
     * {@code Content-Type} header says what the bytes are.
     *
     * @param bytes a raw body sent as it is instead of {@code json}; null for a JSON answer
     */
    record SandboxResponse(int status, String json, Map<String, String> headers, byte[] bytes) {

        public SandboxResponse {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public SandboxResponse(int status, String json, Map<String, String> headers) {
            this(status, json, headers, null);
        }

        public SandboxResponse(int status, String json) {
            this(status, json, Map.of(), null);
        }

        /**
         * A raw answer (a file): sent as it is, typed by the {@code Content-Type} of {@code headers}. An empty
         * {@code body} with a {@code Content-Length} header answers a {@code HEAD}.
         */
        public static SandboxResponse binary(int status, byte[] body, Map<String, String> headers) {
            return new SandboxResponse(status, null, headers, body == null ? new byte[0] : body.clone());
        }
    }
}
