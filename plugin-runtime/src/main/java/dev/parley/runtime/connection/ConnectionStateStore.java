package dev.parley.runtime.connection;

import dev.parley.runtime.secrets.SecretsCipher;
import dev.parley.runtime.secrets.SecretsKeys;
import dev.parley.spi.ConnectionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code connection_state} table behind every connection's {@link ConnectionStore}. Native SQL: a
 * key-value row needs no entity. Each call is its own transaction, so a connector's write survives a
 * failure of whatever it does next.
 */
@ApplicationScoped
public class ConnectionStateStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<String> get(String connectionId, String key) {
        List<?> rows = em.createNativeQuery("SELECT state_value FROM connection_state WHERE connection_id = ? AND state_key = ?")
                .setParameter(1, connectionId).setParameter(2, key).getResultList();
        return rows.stream().findFirst().map(String::valueOf);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void put(String connectionId, String key, String value) {
        if (value.length() > 4000) {
            throw new IllegalArgumentException("connection state '" + key + "' is longer than 4000 characters");
        }
        int updated = em.createNativeQuery("UPDATE connection_state SET state_value = ?, updated_at = ? "
                        + "WHERE connection_id = ? AND state_key = ?")
                .setParameter(1, value).setParameter(2, OffsetDateTime.now())
                .setParameter(3, connectionId).setParameter(4, key).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO connection_state (connection_id, state_key, state_value, updated_at) "
                            + "VALUES (?, ?, ?, ?)")
                    .setParameter(1, connectionId).setParameter(2, key).setParameter(3, value)
                    .setParameter(4, OffsetDateTime.now()).executeUpdate();
        }
    }

    /**
     * Inserts the row only if the key has none: true when this call inserted it. A concurrent insert of the same key
     * fails on the primary key (the caller reads that as false).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean insert(String connectionId, String key, String value) {
        if (value.length() > 4000) {
            throw new IllegalArgumentException("connection state '" + key + "' is longer than 4000 characters");
        }
        if (get(connectionId, key).isPresent()) return false;
        em.createNativeQuery("INSERT INTO connection_state (connection_id, state_key, state_value, updated_at) "
                        + "VALUES (?, ?, ?, ?)")
                .setParameter(1, connectionId).setParameter(2, key).setParameter(3, value)
                .setParameter(4, OffsetDateTime.now()).executeUpdate();
        em.flush();
        return true;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void remove(String connectionId, String key) {
        em.createNativeQuery("DELETE FROM connection_state WHERE connection_id = ? AND state_key = ?")
                .setParameter(1, connectionId).setParameter(2, key).executeUpdate();
    }

    /** Removes the row only while it still holds {@code expected} (nobody changed it meanwhile). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean remove(String connectionId, String key, String expected) {
        return em.createNativeQuery("DELETE FROM connection_state WHERE connection_id = ? AND state_key = ? AND state_value = ?")
                .setParameter(1, connectionId).setParameter(2, key).setParameter(3, expected).executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<String, String> all(String connectionId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object row : em.createNativeQuery("SELECT state_key, state_value FROM connection_state "
                + "WHERE connection_id = ? ORDER BY state_key").setParameter(1, connectionId).getResultList()) {
            Object[] r = (Object[]) row;
            String value = String.valueOf(r[1]);
            if (!SecretsCipher.isEnvelope(value)) {
                out.put(String.valueOf(r[0]), value);
            }
        }
        return out;
    }

    /** Replaces {@code expected} by {@code value} only if nobody changed the row meanwhile (another instance). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean replace(String connectionId, String key, String expected, String value) {
        return em.createNativeQuery("UPDATE connection_state SET state_value = ?, updated_at = ? "
                        + "WHERE connection_id = ? AND state_key = ? AND state_value = ?")
                .setParameter(1, value).setParameter(2, OffsetDateTime.now())
                .setParameter(3, connectionId).setParameter(4, key).setParameter(5, expected).executeUpdate() == 1;
    }

    /** Every sealed secret: connection id, key, stored value. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Object[]> secretRows() {
        List<Object[]> out = new java.util.ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT connection_id, state_key, state_value FROM connection_state "
                + "WHERE state_value LIKE ?").setParameter(1, SecretsCipher.PREFIX + "%").getResultList()) {
            out.add((Object[]) row);
        }
        return out;
    }

    /**
     * Rewrites every secret sealed with a previous key with the current one (key rotation); run at start-up. Safe
     * on N instances (compare-and-set). Answers how many were rewritten.
     */
    public int rewrapSecrets(SecretsCipher cipher) {
        int n = 0;
        for (Object[] r : secretRows()) {
            String id = String.valueOf(r[0]);
            String key = String.valueOf(r[1]);
            String stored = String.valueOf(r[2]);
            if (!cipher.needsRewrap(stored)) continue;
            Optional<String> plain = cipher.decrypt(stored, SecretStore.context(id, key));
            if (plain.isPresent() && replace(id, key, stored, cipher.encrypt(plain.get(), SecretStore.context(id, key)))) {
                n++;
            }
        }
        return n;
    }

    /** The store lent to one connection; secrets are sealed with {@code keys}, and a missing key is reported. */
    ConnectionStore forConnection(String connectionId, SecretsKeys keys, ConnectionLogService logs,
                                  java.util.function.Consumer<String> secretsUnavailable) {
        return new SecretStore(this, connectionId, keys, logs, secretsUnavailable);
    }
}
