package dev.parley.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdminAuthFilterTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsOnlyTheExactCredentials() {
        assertTrue(AdminAuthFilter.matches(basic("admin:s3cret"), "admin", "s3cret"));
        assertFalse(AdminAuthFilter.matches(basic("admin:s3cre"), "admin", "s3cret"));
        assertFalse(AdminAuthFilter.matches(basic("root:s3cret"), "admin", "s3cret"));
        assertFalse(AdminAuthFilter.matches(null, "admin", "s3cret"));
        assertFalse(AdminAuthFilter.matches("Bearer s3cret", "admin", "s3cret"));
    }
}
