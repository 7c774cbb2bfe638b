package dev.parley.runtime.media;

import dev.parley.runtime.web.Problems;
import dev.parley.runtime.web.PublicEndpoint;
import dev.parley.spi.RetryableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /media/<id>?expires=<epoch seconds>&sig=<signature>}: a stored copy, to whoever holds a link Parley
 * signed ({@link MediaLinks}); outside {@code /api}, so no admin credentials. The signature is checked before
 * anything else (403), then the expiry (410), then the id (404). A copy is served so that no browser runs it as a
 * page of this origin: its type only when {@link MediaPolicy} lists it (else {@code application/octet-stream} as an
 * attachment), {@code nosniff}, a sandboxing Content-Security-Policy, cached privately for at most the link's
 * remaining lifetime (and a day). A single byte range is served (206) for players that ask for one.
 */
@ApplicationScoped
@PublicEndpoint("a signed, expiring link: the HMAC signature in its query authenticates the caller")
@Path("/media/{id}")
@Tag(name = "media", description = "Stored media, through signed links")
public class MediaResource {

    static final String CSP = "default-src 'none'; sandbox";

    @Inject
    MediaService media;

    @GET
    @Operation(summary = "A stored media file, through a signed link")
    public Response get(@PathParam("id") String id, @QueryParam("expires") String expires, @QueryParam("sig") String sig,
                        @HeaderParam("Range") String range) {
        return answer(id, expires, sig, true, range);
    }

    @HEAD
    @Operation(summary = "A stored media file's headers, through a signed link")
    public Response head(@PathParam("id") String id, @QueryParam("expires") String expires, @QueryParam("sig") String sig) {
        return answer(id, expires, sig, false, null);
    }

    private Response answer(String id, String expires, String sig, boolean withBody, String rangeHeader) {
        if (!media.ready()) {
            return refused(Response.fromResponse(Problems.response(503, "Parley is starting; retry shortly"))
                    .header("Retry-After", "5").build());
        }
        if (!media.linksEnabled()) {
            return refused(Problems.response(403, "media links are disabled on this server"));
        }
        switch (media.verify(id, expires, sig)) {
            case BAD_SIGNATURE:
                return refused(Problems.response(403, "missing or invalid link signature"));
            case EXPIRED:
                return refused(Problems.response(410, "this link has expired; ask for a new one"));
            default:
                break;
        }
        try {
            Optional<MediaRows.Row> row = media.byId(id);
            Optional<byte[]> body = row.isPresent() && withBody ? media.content(id) : Optional.empty();
            if (row.isEmpty() || (withBody && body.isEmpty())) {
                return refused(Problems.response(404, "no such media (copies are deleted after parley.retention.media)"));
            }
            MediaPolicy.Serving serving = MediaPolicy.serving(row.get().media().contentType());
            long size = row.get().media().sizeBytes();
            ByteRange range = withBody ? ByteRange.parse(rangeHeader, size) : null;
            if (range == ByteRange.UNSATISFIABLE) {
                return Response.fromResponse(refused(Problems.response(416, "the requested range is outside the media")))
                        .header("Content-Range", "bytes */" + size).build();
            }
            Response.ResponseBuilder r;
            if (!withBody) {
                r = Response.ok().header("Content-Length", size);
            } else if (range == null) {
                r = Response.ok(body.get()).header("Content-Length", size);
            } else {
                r = Response.status(206).entity(Arrays.copyOfRange(body.get(), (int) range.first(), (int) range.last() + 1))
                        .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size)
                        .header("Content-Length", range.length());
            }
            r.type(serving.contentType())
                    .header("Accept-Ranges", "bytes")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", CSP)
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "private, max-age=" + media.cacheSeconds(expires))
                    .header("Content-Disposition", MediaPolicy.contentDisposition(serving.inline(), row.get().media().fileName()));
            return r.build();
        } catch (RetryableException e) {
            return refused(Response.fromResponse(Problems.response(503, "the media store is unavailable; retry shortly"))
                    .header("Retry-After", "5").build());
        }
    }

    /** Refusals are not cached and not sniffed either. */
    private static Response refused(Response problem) {
        return Response.fromResponse(problem).header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff").build();
    }
}
