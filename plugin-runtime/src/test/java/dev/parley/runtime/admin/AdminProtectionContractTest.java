package dev.parley.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.rest.ParleyApplication;
import dev.parley.runtime.web.PublicEndpoint;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fails closed: enumerates every resource method of Parley's JAX-RS application (the classes it serves, listed in
 * {@link ParleyApplication}) and fails when one outside the public routes can be reached without the admin role.
 * A new endpoint is admin-only unless it is marked {@link PublicEndpoint}, and only the routes below may be.
 */
class AdminProtectionContractTest {

    /**
     * The only routes served without the admin role (health and metrics are Payara's, outside JAX-RS).
     * {@code /media/} is authenticated by its signed link; {@code /api/media} is admin-only like all of {@code /api};
     * {@code /openapi} is the API description and Swagger UI's static files (public as Payara's own endpoint is).
     * {@code /console} is NOT public: the page itself needs the admin role.
     */
    private static final List<String> PUBLIC_PREFIXES = List.of("/channel/", "/sandbox/", "/ping", "/media/", "/openapi");

    record Endpoint(String verb, String path, Class<?> resource, Method method) {
        @Override public String toString() { return verb + " " + path; }
    }

    static List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> c : new ParleyApplication().getClasses()) {
            Path classPath = c.getAnnotation(Path.class);
            if (classPath == null) continue; // providers (filters, mappers)
            for (Method m : c.getMethods()) {
                String verb = verb(m);
                Path methodPath = m.getAnnotation(Path.class);
                if (verb == null && methodPath == null) continue;
                String path = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                out.add(new Endpoint(verb == null ? "LOCATOR" : verb, path, c, m));
            }
        }
        return out;
    }

    private static String verb(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) return h.value();
        }
        return null;
    }

    private static String join(String a, String b) {
        String p = ("/" + a + "/" + b).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static boolean publicRoute(String path) {
        return PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
    }

    @Test
    void everyEndpointOutsideThePublicRoutesNeedsTheAdminRole() {
        List<Endpoint> all = endpoints();
        assertTrue(all.size() >= 30, "enumeration found the admin API: " + all);
        Set<String> exposed = new TreeSet<>();
        for (Endpoint e : all) {
            if (!publicRoute(e.path()) && AdminAuthFilter.isPublic(e.resource(), e.method())) {
                exposed.add(e.toString());
            }
        }
        assertEquals(Set.of(), exposed, "reachable without the admin role");
    }

    @Test
    void onlyThePublicRoutesAreMarkedPublicAndTheyAre() {
        Set<String> marked = new TreeSet<>();
        Set<String> unmarked = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            boolean isPublic = AdminAuthFilter.isPublic(e.resource(), e.method());
            if (isPublic) marked.add(e.path());
            if (publicRoute(e.path()) && !isPublic) unmarked.add(e.toString());
        }
        assertEquals(Set.of("/channel/{connectionId}/webhook/{kind}", "/media/{id}", "/ping", "/sandbox/{connectionId}/{path: .*}",
                "/openapi", "/openapi/ui", "/openapi/ui/{file: .*}"), marked);
        assertEquals(Set.of(), unmarked, "public routes the filter would lock (providers could not reach them)");
    }

    @Test
    void theMediaUploadAndLookupAreAdminOnlyAndOnlyTheSignedLinkIsPublic() {
        Set<String> media = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            if (e.path().contains("media")) {
                media.add(e + (AdminAuthFilter.isPublic(e.resource(), e.method()) ? " public" : " admin"));
            }
        }
        assertEquals(Set.of("GET /api/media/{id} admin", "POST /api/media admin", "GET /media/{id} public",
                "HEAD /media/{id} public"), media);
    }

    @Test
    void theSandboxesAreTheProvidersAtSandboxAndTheAdminsAtApiSandbox() {
        Set<String> sandbox = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            if (e.path().contains("sandbox")) {
                sandbox.add(e + (AdminAuthFilter.isPublic(e.resource(), e.method()) ? " public" : " admin"));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String verb : List.of("GET", "POST", "PUT", "DELETE")) {
            expected.add(verb + " /sandbox/{connectionId}/{path: .*} public");
            expected.add(verb + " /api/sandbox/{connectionId}/{path: .*} admin");
        }
        assertEquals(expected, sandbox);
    }

    @Test
    void anUnknownOrUnmatchedResourceIsAdminOnly() throws Exception {
        class Unmarked {
            public void get() { }
        }
        assertTrue(!AdminAuthFilter.isPublic(null, null));
        assertTrue(!AdminAuthFilter.isPublic(Unmarked.class, null));
        assertTrue(!AdminAuthFilter.isPublic(Unmarked.class, Unmarked.class.getMethod("get")));
        assertTrue(AdminAuthFilter.class.isAnnotationPresent(jakarta.ws.rs.ext.Provider.class)
                && !AdminAuthFilter.class.isAnnotationPresent(jakarta.ws.rs.NameBinding.class),
                "a global filter, not name-bound: nothing can forget to bind it");
        assertTrue(new ParleyApplication().getClasses().contains(AdminAuthFilter.class));
    }
}
