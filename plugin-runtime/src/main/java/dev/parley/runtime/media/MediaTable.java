package dev.parley.runtime.media;

import dev.parley.spi.StoredMedia;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link MediaRows} on Parley's JTA datasource, each call a short transaction of its own (a caller's transaction, if
 * any, waits aside: a copy never joins nor spoils it). The datasource is handed over at start-up, after the schema
 * migration ({@code ParleyStartup}), so a call from any thread finds it. Database errors surface as
 * {@link StoreFailed} with the SQLState only: no SQL, no values.
 */
@ApplicationScoped
public class MediaTable {

    private volatile DataSource dataSource;

    /** The store cannot be reached (Parley still starting, or the database refused). */
    static final class StoreFailed extends IllegalStateException {
        StoreFailed(String message) {
            super(message);
        }
    }

    public void use(DataSource ds) {
        this.dataSource = ds;
    }

    public boolean ready() {
        return dataSource != null;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean insert(String connectionId, StoredMedia media, byte[] content) {
        return run(c -> MediaRows.insert(c, connectionId, media, content));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<MediaRows.Row> byKey(String connectionId, String key) {
        return run(c -> MediaRows.byKey(c, connectionId, key));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<MediaRows.Row> byId(String id) {
        return run(c -> MediaRows.byId(c, id));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<byte[]> content(String id) {
        return run(c -> MediaRows.content(c, id));
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        DataSource ds = dataSource;
        if (ds == null) {
            throw new StoreFailed("the media store is not ready: Parley is starting");
        }
        try (Connection c = ds.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new StoreFailed("the media store's database refused the call (SQLState " + e.getSQLState() + ")");
        }
    }
}
