package dev.parley.runtime.persistence;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlErrorsTest {

    private static RuntimeException wrapped(String sqlState) {
        return new RuntimeException("persistence", new SQLException("db", sqlState));
    }

    @Test
    void aLostRaceIsAConstraintViolationWorthRetrying() {
        assertTrue(SqlErrors.isConstraintViolation(wrapped("23505")), "unique");
        assertTrue(SqlErrors.isConstraintViolation(wrapped("23503")), "foreign key");
    }

    @Test
    void aMissingValueIsABugNotARace() {
        // Found in-server: a bot's handoff without a sentiment hit NOT NULL and was retried forever.
        assertFalse(SqlErrors.isConstraintViolation(wrapped("23502")), "not null");
        assertFalse(SqlErrors.isConstraintViolation(wrapped("23514")), "check");
        assertFalse(SqlErrors.isConstraintViolation(new RuntimeException("no SQL state")));
    }
}
