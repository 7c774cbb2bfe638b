package dev.parley.runtime.connection;

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

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void remove(String connectionId, String key) {
        em.createNativeQuery("DELETE FROM connection_state WHERE connection_id = ? AND state_key = ?")
                .setParameter(1, connectionId).setParameter(2, key).executeUpdate();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<String, String> all(String connectionId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object row : em.createNativeQuery("SELECT state_key, state_value FROM connection_state "
                + "WHERE connection_id = ? ORDER BY state_key").setParameter(1, connectionId).getResultList()) {
            Object[] r = (Object[]) row;
            out.put(String.valueOf(r[0]), String.valueOf(r[1]));
        }
        return out;
    }

    /** The store lent to one connection. */
    ConnectionStore forConnection(String connectionId) {
        return new ConnectionStore() {
            @Override public Optional<String> get(String key) { return ConnectionStateStore.this.get(connectionId, key); }
            @Override
            public void put(String key, String value) {
                try {
                    ConnectionStateStore.this.put(connectionId, key, value);
                } catch (RuntimeException e) {
                    if (!dev.parley.runtime.persistence.SqlErrors.isConstraintViolation(e)) throw e;
                    // Another instance inserted the key between our UPDATE and INSERT: now it is an update.
                    ConnectionStateStore.this.put(connectionId, key, value);
                }
            }
            @Override public void remove(String key) { ConnectionStateStore.this.remove(connectionId, key); }
            @Override public Map<String, String> all() { return ConnectionStateStore.this.all(connectionId); }
        };
    }
}
