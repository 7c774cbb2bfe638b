package dev.parley.runtime.connection;

import dev.parley.runtime.persistence.SqlErrors;
import dev.parley.runtime.secrets.SecretsCipher;
import dev.parley.runtime.secrets.SecretsKeys;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.PermanentException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One connection's {@link ConnectionStore} over {@code connection_state}. Secrets are sealed with AES-GCM
 * ({@link SecretsCipher}) and bound to their row; a value stored in clear by an older Parley, or with a previous
 * key, is rewritten with the current key the first time it is read.
 */
final class SecretStore implements ConnectionStore {

    private final ConnectionStateStore rows;
    private final String connectionId;
    private final SecretsKeys keys;
    private final ConnectionLogService logs;
    private final Consumer<String> secretsUnavailable;
    /** Keys whose unreadable secret was already logged: one line per key, not one per webhook. */
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

    SecretStore(ConnectionStateStore rows, String connectionId, SecretsKeys keys, ConnectionLogService logs,
                Consumer<String> secretsUnavailable) {
        this.rows = rows;
        this.connectionId = connectionId;
        this.keys = keys;
        this.logs = logs;
        this.secretsUnavailable = secretsUnavailable;
    }

    static String context(String connectionId, String key) {
        return "parley/connection_state/" + connectionId + "/" + key;
    }

    @Override
    public Optional<String> get(String key) {
        return rows.get(connectionId, key).filter(v -> !SecretsCipher.isEnvelope(v));
    }

    @Override
    public void put(String key, String value) {
        try {
            rows.put(connectionId, key, value);
        } catch (RuntimeException e) {
            if (!SqlErrors.isConstraintViolation(e)) throw e;
            // Another instance inserted the key between our UPDATE and INSERT: now it is an update.
            rows.put(connectionId, key, value);
        }
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        try {
            return rows.insert(connectionId, key, value);
        } catch (RuntimeException e) {
            if (SqlErrors.isConstraintViolation(e)) return false; // another instance inserted it first
            throw e;
        }
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return rows.replace(connectionId, key, expected, value);
    }

    @Override
    public void remove(String key) {
        rows.remove(connectionId, key);
    }

    @Override
    public boolean remove(String key, String expected) {
        return rows.remove(connectionId, key, expected);
    }

    @Override
    public Map<String, String> all() {
        return rows.all(connectionId);
    }

    @Override
    public void putSecret(String key, String value) {
        SecretsKeys.Result r = keys.get();
        if (r.cipher() == null) {
            String why = "cannot store secret '" + key + "': " + r.problem();
            secretsUnavailable.accept(why);
            throw new PermanentException(why);
        }
        put(key, r.cipher().encrypt(value, context(connectionId, key)));
        reported.remove(key);
    }

    @Override
    public Optional<String> secret(String key) {
        Optional<String> stored = rows.get(connectionId, key);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        String value = stored.get();
        SecretsCipher cipher = keys.get().cipher();
        if (!SecretsCipher.isEnvelope(value)) {
            // Stored in clear by a Parley before 0.2: seal it now if we can.
            if (cipher != null) {
                rows.replace(connectionId, key, value, cipher.encrypt(value, context(connectionId, key)));
            } else if (reported.putIfAbsent(key, Boolean.TRUE) == null) {
                logs.append(connectionId, "WARN", "secret '" + key + "' is stored unencrypted: " + keys.get().problem());
            }
            return Optional.of(value);
        }
        if (cipher == null) {
            report(key, "stored secret '" + key + "' cannot be read: " + keys.get().problem());
            return Optional.empty();
        }
        Optional<String> plain = cipher.decrypt(value, context(connectionId, key));
        if (plain.isEmpty()) {
            report(key, "stored secret '" + key + "' cannot be decrypted: it was written with key "
                    + SecretsCipher.keyIdOf(value).orElse("?") + ", which is neither " + SecretsKeys.KEY
                    + " (key " + cipher.currentKeyId() + ") nor in " + SecretsKeys.PREVIOUS_KEYS
                    + ", or it was altered; register the webhook again (POST /api/connections/" + connectionId + "/setup)");
            return Optional.empty();
        }
        if (cipher.needsRewrap(value)) {
            rows.replace(connectionId, key, value, cipher.encrypt(plain.get(), context(connectionId, key)));
        }
        return plain;
    }

    private void report(String key, String why) {
        if (reported.putIfAbsent(key, Boolean.TRUE) == null) {
            logs.append(connectionId, "ERROR", why);
        }
    }
}
