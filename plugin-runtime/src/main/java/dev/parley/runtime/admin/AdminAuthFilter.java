package dev.parley.runtime.admin;

import dev.parley.runtime.web.Problems;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTP Basic authentication for everything under {@code /api}. With no {@code parley.admin.password}
 * configured the admin API refuses every call (fail closed). Compared in constant time over digests,
 * so neither content nor length leaks through timing.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "parley.admin.user")
    String user;
    @Inject
    @ConfigProperty(name = "parley.admin.password")
    Optional<String> password;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("api") || path.startsWith("api/") || path.startsWith("/api"))) {
            return;
        }
        if (password.isEmpty() || password.get().isBlank()) {
            request.abortWith(Problems.response(401,
                    "the admin API is disabled until parley.admin.password is set"));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!matches(header, user, password.get())) {
            request.abortWith(Problems.forbidden401());
        }
    }

    static boolean matches(String header, String user, String password) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(sha256(header == null ? "" : header.trim()), sha256(expected));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
