package dev.parley.runtime.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring links to stored media: {@code <public-url>/media/<id>?expires=<epoch seconds>&sig=<signature>},
 * where the signature is base64url (no padding) of HMAC-SHA256(key, {@code id + "\n" + expires}). The key is
 * derived from the secrets key ({@link #LABEL}), so every instance of a cluster signs and checks alike. Links are
 * signed with the first key and checked against every key (the previous secrets keys during a rotation), in
 * constant time. Nothing about a link is stored.
 */
final class MediaLinks {

    /** The derivation label: HMAC-SHA256(secrets key, LABEL) is the signing key. A new scheme gets a new label. */
    static final String LABEL = "parley media links v1";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** What a link's parameters say. */
    enum Verdict { VALID, BAD_SIGNATURE, EXPIRED }

    private final List<SecretKeySpec> keys;

    /** {@code keys}: the signing key first, then keys whose links are still accepted. At least one. */
    MediaLinks(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key to sign media links with");
        }
        this.keys = keys.stream().map(k -> new SecretKeySpec(k, "HmacSHA256")).toList();
    }

    /** The signed link to {@code id} on the server at {@code publicUrl} (no trailing slash), valid until {@code expires}. */
    URI link(URI publicUrl, String id, Instant expires) {
        long at = expires.getEpochSecond();
        return URI.create(publicUrl + "/media/" + id + "?expires=" + at + "&sig=" + signature(keys.get(0), id, Long.toString(at)));
    }

    /**
     * Checks a link's parameters as they came (either may be null or malformed). The signature is checked first, so
     * only a link this server signed can learn that it expired.
     */
    Verdict verify(String id, String expires, String sig, Instant now) {
        if (id == null || expires == null || sig == null || !expires.matches("[0-9]{1,18}") || sig.length() > 100) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] given = sig.getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (SecretKeySpec key : keys) {
            // Every key is tried (no early exit), and each comparison takes the same time whatever matches. The
            // expiry is signed as it is written, so "0123" is not "123".
            valid |= MessageDigest.isEqual(signature(key, id, expires).getBytes(StandardCharsets.US_ASCII), given);
        }
        if (!valid) {
            return Verdict.BAD_SIGNATURE;
        }
        return now.getEpochSecond() >= Long.parseLong(expires) ? Verdict.EXPIRED : Verdict.VALID;
    }

    private static String signature(SecretKeySpec key, String id, String expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64URL.encodeToString(mac.doFinal((id + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM");
        }
    }
}
