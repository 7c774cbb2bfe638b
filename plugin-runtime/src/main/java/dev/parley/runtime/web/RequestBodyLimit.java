package dev.parley.runtime.web;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Caps every request body at {@code parley.http.max-body-bytes} (1 MB by default), before authentication and
 * before any of it is read: a declared {@code Content-Length} above the cap is refused at once, and a chunked body
 * is cut off when it crosses the cap while being read. Both answer 413 and close the connection, so the server does
 * not drain the rest.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyLimit implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "parley.http.max-body-bytes")
    long maxBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        long declared = declaredLength(request.getHeaderString(HttpHeaders.CONTENT_LENGTH));
        if (declared > maxBytes) {
            request.abortWith(tooLarge(maxBytes));
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Bounded(request.getEntityStream(), maxBytes));
        }
    }

    static Response tooLarge(long maxBytes) {
        return Response.fromResponse(Problems.response(413, "request body larger than " + maxBytes + " bytes"))
                .header("Connection", "close").build();
    }

    /** A malformed or absent length is left to the bounded stream (and the container's own checks). */
    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A body that crossed the cap while being read. */
    static final class TooLarge extends WebApplicationException {
        TooLarge(long max) {
            super(tooLarge(max));
        }
    }

    /** Throws 413 as soon as more than {@code max} bytes have been read. */
    static final class Bounded extends FilterInputStream {
        private final long max;
        private long count;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            count += n;
            if (count > max) {
                throw new TooLarge(max);
            }
        }
    }
}
