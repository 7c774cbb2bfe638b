package dev.parley.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.admin.AdminCredentials.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminAuthFilterTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clearPasswordAcceptsOnlyTheExactCredentials() {
        AdminCredentials.Matcher m = AdminCredentials.matcher("admin", "s3cret", null);
        assertEquals(Verdict.ADMIN, m.verify(basic("admin:s3cret")));
        assertEquals(Verdict.ADMIN, m.verify("basic " + basic("admin:s3cret").substring(6)), "scheme is case-insensitive");
        assertEquals(Verdict.WRONG, m.verify(basic("admin:s3cre")));
        assertEquals(Verdict.WRONG, m.verify(basic("root:s3cret")));
        assertEquals(Verdict.WRONG, m.verify("Basic !!!not-base64"));
        assertEquals(Verdict.MISSING, m.verify(null));
        assertEquals(Verdict.MISSING, m.verify("Bearer s3cret"));
    }

    @Test
    void hashedPasswordVerifiesAndRemembersOnlyTheCorrectHeader() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        AdminCredentials.Matcher m = AdminCredentials.matcher("admin", null, hash);
        assertEquals(Verdict.WRONG, m.verify(basic("admin:wrong horse")));
        assertEquals(Verdict.WRONG, m.verify(basic("root:correct horse")), "the user is checked too");
        assertEquals(Verdict.WRONG, m.verify(basic("admin-correct horse")), "no colon");
        long t0 = System.nanoTime();
        assertEquals(Verdict.ADMIN, m.verify(basic("admin:correct horse")));
        long first = System.nanoTime() - t0;
        t0 = System.nanoTime();
        assertEquals(Verdict.ADMIN, m.verify(basic("admin:correct horse")));
        long second = System.nanoTime() - t0;
        assertTrue(second * 10 < first, "the second check uses the remembered digest, not PBKDF2 again");
        assertEquals(Verdict.WRONG, m.verify(basic("admin:correct horsE")));
    }

    @Test
    void hashWinsOverClearPasswordAndNeitherMeansDisabled() {
        String hash = PasswordHash.hash("from-hash-1".toCharArray());
        AdminCredentials.Matcher m = AdminCredentials.matcher("admin", "from-clear", hash);
        assertEquals(Verdict.WRONG, m.verify(basic("admin:from-clear")));
        assertEquals(Verdict.ADMIN, m.verify(basic("admin:from-hash-1")));
        assertEquals(Verdict.DISABLED, AdminCredentials.matcher("admin", null, null).verify(basic("admin:x")));
        assertEquals(Verdict.DISABLED, AdminCredentials.matcher("admin", " ", "").verify(basic("admin: ")));
    }

    @Test
    void malformedHashFailsAtStartNamingTheProperty() {
        for (String bad : new String[] {"plain", "PBKDF2WithHmacSHA256:10:c2FsdHNhbHQ=:aGFzaGhhc2hoYXNoaGFzaA==",
                "MD5:1000:c2FsdHNhbHQ=:aGFzaGhhc2hoYXNoaGFzaA==", "PBKDF2WithHmacSHA256:x:y:z"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminCredentials.matcher("admin", null, bad));
            assertTrue(e.getMessage().contains("parley.admin.password-hash"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), "the value is not echoed");
        }
    }

    @Test
    void hashesHaveJakartaSecurityPbkdf2Format() throws Exception {
        String[] parts = PasswordHash.hash("some password".toCharArray()).split(":");
        assertEquals(4, parts.length);
        assertEquals("PBKDF2WithHmacSHA256", parts[0]);
        assertEquals(PasswordHash.ITERATIONS, Integer.parseInt(parts[1]));
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        // A hash made elsewhere in this format (Pbkdf2PasswordHash's default 2048 iterations, SHA-512) verifies too.
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        byte[] derived = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new javax.crypto.spec.PBEKeySpec("other pw".toCharArray(), salt, 2048, 512)).getEncoded();
        String other = "PBKDF2WithHmacSHA512:2048:" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derived);
        assertTrue(PasswordHash.verify("other pw".toCharArray(), other));
        assertFalse(PasswordHash.verify("other pW".toCharArray(), other));
    }

    @Test
    void clientAddressTrustsForwardedForOnlyFromConfiguredProxies() {
        Set<String> proxies = Set.of("10.0.0.1", "10.0.0.2");
        assertEquals("198.51.100.7", ClientAddress.of("198.51.100.7", "203.0.113.9", proxies), "untrusted peer: XFF ignored");
        assertEquals("203.0.113.9", ClientAddress.of("10.0.0.1", "203.0.113.9", proxies));
        assertEquals("203.0.113.9", ClientAddress.of("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", proxies),
                "right-most untrusted hop: what the client wrote further left can be forged");
        assertEquals("10.0.0.1", ClientAddress.of("10.0.0.1", " ", proxies));
        assertEquals("unknown", ClientAddress.of(null, null, proxies));
    }

    @Test
    void changesFromAnotherSiteAreRefusedEvenWithCredentials() {
        Set<String> own = Set.of("https://parley.example", "http://localhost:8080");
        assertTrue(AdminAuthFilter.crossSite("POST", "cross-site", null, own).contains("another site"));
        assertTrue(AdminAuthFilter.crossSite("DELETE", "same-site", null, own).contains("another site"));
        assertTrue(AdminAuthFilter.crossSite("POST", null, "https://evil.example", own).contains("another origin"));
        assertTrue(AdminAuthFilter.crossSite("PUT", null, "null", own).contains("another origin"), "a sandboxed page");
        assertTrue(AdminAuthFilter.crossSite("POST", null, "https://parley.example:8443", own).contains("another origin"));
        // This server's own pages, clients that are no browser, and reads.
        assertEquals(null, AdminAuthFilter.crossSite("POST", "same-origin", "https://parley.example", own));
        assertEquals(null, AdminAuthFilter.crossSite("POST", null, "https://PARLEY.example:443", own));
        assertEquals(null, AdminAuthFilter.crossSite("POST", "none", null, own));
        assertEquals(null, AdminAuthFilter.crossSite("POST", null, null, own), "curl sends neither header");
        assertEquals(null, AdminAuthFilter.crossSite("GET", "cross-site", "https://evil.example", own), "a read changes nothing");
    }
}
