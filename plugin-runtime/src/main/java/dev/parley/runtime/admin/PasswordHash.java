package dev.parley.runtime.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2 password hashes for {@code parley.admin.password-hash}, in the format of Jakarta Security's
 * {@code Pbkdf2PasswordHash} ({@code <algorithm>:<iterations>:<base64 salt>:<base64 hash>}), so a hash made by
 * either verifies in the other. Computed with the JDK's {@code SecretKeyFactory}: the CLI below runs with no
 * server and no extra jar.
 *
 * <pre>
 * java -cp plugin-runtime-*.jar dev.parley.runtime.admin.PasswordHash     (reads the password from the console)
 * </pre>
 */
public final class PasswordHash {

    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 floor for PBKDF2-HMAC-SHA256 is 600,000; each admin login pays it once (then cached). */
    static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MIN_ITERATIONS = 1_000;

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return String.join(":", ALGORITHM, String.valueOf(ITERATIONS),
                Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(derive(ALGORITHM, password, salt, ITERATIONS, HASH_BYTES)));
    }

    /** Checks a stored hash's shape without the password; the reason names what is wrong, never the value. */
    public static void validate(String stored) {
        parse(stored);
    }

    /** True when {@code password} matches {@code stored}; compared in constant time. */
    public static boolean verify(char[] password, String stored) {
        Parsed p = parse(stored);
        byte[] actual = derive(p.algorithm, password, p.salt, p.iterations, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    private record Parsed(String algorithm, int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        String[] parts = stored == null ? new String[0] : stored.strip().split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("parley.admin.password-hash must be <algorithm>:<iterations>:<salt>:<hash>"
                    + " as printed by dev.parley.runtime.admin.PasswordHash");
        }
        if (!parts[0].startsWith("PBKDF2WithHmacSHA")) {
            throw new IllegalArgumentException("parley.admin.password-hash: unsupported algorithm (use PBKDF2WithHmacSHA256)");
        }
        int iterations;
        byte[] salt;
        byte[] hash;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parley.admin.password-hash: iterations must be a number and salt and hash Base64");
        }
        if (iterations < MIN_ITERATIONS || salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("parley.admin.password-hash is too weak (at least " + MIN_ITERATIONS
                    + " iterations, an 8-byte salt and a 16-byte hash)");
        }
        return new Parsed(parts[0], iterations, salt, hash);
    }

    private static byte[] derive(String algorithm, char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("parley.admin.password-hash: this JVM has no " + algorithm);
        } finally {
            spec.clearPassword();
        }
    }

    /** Prints the hash of a password read from the console (or one line of standard input), never from argv. */
    public static void main(String[] args) throws IOException {
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Admin password: ");
            char[] again = console.readPassword("Again: ");
            if (!Arrays.equals(password, again)) {
                System.err.println("The two passwords differ.");
                System.exit(2);
            }
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length < 8) {
            System.err.println("Use at least 8 characters.");
            System.exit(2);
        }
        System.out.println(hash(password));
        Arrays.fill(password, '\0');
    }
}
