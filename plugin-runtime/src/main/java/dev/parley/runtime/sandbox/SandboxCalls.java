package dev.parley.runtime.sandbox;

import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.web.Problems;
import dev.parley.spi.SandboxApi;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What both ways into a sandbox share ({@link SandboxResource} for the provider's credentials,
 * {@link SandboxConsoleResource} for a signed-in admin): find the connection's running sandbox, hand it the call, and
 * send its answer as it is.
 */
final class SandboxCalls {

    /** One way into a sandbox: {@link SandboxApi#handle} or {@link SandboxApi#handleForAdmin}. */
    @FunctionalInterface
    interface Entry {
        SandboxApi.SandboxResponse call(SandboxApi sandbox, String method, String path, Map<String, List<String>> headers,
                                        byte[] body);
    }

    private SandboxCalls() {
    }

    static Response call(ConnectionManager connections, Entry entry, String id, String path, Request request,
                         HttpHeaders headers, UriInfo uri, byte[] body) {
        // A sandbox must answer while its connection is still STARTING: start-up verifies against it.
        Optional<SandboxApi> sandbox = connections.find(id).flatMap(ManagedConnection::sandboxApi);
        if (sandbox.isEmpty()) {
            return Problems.response(404, "connection '" + Problems.clip(id) + "' is not a running sandbox");
        }
        // Sandboxes read query parameters (Zendesk's start_time, sort_order, external_id) from the path.
        String query = uri.getRequestUri().getRawQuery();
        SandboxApi.SandboxResponse r = entry.call(sandbox.get(), request.getMethod(),
                "/" + path + (query == null || query.isEmpty() ? "" : "?" + query),
                headers.getRequestHeaders(), body == null ? new byte[0] : body);
        // A stand-in's file download (a media CDN) answers raw bytes, typed by its own Content-Type header.
        Response.ResponseBuilder answer = r.bytes() != null
                ? Response.status(r.status()).entity(r.bytes())
                : Response.status(r.status()).entity(r.json()).type(MediaType.APPLICATION_JSON);
        r.headers().forEach(answer::header);
        return answer.build();
    }
}
