package dev.parley.runtime.admin;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The admin's HTTP Basic credentials: {@code parley.admin.user} with {@code parley.admin.password-hash} (PBKDF2,
 * preferred) or {@code parley.admin.password}. Neither set: every admin call is refused (fail closed).
 */
@ApplicationScoped
public class AdminCredentials {

    private static final Logger LOG = Logger.getLogger(AdminCredentials.class.getName());

    /** What a request's {@code Authorization} header amounts to. */
    public enum Verdict { ADMIN, WRONG, MISSING, DISABLED }

    @Inject
    @ConfigProperty(name = "parley.admin.user")
    String user;
    @Inject
    @ConfigProperty(name = "parley.admin.password")
    Optional<String> password;
    @Inject
    @ConfigProperty(name = "parley.admin.password-hash")
    Optional<String> passwordHash;

    private Matcher matcher;

    @PostConstruct
    void init() {
        matcher = matcher(user, password.orElse(null), passwordHash.orElse(null));
    }

    public Verdict verify(String authorization) {
        return matcher.verify(authorization);
    }

    /** Builds the matcher; a malformed hash fails here, at start-up, with a reason that names the property. */
    static Matcher matcher(String user, String password, String hash) {
        boolean hasHash = hash != null && !hash.isBlank();
        boolean hasPassword = password != null && !password.isBlank();
        if (hasHash) {
            PasswordHash.validate(hash);
            if (hasPassword) {
                LOG.warning("both parley.admin.password-hash and parley.admin.password are set: the hash is used");
            }
        }
        return new Matcher(user, hasHash ? null : hasPassword ? password : null, hasHash ? hash.strip() : null);
    }

    /**
     * Compares in constant time over digests, so neither content nor length leaks through timing. With a hash,
     * the PBKDF2 cost (about a second) is paid once per distinct correct header: its digest is remembered.
     */
    static final class Matcher {
        private final String user;
        private final byte[] expectedDigest;
        private final String hash;
        private volatile byte[] verifiedDigest;

        Matcher(String user, String password, String hash) {
            this.user = user;
            this.hash = hash;
            this.expectedDigest = password == null ? null
                    : sha256("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        Verdict verify(String authorization) {
            if (expectedDigest == null && hash == null) {
                return Verdict.DISABLED;
            }
            if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return Verdict.MISSING;
            }
            String header = "Basic " + authorization.substring(6).strip();
            byte[] digest = sha256(header);
            if (expectedDigest != null) {
                return MessageDigest.isEqual(digest, expectedDigest) ? Verdict.ADMIN : Verdict.WRONG;
            }
            byte[] known = verifiedDigest;
            if (known != null && MessageDigest.isEqual(digest, known)) {
                return Verdict.ADMIN;
            }
            if (checkHash(header.substring(6))) {
                verifiedDigest = digest;
                return Verdict.ADMIN;
            }
            return Verdict.WRONG;
        }

        private boolean checkHash(String base64) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                return false;
            }
            CharBuffer buffer = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(decoded));
            char[] chars = Arrays.copyOf(buffer.array(), buffer.limit());
            Arrays.fill(buffer.array(), '\0');
            Arrays.fill(decoded, (byte) 0);
            try {
                int colon = indexOf(chars, ':');
                if (colon < 0) {
                    return false;
                }
                // Both parts are always checked, so a wrong user costs the same time as a wrong password.
                boolean userOk = MessageDigest.isEqual(sha256(CharBuffer.wrap(chars, 0, colon).toString()), sha256(user));
                char[] given = Arrays.copyOfRange(chars, colon + 1, chars.length);
                boolean passwordOk = PasswordHash.verify(given, hash);
                Arrays.fill(given, '\0');
                return userOk && passwordOk;
            } finally {
                Arrays.fill(chars, '\0');
            }
        }

        private static int indexOf(char[] chars, char c) {
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] == c) return i;
            }
            return -1;
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
