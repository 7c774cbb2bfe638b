package dev.parley.runtime.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.secrets.SecretsCipher;
import dev.parley.runtime.secrets.SecretsKeys;
import dev.parley.spi.PermanentException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretStoreTest {

    /** connection_state in a map. */
    static final class Rows extends ConnectionStateStore {
        final Map<String, String> values = new HashMap<>();
        @Override public Optional<String> get(String c, String k) { return Optional.ofNullable(values.get(c + "/" + k)); }
        @Override public void put(String c, String k, String v) { values.put(c + "/" + k, v); }
        @Override public void remove(String c, String k) { values.remove(c + "/" + k); }
        @Override public boolean replace(String c, String k, String expected, String v) {
            return values.replace(c + "/" + k, expected, v);
        }
    }

    static final class Logs extends ConnectionLogService {
        final List<String> lines = new ArrayList<>();
        @Override public void append(String connectionId, String severity, String text) { lines.add(severity + " " + text); }
    }

    static SecretsKeys keys(String key, String previous) {
        return new SecretsKeys() {
            @Override public Result get() { return load(key, null, previous); }
        };
    }

    private static final String KEY1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY2 = Base64.getEncoder().encodeToString("another-key-of-32-bytes-exactly!".getBytes());

    @Test
    void secretsAreSealedAtRestAndHiddenFromPlainReads() {
        Rows rows = new Rows();
        SecretStore store = new SecretStore(rows, "zd", keys(KEY1, null), new Logs(), why -> { });
        store.putSecret("webhook.signing-secret", "zd-signing-secret");
        String raw = rows.values.get("zd/webhook.signing-secret");
        assertTrue(raw.startsWith(SecretsCipher.PREFIX) && !raw.contains("zd-signing-secret"), raw);
        assertEquals(Optional.of("zd-signing-secret"), store.secret("webhook.signing-secret"));
        assertEquals(Optional.empty(), store.get("webhook.signing-secret"), "get() never hands out ciphertext");
        store.put("webhook.id", "01H");
        assertEquals(Optional.of("01H"), store.get("webhook.id"), "plain values stay plain");
    }

    @Test
    void withoutAKeyStoringASecretFailsNamingThePropertyAndReportsIt() {
        List<String> reported = new ArrayList<>();
        SecretStore store = new SecretStore(new Rows(), "zd", keys(null, null), new Logs(), reported::add);
        PermanentException e = assertThrows(PermanentException.class, () -> store.putSecret("s", "v"));
        assertTrue(e.getMessage().contains("parley.secrets.key"), e.getMessage());
        assertEquals(List.of(e.getMessage()), reported, "the connection is put in ERROR with the same reason");
    }

    @Test
    void clearValuesFromOlderVersionsAndPreviousKeysAreResealedOnRead() {
        Rows rows = new Rows();
        rows.put("zd", "legacy", "clear-secret");
        SecretStore old = new SecretStore(rows, "zd", keys(KEY1, null), new Logs(), why -> { });
        assertEquals(Optional.of("clear-secret"), old.secret("legacy"));
        String sealedWithKey1 = rows.values.get("zd/legacy");
        assertTrue(sealedWithKey1.startsWith(SecretsCipher.PREFIX), "resealed on first read");

        SecretStore rotated = new SecretStore(rows, "zd", keys(KEY2, KEY1), new Logs(), why -> { });
        assertEquals(Optional.of("clear-secret"), rotated.secret("legacy"), "the previous key still reads");
        assertFalse(rows.values.get("zd/legacy").equals(sealedWithKey1), "and the value is rewritten with the new key");
        SecretStore newOnly = new SecretStore(rows, "zd", keys(KEY2, null), new Logs(), why -> { });
        assertEquals(Optional.of("clear-secret"), newOnly.secret("legacy"));
    }

    @Test
    void aSecretNoConfiguredKeyOpensIsAbsentAndLoggedOnce() {
        Rows rows = new Rows();
        new SecretStore(rows, "zd", keys(KEY1, null), new Logs(), why -> { }).putSecret("s", "v");
        Logs logs = new Logs();
        SecretStore other = new SecretStore(rows, "zd", keys(KEY2, null), logs, why -> { });
        assertEquals(Optional.empty(), other.secret("s"), "fails closed: a signature check finds no secret");
        assertEquals(Optional.empty(), other.secret("s"));
        assertEquals(1, logs.lines.size(), logs.lines.toString());
        assertTrue(logs.lines.get(0).startsWith("ERROR") && logs.lines.get(0).contains("parley.secrets.previous-keys"));
        assertFalse(logs.lines.get(0).contains("v\""));
    }
}
