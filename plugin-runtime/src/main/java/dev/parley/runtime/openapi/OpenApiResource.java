package dev.parley.runtime.openapi;

import dev.parley.runtime.web.StaticFiles;
import dev.parley.runtime.web.Problems;
import dev.parley.runtime.web.PublicEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Parley's API description at {@code /openapi} (YAML as {@code application/yaml}, JSON with {@code ?format=json} or
 * {@code Accept: application/json}) and Swagger UI at {@code /openapi/ui}.
 *
 * <p>Payara builds the document (MicroProfile OpenAPI) but serves it itself at its own context root, as
 * {@code text/plain}, and owns every path below it. Parley's servers move Payara's endpoint to
 * {@code /payara-openapi} (the post-boot command {@code set-openapi-configuration --endpoint=payara-openapi}); this
 * resource then answers {@code /openapi} with the same document, read once from Payara over loopback and kept
 * (it only changes on a redeploy, which restarts this application too). Where Payara's endpoint was not moved
 * (a Payara Server domain not configured so) Payara keeps answering {@code /openapi} and this resource is never
 * reached.
 */
@ApplicationScoped
@PublicEndpoint("the API description is public, as Payara's own /openapi is")
@Path("/openapi")
public class OpenApiResource {

    private static final Logger LOG = Logger.getLogger(OpenApiResource.class.getName());
    static final String YAML = "application/yaml";
    static final String JSON = "application/json";

    /** Swagger UI from its WebJar, and Parley's own page and initializer (no inline script: the CSP forbids it). */
    private static final StaticFiles PARLEY_UI = new StaticFiles("/dev/parley/runtime/openapi/",
            Map.of("index.html", "text/html; charset=utf-8", "swagger-initializer.js", "text/javascript; charset=utf-8"));
    private static final StaticFiles SWAGGER_UI = new StaticFiles(
            "/META-INF/resources/webjars/swagger-ui/" + SwaggerUiVersion.VERSION + "/",
            Map.of("swagger-ui.css", "text/css; charset=utf-8", "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
                    "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
                    "favicon-32x32.png", "image/png", "favicon-16x16.png", "image/png"));
    /** Swagger UI sets inline styles. */
    private static final String UI_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Inject
    @ConfigProperty(name = "parley.openapi.payara-endpoint", defaultValue = "/payara-openapi")
    String payaraEndpoint;
    @Context
    HttpServletRequest servletRequest;

    private final Map<String, String> documents = new ConcurrentHashMap<>();
    /** One fetch at a time per format: a burst of anonymous calls while Payara builds the document waits on none. */
    private final Map<String, Boolean> fetching = new ConcurrentHashMap<>();
    /** After a failed fetch, callers get 503 without another loopback call (and log line) until then. */
    private final Map<String, java.time.Instant> failedUntil = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @GET
    @Operation(hidden = true)
    public Response document(@QueryParam("format") String format, @Context HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        boolean json = "json".equalsIgnoreCase(format)
                || (format == null && accept != null && accept.contains(JSON) && !accept.contains("yaml"));
        String type = json ? JSON : YAML;
        String doc = documents.get(type);
        if (doc == null) {
            java.time.Instant now = java.time.Instant.now();
            boolean failedLately = now.isBefore(failedUntil.getOrDefault(type, java.time.Instant.MIN));
            if (failedLately || fetching.putIfAbsent(type, Boolean.TRUE) != null) {
                return notYet(); // another call is fetching it, or the last fetch failed a moment ago
            }
            try {
                doc = fetch(type);
                if (doc == null) {
                    failedUntil.put(type, now.plusSeconds(RETRY_SECONDS));
                    return notYet();
                }
                documents.put(type, doc);
            } finally {
                fetching.remove(type);
            }
        }
        return Response.ok(doc, type + ";charset=UTF-8").header("Cache-Control", "no-cache").build();
    }

    private static final int RETRY_SECONDS = 5;

    private static Response notYet() {
        return Response.fromResponse(Problems.response(503, "the API description is being prepared; retry in a few seconds"))
                .header("Retry-After", RETRY_SECONDS).build();
    }

    @GET
    @Path("ui")
    @Operation(hidden = true)
    public Response uiRoot(@Context jakarta.ws.rs.core.UriInfo uri) {
        // Matched by /openapi/ui and /openapi/ui/ alike: only the first is redirected (Swagger UI's links are relative).
        return uri.getRequestUri().getRawPath().endsWith("/") ? ui("")
                : Response.seeOther(UriBuilder.fromPath("/openapi/ui/").build()).build();
    }

    @GET
    @Path("ui/{file: .*}")
    @Operation(hidden = true)
    public Response ui(@PathParam("file") String file) {
        if (file.isEmpty() || file.equals("index.html") || file.equals("swagger-initializer.js")) {
            return PARLEY_UI.serve(file.isEmpty() ? "index.html" : file, "no-cache", UI_CSP);
        }
        return SWAGGER_UI.serve(file, "public, max-age=86400", UI_CSP);
    }

    /** Payara's document over loopback; null when Payara does not answer (yet). */
    private String fetch(String type) {
        // Payara answers YAML only to Accept text/plain or */* (406 to application/yaml): ask by ?format.
        // A path is asked on this request's own port; a whole URL where that port is HTTPS only (Payara Server's 8181).
        String base = payaraEndpoint.startsWith("http://") || payaraEndpoint.startsWith("https://") ? payaraEndpoint
                : "http://127.0.0.1:" + servletRequest.getLocalPort() + payaraEndpoint;
        URI uri = URI.create(base + "?format=" + (type.equals(JSON) ? "json" : "yaml"));
        try {
            // Payara builds the document on its first request: that took 10-20 s on a busy 2-core machine.
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Accept", "*/*")
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && !r.body().isBlank()) {
                return r.body();
            }
            LOG.warning("Payara's OpenAPI endpoint " + payaraEndpoint + " answered " + r.statusCode()
                    + "; is set-openapi-configuration --endpoint=payara-openapi in the post-boot commands?");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read Payara's OpenAPI document at " + payaraEndpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
