package dev.parley.runtime.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Entity ids, assigned in Java from blocks of {@link #BLOCK} taken from the database sequence
 * {@code parley_seq} (see V1__initial_schema.sql), so ids stay unique across all instances sharing the
 * database. Handing out an id is one atomic increment: EclipseLink's own sequencing takes a global lock
 * on every persist, which was the first bottleneck of the webhook benchmark.
 */
public final class Ids {

    /** Must equal the sequence's INCREMENT BY. */
    public static final int BLOCK = 1000;

    private static volatile DataSource source;
    private static volatile String nextValueSql;
    private static volatile Block block = new Block(0, 0);

    private Ids() {
    }

    /** Called once at start-up with a non-transactional datasource, so a block fetch never joins a caller's transaction. */
    public static synchronized void init(DataSource nonTransactional) {
        source = nonTransactional;
        try (Connection c = nonTransactional.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            nextValueSql = product.contains("postgres") ? "SELECT nextval('parley_seq')" : "VALUES NEXT VALUE FOR parley_seq";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to allocate ids: " + e.getMessage(), e);
        }
        block = new Block(0, 0);
    }

    public static long next() {
        while (true) {
            Block b = block;
            long id = b.next.getAndIncrement();
            if (id < b.end) {
                return id;
            }
            refill(b);
        }
    }

    private static synchronized void refill(Block exhausted) {
        if (block != exhausted) {
            return; // another thread already refilled
        }
        if (source == null) {
            throw new IllegalStateException("ids requested before Parley's start-up initialised them");
        }
        try (Connection c = source.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(nextValueSql)) {
            rs.next();
            long start = rs.getLong(1);
            block = new Block(start, start + BLOCK);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot allocate ids: " + e.getMessage(), e);
        }
    }

    private static final class Block {
        final AtomicLong next;
        final long end;

        Block(long start, long end) {
            this.next = new AtomicLong(start);
            this.end = end;
        }
    }
}
