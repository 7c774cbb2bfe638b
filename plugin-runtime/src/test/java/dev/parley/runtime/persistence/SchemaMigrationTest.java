package dev.parley.runtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {

    @Test
    void aLargeBinaryIsABlobOnH2AndByteaOnPostgres() {
        assertEquals(Map.of("binary", "BLOB"), SchemaMigration.placeholders(false));
        assertEquals(Map.of("binary", "BYTEA"), SchemaMigration.placeholders(true));
    }
}
