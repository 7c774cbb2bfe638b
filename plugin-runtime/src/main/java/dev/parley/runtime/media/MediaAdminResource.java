package dev.parley.runtime.media;

import dev.parley.runtime.web.Problems;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.StoredMedia;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Admin API of the media store: upload a file (for WhatsApp template headers, which need a fetchable image) and
 * look a stored copy up, each answered with a fresh signed link. The body limit ({@code parley.http.max-body-bytes})
 * applies before authentication, the media cap ({@code parley.media.max-bytes}) while the upload is read.
 */
@ApplicationScoped
@Path("/api/media")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "media")
@SecurityRequirement(name = "admin")
public class MediaAdminResource {

    @Inject
    MediaService media;

    /**
     * A stored copy as the admin API shows it. {@code connection} is null for an operator's upload; {@code link} is
     * null when links are disabled, and {@code linkError} says why.
     */
    public record MediaView(String id, String connection, String key, String contentType, String fileName, long sizeBytes,
                            String sha256, Instant createdAt, URI link, Instant linkExpiresAt, String linkError) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a file (the raw body, its Content-Type, ?name=file name, ?validFor=link lifetime); "
            + "answers its id and a signed link")
    public Response upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @QueryParam("name") String name,
                           @QueryParam("validFor") String validFor, InputStream body) {
        Duration lifetime;
        try {
            lifetime = lifetime(validFor);
        } catch (IllegalArgumentException e) {
            return Problems.response(400, e.getMessage());
        }
        StoredMedia stored;
        try {
            stored = media.upload(contentType, name, body);
        } catch (MediaTooLargeException e) {
            return Response.fromResponse(Problems.response(413, e.getMessage())).header("Connection", "close").build();
        } catch (RetryableException e) {
            return Response.fromResponse(Problems.response(503, "the media store is unavailable; retry shortly"))
                    .header("Retry-After", "5").build();
        } catch (PermanentException | IllegalArgumentException e) {
            return Problems.response(400, "the body is empty: send the file's bytes as the request body");
        }
        return Response.created(URI.create("/api/media/" + stored.id())).entity(view(null, stored, lifetime)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A stored copy's details and a fresh signed link (?validFor=its lifetime)")
    public Response get(@PathParam("id") String id, @QueryParam("validFor") String validFor) {
        Duration lifetime;
        try {
            lifetime = lifetime(validFor);
        } catch (IllegalArgumentException e) {
            return Problems.response(400, e.getMessage());
        }
        try {
            return media.byId(id).map(row -> Response.ok(view(MediaService.owner(row), row.media(), lifetime)).build())
                    .orElseGet(() -> Problems.response(404, "no media " + Problems.clip(id)));
        } catch (RetryableException e) {
            return Response.fromResponse(Problems.response(503, "the media store is unavailable; retry shortly"))
                    .header("Retry-After", "5").build();
        }
    }

    /** {@code ?validFor=}: an ISO-8601 duration, or absent for {@code parley.media.link-ttl}. */
    private static Duration lifetime(String validFor) {
        if (validFor == null || validFor.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(validFor.strip().toUpperCase(Locale.ROOT));
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // below
        }
        throw new IllegalArgumentException("validFor=" + Problems.clip(validFor)
                + " is not a positive ISO-8601 duration (e.g. PT1H, P30D)");
    }

    private MediaView view(String connection, StoredMedia m, Duration lifetime) {
        URI link = null;
        Instant expires = null;
        String error = null;
        try {
            MediaService.SignedLink signed = media.signedLink(m.id(), lifetime);
            link = signed.uri();
            expires = signed.expires();
        } catch (PermanentException e) {
            error = e.getMessage();
        }
        return new MediaView(m.id(), connection, m.key(), m.contentType(), m.fileName(), m.sizeBytes(), m.sha256(),
                m.createdAt(), link, expires, error);
    }
}
