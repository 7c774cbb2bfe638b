package dev.parley.runtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {

    @Test
    void aLargeBinaryIsABlobOnH2AndByteaOnPostgres() {
        assertEquals(Map.of("binary", "BLOB"), SchemaMigration.placeholders(false));
        assertEquals(Map.of("binary", "BYTEA"), SchemaMigration.placeholders(true));
    }

    @Test
    void theStartUpLineNamesTheVersionAlsoWhenNothingIsLeftToApply() {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:schema-version-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        List<String> lines = new ArrayList<>();
        Logger log = Logger.getLogger(SchemaMigration.class.getName());
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { lines.add(r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        log.addHandler(capture);
        try {
            SchemaMigration.migrate(db);
            SchemaMigration.migrate(db);
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(2, lines.size(), lines.toString());
        String first = lines.get(0).replaceAll(" \\(.*", "");
        assertTrue(first.matches("database schema at version \\d+"), lines.toString());
        assertEquals(first + " (0 migrations applied now)", lines.get(1), "a restart on an up-to-date database");
    }
}
