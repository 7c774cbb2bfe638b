package dev.parley.infobip.webhook;

import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Authenticates Infobip's webhook calls, fail-closed and in constant time.
 *
 * <p>Accepted: {@code Authorization: Basic base64(username:password)}; for delivery and click reports
 * also a {@code token} query parameter, an HMAC of the connection id and kind keyed with the webhook
 * password, because Infobip posts those reports to the URL given in the send request and may not send
 * Basic credentials there. Comparisons are over SHA-256 digests so neither content nor length leaks.
 */
public final class WebhookAuth {

    /** Webhook kinds whose URL Parley hands to Infobip per message, and that therefore carry a token. */
    public static final Set<String> TOKEN_KINDS = Set.of("dlr", "click");

    private static final String UNAUTHORIZED = "missing or wrong webhook credentials";

    private final boolean enabled;
    private final byte[] basicDigest;
    private final Map<String, byte[]> tokenDigests;

    private WebhookAuth(boolean enabled, byte[] basicDigest, Map<String, byte[]> tokenDigests) {
        this.enabled = enabled;
        this.basicDigest = basicDigest;
        this.tokenDigests = tokenDigests;
    }

    /** Checks Basic credentials (and tokens for {@link #TOKEN_KINDS}). */
    public static WebhookAuth basic(String username, String password, String connectionId) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("webhook password is required for basic webhook auth");
        }
        byte[] basic = sha256((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> tokens = Map.of(
                "dlr", sha256(token(password, connectionId, "dlr").getBytes(StandardCharsets.US_ASCII)),
                "click", sha256(token(password, connectionId, "click").getBytes(StandardCharsets.US_ASCII)));
        return new WebhookAuth(true, basic, tokens);
    }

    /** Accepts every request: webhook-auth=none. */
    public static WebhookAuth none() {
        return new WebhookAuth(false, null, Map.of());
    }

    /** True unless webhook-auth=none. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The token for a webhook kind: base64url without padding of
     * HMAC-SHA256(key = password, data = "parley:" + connectionId + ":" + kind).
     */
    public static String token(String password, String connectionId, String kind) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal(("parley:" + connectionId + ":" + kind).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Lets the request through or throws.
     *
     * @throws WebhookRejectedException 401 without saying which part was wrong
     */
    public void check(WebhookRequest request) {
        if (!enabled) return;
        // Evaluate both checks every time (non-short-circuit) so timing does not tell which one failed.
        boolean basicOk = MessageDigest.isEqual(basicDigest, sha256(basicCredentials(request)));
        byte[] expectedToken = request.kind() == null ? null : tokenDigests.get(request.kind());
        String token = request.queryParam("token").orElse("");
        boolean tokenOk = expectedToken != null
                & MessageDigest.isEqual(expectedToken == null ? basicDigest : expectedToken,
                        sha256(token.getBytes(StandardCharsets.UTF_8)));
        if (!(basicOk | tokenOk)) {
            throw WebhookRejectedException.unauthorized(UNAUTHORIZED);
        }
    }

    /** The decoded {@code user:password} bytes of a Basic header, or empty (never matches) when absent or malformed. */
    private static byte[] basicCredentials(WebhookRequest request) {
        String header = request.header("Authorization").orElse("").trim();
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return new byte[0];
        try {
            return Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
