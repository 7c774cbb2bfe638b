package dev.parley.runtime.media;

import dev.parley.spi.StoredMedia;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code stored_media} table (V7) in plain JDBC on a connection the caller owns (and commits): the same
 * statements run in the server and, on H2, in the unit tests. "Stored once per connection and key" is decided by
 * the table's unique key: {@code INSERT ... ON CONFLICT DO NOTHING} on PostgreSQL (which also waits out a
 * concurrent insert of the same key, and never aborts the transaction), a plain insert on H2 whose duplicate-key
 * error (SQLState 23505) means the same.
 */
final class MediaRows {

    private static final String COLUMNS = "id, connection_id, media_key, content_type, file_name, size_bytes, sha256, created_at";

    /** A stored copy and the connection that stored it. */
    record Row(String connectionId, StoredMedia media) {
    }

    private MediaRows() {
    }

    /**
     * Inserts a copy unless this connection already stored one under the key. Answers whether this call stored it.
     */
    static boolean insert(Connection c, String connectionId, StoredMedia m, byte[] content) throws SQLException {
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        String sql = "INSERT INTO stored_media (id, connection_id, key_hash, media_key, content_type, file_name, size_bytes, "
                + "sha256, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + (postgres ? " ON CONFLICT (connection_id, key_hash) DO NOTHING" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, m.id());
            ps.setString(2, connectionId);
            ps.setString(3, MediaService.sha256(m.key()));
            ps.setString(4, m.key());
            ps.setString(5, m.contentType());
            ps.setString(6, m.fileName());
            ps.setLong(7, m.sizeBytes());
            ps.setString(8, m.sha256());
            ps.setBytes(9, content);
            ps.setObject(10, OffsetDateTime.ofInstant(m.createdAt(), ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false; // H2: another writer stored this key first
            }
            throw e;
        }
    }

    /** The copy a connection stored under a key (without its content). */
    static Optional<Row> byKey(Connection c, String connectionId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM stored_media "
                + "WHERE connection_id = ? AND key_hash = ? AND media_key = ?")) {
            ps.setString(1, connectionId);
            ps.setString(2, MediaService.sha256(key));
            ps.setString(3, key);
            return one(ps);
        }
    }

    /** A copy by its id (without its content). */
    static Optional<Row> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM stored_media WHERE id = ?")) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    /** A copy's bytes by its id. */
    static Optional<byte[]> content(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT content FROM stored_media WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Row> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            StoredMedia m = new StoredMedia(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getLong(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant());
            return Optional.of(new Row(rs.getString(2), m));
        }
    }
}
