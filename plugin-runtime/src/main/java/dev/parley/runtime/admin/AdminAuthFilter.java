package dev.parley.runtime.admin;

import dev.parley.runtime.web.Problems;
import dev.parley.runtime.web.PublicEndpoint;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The admin role, bound to the resource JAX-RS matched (never to the request's path string, which
 * {@code /api;x/...}, {@code %61pi} or {@code //api} would dodge): every resource method needs HTTP Basic admin
 * credentials unless its class or method is {@link PublicEndpoint}. Fails closed: no matched resource, no
 * configured password, or an unknown resource all mean "admin required". Wrong credentials count toward the
 * client's {@link LoginThrottle}; a throttled address gets 429 with {@code Retry-After}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;
    @Context
    HttpServletRequest servletRequest;
    @Inject
    AdminCredentials credentials;
    @Inject
    @ConfigProperty(name = "parley.admin.login-failures.max")
    int maxFailures;
    @Inject
    @ConfigProperty(name = "parley.admin.login-failures.window-seconds")
    long windowSeconds;
    @Inject
    @ConfigProperty(name = "parley.admin.trusted-proxies")
    Optional<String> trustedProxies;
    @Inject
    @ConfigProperty(name = "parley.public-url")
    String publicUrl;

    private LoginThrottle throttle;
    private String publicOrigin;
    private Set<String> proxies;

    @PostConstruct
    void init() {
        publicOrigin = origin(publicUrl);
        throttle = new LoginThrottle(maxFailures, Duration.ofSeconds(windowSeconds), Clock.systemUTC());
        proxies = trustedProxies.map(p -> Arrays.stream(p.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic(resource == null ? null : resource.getResourceClass(),
                resource == null ? null : resource.getResourceMethod())) {
            return;
        }
        String client = ClientAddress.of(servletRequest == null ? null : servletRequest.getRemoteAddr(),
                request.getHeaderString("X-Forwarded-For"), proxies);
        Optional<Duration> refused = throttle.refusedFor(client);
        if (refused.isPresent()) {
            request.abortWith(Response.fromResponse(Problems.response(429,
                            "too many wrong admin logins from this address; retry later"))
                    .header("Retry-After", Math.max(1, refused.get().toSeconds() + 1)).build());
            return;
        }
        // Both are usually the same origin (Set.of would refuse the duplicate).
        Set<String> ownOrigins = new java.util.HashSet<>(java.util.List.of(publicOrigin,
                origin(request.getUriInfo().getBaseUri().toString())));
        String crossSite = crossSite(request.getMethod(), request.getHeaderString("Sec-Fetch-Site"),
                request.getHeaderString("Origin"), ownOrigins);
        if (crossSite != null) {
            // A browser that holds the admin's Basic credentials (the console) sends them to any page's forms too.
            request.abortWith(Problems.response(403, crossSite));
            return;
        }
        switch (credentials.verify(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            case ADMIN -> throttle.succeeded(client);
            case DISABLED -> request.abortWith(Problems.response(401,
                    "the admin API is disabled until parley.admin.password-hash or parley.admin.password is set"));
            case MISSING -> request.abortWith(Problems.forbidden401());
            case WRONG -> {
                throttle.failed(client);
                request.abortWith(Problems.forbidden401());
            }
        }
    }

    /**
     * Why a state-changing admin call is refused as cross-site request forgery, or null when it is not one. Browsers
     * say where a request comes from ({@code Sec-Fetch-Site}, {@code Origin}); a call that is not GET, HEAD or
     * OPTIONS from another site is refused, even with the right credentials (a browser that signed in to the console
     * would add them to another site's form posts). Clients that are no browser (curl, scripts) send neither header
     * and are not affected.
     *
     * @param ownOrigins this server's origins ({@code scheme://host[:port]}): its public URL and the request's own
     */
    static String crossSite(String method, String secFetchSite, String origin, Set<String> ownOrigins) {
        if (method == null || Set.of("GET", "HEAD", "OPTIONS").contains(method.toUpperCase(java.util.Locale.ROOT))) {
            return null;
        }
        if (secFetchSite != null && !secFetchSite.isBlank()
                && !Set.of("same-origin", "none").contains(secFetchSite.strip().toLowerCase(java.util.Locale.ROOT))) {
            return "refused: a " + method + " from another site (Sec-Fetch-Site: " + Problems.clip(secFetchSite.strip())
                    + "); the admin API takes changes only from this server's own pages or from clients that are no browser";
        }
        if (origin != null && !origin.isBlank() && !ownOrigins.contains(origin(origin.strip()))) {
            return "refused: a " + method + " from another origin (" + Problems.clip(origin.strip())
                    + "); the admin API takes changes only from this server's own pages or from clients that are no browser";
        }
        return null;
    }

    /** {@code scheme://host[:port]} of a URL, lower case, without a default port; the input itself when it is no URL. */
    static String origin(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return url;
            }
            String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * Public only when the matched class or method says so; anything unknown is admin-only. Looks through CDI
     * proxies (subclasses) to the declaring class.
     */
    static boolean isPublic(Class<?> resourceClass, Method method) {
        if (resourceClass == null || method == null) {
            return false;
        }
        return resourceClass.isAnnotationPresent(PublicEndpoint.class)
                || method.isAnnotationPresent(PublicEndpoint.class)
                || method.getDeclaringClass().isAnnotationPresent(PublicEndpoint.class);
    }
}
