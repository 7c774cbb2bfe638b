package dev.parley.runtime.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database to the schema this build expects (db/migration), before anything uses JPA. The scripts are
 * portable SQL for H2 2.x and PostgreSQL; where a type must differ, a script names a placeholder:
 * {@code ${binary}} is a large binary column, {@code BLOB} on H2 (kept apart from the row, so a row of megabytes
 * is not copied on every change of its page) and {@code BYTEA} on PostgreSQL.
 */
public final class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    private SchemaMigration() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(placeholders(postgres(dataSource)))
                .load();
        MigrateResult result = flyway.migrate();
        // targetSchemaVersion is null when nothing was applied (an up-to-date database): ask for the current one.
        String version = version(result, flyway.info().current());
        LOG.info(() -> "database schema at version " + version + " (" + result.migrationsExecuted
                + " migrations applied now)");
    }

    /** The schema's version after a migration: the one it reached, else the one the database already had. */
    static String version(MigrateResult result, MigrationInfo current) {
        if (result.targetSchemaVersion != null) return result.targetSchemaVersion;
        if (current != null && current.getVersion() != null) return current.getVersion().getVersion();
        return result.initialSchemaVersion != null ? result.initialSchemaVersion : "(empty)";
    }

    static Map<String, String> placeholders(boolean postgres) {
        return Map.of("binary", postgres ? "BYTEA" : "BLOB");
    }

    private static boolean postgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to migrate its schema: " + e.getMessage(), e);
        }
    }
}
