package dev.parley.runtime.persistence;

import java.sql.SQLException;

/** Classifies database errors by SQLState, which H2 and PostgreSQL share for these cases. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * A unique or foreign-key constraint refused the write (class 23): another writer won a race. A NOT NULL
     * (23502) or CHECK (23514) violation is a bug in what was written, never a race, so retrying would loop.
     */
    public static boolean isConstraintViolation(Throwable t) {
        String state = sqlState(t);
        return state != null && state.startsWith("23") && !state.equals("23502") && !state.equals("23514");
    }

    /** Lock timeouts, deadlocks and serialization failures: retrying the transaction may succeed. */
    public static boolean isTransient(Throwable t) {
        String state = sqlState(t);
        return state != null && (state.startsWith("40") || state.equals("HYT00") || state.equals("55P03"));
    }

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
