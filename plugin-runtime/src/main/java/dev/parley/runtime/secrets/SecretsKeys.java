package dev.parley.runtime.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The key that encrypts secrets at rest, from configuration: {@code parley.secrets.key} (Base64 of 32 random
 * bytes; MicroProfile Config may read it from a secrets directory or an environment variable) or
 * {@code parley.secrets.key-file} (a file holding that Base64 text, e.g. a mounted Kubernetes secret), and
 * {@code parley.secrets.previous-keys} (comma-separated Base64 keys, only read: rotation). Every instance of a
 * cluster must be given the same keys. Read once; a missing or malformed key is a reason, never a crash here:
 * whatever needs the key fails with that reason, which names the property.
 */
@ApplicationScoped
public class SecretsKeys {

    public static final String KEY = "parley.secrets.key";
    public static final String KEY_FILE = "parley.secrets.key-file";
    public static final String PREVIOUS_KEYS = "parley.secrets.previous-keys";

    @Inject
    Config config;

    private volatile Result result;

    /** The cipher, or the reason there is none (naming the property to set). */
    public record Result(SecretsCipher cipher, String problem) {
        public Optional<SecretsCipher> available() {
            return Optional.ofNullable(cipher);
        }
    }

    public Result get() {
        Result r = result;
        if (r == null) {
            r = load(config.getOptionalValue(KEY, String.class).orElse(null),
                    config.getOptionalValue(KEY_FILE, String.class).orElse(null),
                    config.getOptionalValue(PREVIOUS_KEYS, String.class).orElse(null));
            result = r;
        }
        return r;
    }

    public static Result load(String key, String keyFile, String previous) {
        String current = key;
        String source = KEY;
        if ((current == null || current.isBlank()) && keyFile != null && !keyFile.isBlank()) {
            source = KEY_FILE;
            try {
                current = Files.readString(Path.of(keyFile.strip()), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return new Result(null, KEY_FILE + " names a file that cannot be read (" + keyFile.strip() + ")");
            }
        }
        if (current == null || current.isBlank()) {
            return new Result(null, "no key to encrypt secrets with: set " + KEY
                    + " (Base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or " + KEY_FILE);
        }
        List<byte[]> olds = new ArrayList<>();
        if (previous != null) {
            for (String p : previous.split(",")) {
                if (p.isBlank()) continue;
                Optional<byte[]> k = decode(p);
                if (k.isEmpty()) {
                    return new Result(null, PREVIOUS_KEYS + " holds an entry that is not Base64 of 16, 24 or 32 bytes");
                }
                olds.add(k.get());
            }
        }
        Optional<byte[]> k = decode(current);
        if (k.isEmpty()) {
            return new Result(null, source + " is not Base64 of 16, 24 or 32 bytes (e.g. `openssl rand -base64 32`)");
        }
        return new Result(new SecretsCipher(k.get(), olds), null);
    }

    private static Optional<byte[]> decode(String base64) {
        try {
            byte[] b = Base64.getMimeDecoder().decode(base64.strip());
            return b.length == 16 || b.length == 24 || b.length == 32 ? Optional.of(b) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
