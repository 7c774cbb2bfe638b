package dev.parley.runtime.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of secrets Parley keeps in its database (AES-256-GCM from the JDK). A stored value is
 * {@code enc:v1:<key id>:<base64(nonce | ciphertext | tag)>}: the key id (first 8 hex digits of the key's
 * SHA-256) says which key wrote it, so after a rotation values written with a previous key still open, and
 * {@link #needsRewrap} finds them. The associated data binds a value to its row (connection and key), so a value
 * copied to another row does not decrypt. Never logs or echoes a value.
 */
public final class SecretsCipher {

    public static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /** {@code current} writes and reads; {@code previous} only read. Each is 16, 24 or 32 raw key bytes. */
    public SecretsCipher(byte[] current, List<byte[]> previous) {
        currentId = add(current);
        previous.forEach(this::add);
    }

    private String add(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("an AES key has 16, 24 or 32 bytes, not " + key.length);
        }
        String id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    public static boolean isEnvelope(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public String currentKeyId() {
        return currentId;
    }

    public String encrypt(String plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM");
        }
    }

    /**
     * The plain value, or empty when no configured key wrote it or it was altered or moved (GCM's tag fails).
     * Never throws for bad input: a caller treats "cannot open" like "not there", which fails closed.
     */
    public Optional<String> decrypt(String stored, String context) {
        if (!isEnvelope(stored)) {
            return Optional.empty();
        }
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        SecretKeySpec key = keys.get(rest.substring(0, colon));
        if (key == null) {
            return Optional.empty();
        }
        try {
            byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Keys for another purpose, derived from the configured keys so that one secret serves (and rotates) them all:
     * HMAC-SHA256(key, {@code label}) of the current key first, then of each previous key. Different labels give
     * unrelated keys, and a derived key does not reveal the key it came from.
     */
    public List<byte[]> derivedKeys(String label) {
        List<byte[]> out = new java.util.ArrayList<>();
        for (SecretKeySpec key : keys.values()) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                out.add(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available in this JVM");
            }
        }
        return out;
    }

    /** True for a value written with a previous key (or not encrypted at all): rewrite it with the current one. */
    public boolean needsRewrap(String stored) {
        return !isEnvelope(stored) || !stored.startsWith(PREFIX + currentId + ":");
    }

    /** Which key wrote {@code stored}, for messages ("written with key 1a2b3c4d, which is not configured"). */
    public static Optional<String> keyIdOf(String stored) {
        if (!isEnvelope(stored)) return Optional.empty();
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(rest.substring(0, colon));
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
