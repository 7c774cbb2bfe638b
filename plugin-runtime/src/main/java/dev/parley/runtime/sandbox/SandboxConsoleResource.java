package dev.parley.runtime.sandbox;

import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.spi.SandboxApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The sandboxes for Parley's console: {@code /api/sandbox/<connectionId>/<path>} is the sandbox's
 * {@code /sandbox/<connectionId>/<path>} for a signed-in admin, who plays the customer and the human agent without
 * knowing the stood-in provider's credentials: the admin role stands for them ({@link SandboxApi#handleForAdmin}), so
 * they never leave the server. Admin-only like all of {@code /api} ({@code AdminAuthFilter}); a connection that is not
 * a running sandbox is a 404.
 */
@ApplicationScoped
@Path("/api/sandbox/{connectionId}/{path: .*}")
@Tag(name = "sandbox console", description = "The built-in sandboxes for a signed-in admin, without the provider's credentials")
@SecurityRequirement(name = "admin")
public class SandboxConsoleResource {

    @Inject
    ConnectionManager connections;

    @GET
    @Operation(summary = "Read a sandbox as its provider's account would (e.g. GET /api/sandbox/<sms>/messages: what was 'sent'; "
            + "GET /api/sandbox/<desk>/agent/tickets: the desk's tickets)")
    public Response get(@PathParam("connectionId") String id, @PathParam("path") String path,
                        @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(id, path, request, headers, uri, null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Play the customer or the agent (e.g. POST /api/sandbox/<sms>/customer/<from>/text {\"text\":\"...\"}; "
            + "POST /api/sandbox/<desk>/agent/tickets/<ticket>/reply {\"text\":\"...\",\"agent\":\"Dana\"})")
    public Response post(@PathParam("connectionId") String id, @PathParam("path") String path,
                         @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return handle(id, path, request, headers, uri, body);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A sandbox's PUT, with the provider's credentials added by the server")
    public Response put(@PathParam("connectionId") String id, @PathParam("path") String path,
                        @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return handle(id, path, request, headers, uri, body);
    }

    @DELETE
    @Operation(summary = "A sandbox's DELETE (e.g. DELETE /api/sandbox/<sms>/messages forgets what was 'sent')")
    public Response delete(@PathParam("connectionId") String id, @PathParam("path") String path,
                           @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(id, path, request, headers, uri, null);
    }

    private Response handle(String id, String path, Request request, HttpHeaders headers, UriInfo uri, byte[] body) {
        return SandboxCalls.call(connections, SandboxApi::handleForAdmin, id, path, request, headers, uri, body);
    }
}
