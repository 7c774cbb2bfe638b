package dev.parley.runtime.persistence;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The few statements that differ between the databases Parley runs on (H2 by default, PostgreSQL in production),
 * chosen by {@code parley.datasource.url}.
 */
public final class SqlDialect {

    private static volatile Boolean postgres;

    private SqlDialect() {
    }

    public static boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            p = ConfigProvider.getConfig().getOptionalValue("parley.datasource.url", String.class)
                    .orElse(ConfiguredDataSource.DEFAULT_URL).startsWith("jdbc:postgresql:");
            postgres = p;
        }
        return p;
    }

    /**
     * {@code INSERT INTO table (columns) VALUES (?...)} that inserts nothing, without an error, when a row with the
     * same {@code uniqueColumns} exists: an expected duplicate must not abort the transaction (PostgreSQL then
     * refuses every later statement of it) nor log a stack trace. PostgreSQL: {@code ON CONFLICT DO NOTHING}, which
     * also waits out a concurrent insert of the same key. H2: an insert guarded by {@code NOT EXISTS}; two truly
     * concurrent inserts of one key can still clash there, and callers treat that clash as a duplicate too.
     * The bind parameters are the column values, then (H2 only) the unique columns' values again.
     */
    public static String insertUnlessPresent(String table, String[] columns, String[] uniqueColumns) {
        String cols = String.join(", ", columns);
        String marks = String.join(", ", java.util.Collections.nCopies(columns.length, "?"));
        if (postgres()) {
            return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
                    + String.join(", ", uniqueColumns) + ") DO NOTHING";
        }
        StringBuilder where = new StringBuilder();
        for (String u : uniqueColumns) {
            where.append(where.length() == 0 ? "" : " AND ").append(u).append(" = ?");
        }
        return "INSERT INTO " + table + " (" + cols + ") SELECT " + marks + " FROM (VALUES (0)) one WHERE NOT EXISTS "
                + "(SELECT 1 FROM " + table + " WHERE " + where + ")";
    }

    /**
     * One statement that adds to a numeric column of one row and answers the new value (no separate read after the
     * update, under the row lock the update takes): {@code UPDATE … RETURNING} on PostgreSQL, a data change delta
     * table ({@code FINAL TABLE}) on H2. Bind the amount, then the row's id; no row answers an empty result.
     */
    public static String addAndGet(String table, String column) {
        String update = "UPDATE " + table + " SET " + column + " = " + column + " + ? WHERE id = ?";
        return postgres() ? update + " RETURNING " + column : "SELECT " + column + " FROM FINAL TABLE (" + update + ")";
    }
}
