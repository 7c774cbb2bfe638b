package dev.parley.runtime.console;

import dev.parley.runtime.web.StaticFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's web console at {@code /console}: one page (plain HTML, CSS and JavaScript, no build chain) that
 * reads and drives the admin API from the browser. It is not a {@code PublicEndpoint}: the page itself needs the
 * admin role, so the browser asks for the admin credentials once and then sends them with every {@code /api} call.
 * Every path below {@code /console/} that is not an asset answers the same page, which shows the view the path
 * names ({@code /console/sessions/42} is session 42): the session links on help-desk tickets point there.
 */
@ApplicationScoped
@Path("/console")
@Tag(name = "console", description = "The operator's web console (HTML), admin credentials")
@SecurityRequirement(name = "admin")
public class ConsoleResource {

    /** The page and its assets, from the runtime jar; nothing else is ever served (no path from the request). */
    private static final StaticFiles FILES = new StaticFiles("/dev/parley/runtime/console/",
            java.util.Map.of("console.js", "text/javascript; charset=utf-8",
                    "console.css", "text/css; charset=utf-8",
                    "index.html", "text/html; charset=utf-8"));

    @GET
    @Operation(summary = "The console's start page (/console redirects to /console/)")
    public Response root(@Context UriInfo uri) {
        // JAX-RS matches /console and /console/ alike: only the first is redirected, so relative links resolve.
        return uri.getRequestUri().getRawPath().endsWith("/") ? FILES.serve("index.html", "no-store")
                : Response.seeOther(UriBuilder.fromPath("/console/").build()).build();
    }

    @GET
    @Path("{view: .*}")
    @Operation(summary = "The console: its page for any view (/console/sessions/42), or one of its assets")
    public Response page(@PathParam("view") String view) {
        if (view.startsWith("assets/")) {
            return FILES.serve(view.substring("assets/".length()), "private, max-age=300");
        }
        return FILES.serve("index.html", "no-store");
    }
}
