package dev.parley.runtime.media;

import static dev.parley.runtime.media.MediaLinks.Verdict.BAD_SIGNATURE;
import static dev.parley.runtime.media.MediaLinks.Verdict.EXPIRED;
import static dev.parley.runtime.media.MediaLinks.Verdict.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.secrets.SecretsKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MediaLinksTest {

    static final String KEY = "aXQtc2VjcmV0cy1rZXktMzItYnl0ZXMtbG9uZy0hISE=";
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("another-secrets-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII));
    static final URI BASE = URI.create("https://parley.example.com");
    static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final Instant EXPIRES = NOW.plusSeconds(3600);

    static MediaLinks links(String key, String previous) {
        return new MediaLinks(SecretsKeys.load(key, null, previous).cipher().derivedKeys(MediaLinks.LABEL));
    }

    static Map<String, String> query(URI link) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String p : link.getRawQuery().split("&")) {
            String[] kv = p.split("=", 2);
            q.put(kv[0], kv[1]);
        }
        return q;
    }

    @Test
    void aLinkIsTheDocumentedHmacOfIdAndExpiryUnderTheDerivedKey() throws Exception {
        URI link = links(KEY, null).link(BASE, ID, EXPIRES);
        assertEquals("/media/" + ID, link.getPath());
        assertEquals("parley.example.com", link.getHost());
        Map<String, String> q = query(link);
        assertEquals(List.of("expires", "sig"), List.copyOf(q.keySet()));
        assertEquals(Long.toString(EXPIRES.getEpochSecond()), q.get("expires"));

        // Recomputed here from the README's description alone: HMAC-SHA256(HMAC-SHA256(secrets key, label), id \n expires).
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
        byte[] signingKey = mac.doFinal("parley media links v1".getBytes(StandardCharsets.UTF_8));
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal((ID + "\n" + EXPIRES.getEpochSecond()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, q.get("sig"));
        assertTrue(q.get("sig").matches("[A-Za-z0-9_-]{43}"), "base64url without padding: " + q.get("sig"));
    }

    @Test
    void theLinkVerifiesUntilItExpires() {
        MediaLinks l = links(KEY, null);
        Map<String, String> q = query(l.link(BASE, ID, EXPIRES));
        assertEquals(VALID, l.verify(ID, q.get("expires"), q.get("sig"), NOW));
        assertEquals(VALID, l.verify(ID, q.get("expires"), q.get("sig"), EXPIRES.minusSeconds(1)));
        assertEquals(EXPIRED, l.verify(ID, q.get("expires"), q.get("sig"), EXPIRES));
        assertEquals(EXPIRED, l.verify(ID, q.get("expires"), q.get("sig"), EXPIRES.plusSeconds(86400)));
    }

    @Test
    void tamperingWithTheIdTheExpiryOrTheSignatureIsRefused() {
        MediaLinks l = links(KEY, null);
        Map<String, String> q = query(l.link(BASE, ID, EXPIRES));
        String sig = q.get("sig");
        String expires = q.get("expires");
        assertEquals(BAD_SIGNATURE, l.verify(ID.replace('0', '1'), expires, sig, NOW), "another id");
        assertEquals(BAD_SIGNATURE, l.verify(ID + "x", expires, sig, NOW), "a longer id");
        assertEquals(BAD_SIGNATURE, l.verify(ID, Long.toString(EXPIRES.getEpochSecond() + 1), sig, NOW), "a later expiry");
        assertEquals(BAD_SIGNATURE, l.verify(ID, "0" + expires, sig, NOW), "the same expiry spelled otherwise");
        char last = sig.charAt(sig.length() - 1);
        assertEquals(BAD_SIGNATURE, l.verify(ID, expires, sig.substring(0, sig.length() - 1) + (last == 'A' ? 'B' : 'A'), NOW));
        assertEquals(BAD_SIGNATURE, l.verify(ID, expires, sig + "=", NOW), "padded");
        assertEquals(BAD_SIGNATURE, l.verify(ID, expires, sig.substring(1), NOW), "cut");
        // A tampered expiry in the past is refused as a bad signature, not as expired: only signed links learn that.
        assertEquals(BAD_SIGNATURE, l.verify(ID, "1", sig, NOW));
    }

    @Test
    void missingOrMalformedParametersAreABadSignatureNeverAnError() {
        MediaLinks l = links(KEY, null);
        Map<String, String> q = query(l.link(BASE, ID, EXPIRES));
        assertEquals(BAD_SIGNATURE, l.verify(ID, null, q.get("sig"), NOW));
        assertEquals(BAD_SIGNATURE, l.verify(ID, q.get("expires"), null, NOW));
        assertEquals(BAD_SIGNATURE, l.verify(null, q.get("expires"), q.get("sig"), NOW));
        for (String expires : new String[] {"", "-5", "1e9", "12345678901234567890", " 1", "soon"}) {
            assertEquals(BAD_SIGNATURE, l.verify(ID, expires, q.get("sig"), NOW), expires);
        }
        assertEquals(BAD_SIGNATURE, l.verify(ID, q.get("expires"), "x".repeat(10_000), NOW));
        assertEquals(BAD_SIGNATURE, l.verify(ID, q.get("expires"), "", NOW));
    }

    @Test
    void aLinkSignedWithAnotherKeyIsRefusedAndAPreviousKeyStillOpensItsLinks() {
        Map<String, String> byOther = query(links(OTHER_KEY, null).link(BASE, ID, EXPIRES));
        assertEquals(BAD_SIGNATURE, links(KEY, null).verify(ID, byOther.get("expires"), byOther.get("sig"), NOW));
        // Rotation: the new key signs, the previous one (parley.secrets.previous-keys) is still accepted...
        MediaLinks rotated = links(KEY, OTHER_KEY);
        assertEquals(VALID, rotated.verify(ID, byOther.get("expires"), byOther.get("sig"), NOW));
        // ... and new links are signed with the current key.
        assertEquals(query(links(KEY, null).link(BASE, ID, EXPIRES)).get("sig"), query(rotated.link(BASE, ID, EXPIRES)).get("sig"));
        assertNotEquals(byOther.get("sig"), query(rotated.link(BASE, ID, EXPIRES)).get("sig"));
    }
}
