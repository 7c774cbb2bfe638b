package dev.parley.runtime.sandbox;

import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.web.PublicEndpoint;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Serves connections' built-in provider stand-ins at {@code /sandbox/<connectionId>/...}. The sandbox
 * checks the provider credentials itself, exactly as the provider would. Only connections configured
 * as sandboxes answer; for any other id this is a 404. ({@link SandboxConsoleResource} serves the same sandboxes to a
 * signed-in admin at {@code /api/sandbox/...}, without the provider credentials.)
 */
@ApplicationScoped
@PublicEndpoint("the sandbox checks the stood-in provider's credentials")
@Path("/sandbox/{connectionId}/{path: .*}")
@Tag(name = "sandbox", description = "Built-in stand-ins of provider APIs (base-url=sandbox)")
public class SandboxResource {

    @Inject
    ConnectionManager connections;

    @GET
    @Operation(summary = "Sandbox call (e.g. GET /sandbox/<id>/messages lists what was 'sent')")
    public Response get(@PathParam("connectionId") String id, @PathParam("path") String path,
                        @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(id, path, request, headers, uri, null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("connectionId") String id, @PathParam("path") String path,
                         @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return handle(id, path, request, headers, uri, body);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("connectionId") String id, @PathParam("path") String path,
                        @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return handle(id, path, request, headers, uri, body);
    }

    @DELETE
    public Response delete(@PathParam("connectionId") String id, @PathParam("path") String path,
                           @Context Request request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(id, path, request, headers, uri, null);
    }

    private Response handle(String id, String path, Request request, HttpHeaders headers, UriInfo uri, byte[] body) {
        return SandboxCalls.call(connections, SandboxApi::handle, id, path, request, headers, uri, body);
    }
}
