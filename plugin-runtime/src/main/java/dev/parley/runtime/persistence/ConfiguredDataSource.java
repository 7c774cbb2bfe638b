package dev.parley.runtime.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The physical connection source behind Parley's pooled JTA datasource (see parley-war's web.xml).
 * It reads {@code parley.datasource.url}, {@code .user} and {@code .password} from MicroProfile Config
 * when the pool opens a connection, so the database is chosen by ordinary config (defaults in the
 * runtime jar, overrides by system property or env var) in both the WAR and the EAR. Payara's deploy-time
 * {@code ${MPCONFIG=...}} substitution cannot see the application's own config files.
 * The JDBC driver is found by {@link DriverManager}: H2 ships with Payara; others go on the server's
 * class path ({@code --addLibs} on Payara Micro, {@code domain/lib} on Payara Server).
 */
public class ConfiguredDataSource implements DataSource {

    /**
     * Defaults live here, not in microprofile-config.properties: on Payara Server the pool may open its
     * first connection before the application's config file is visible, and an H2 file database keeps the
     * credentials of the connection that created it.
     */
    // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed process loses nothing it
    // acknowledged (H2's default delay lost a committed outbox entry in OutboxRecoveryIT).
    static final String DEFAULT_URL = "jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    static final String DEFAULT_USER = "parley";
    static final String DEFAULT_PASSWORD = "parley";

    private PrintWriter logWriter;
    private int loginTimeout;

    private static Config config() {
        return ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader());
    }

    @Override
    public Connection getConnection() throws SQLException {
        Config c = config();
        return DriverManager.getConnection(c.getOptionalValue("parley.datasource.url", String.class).orElse(DEFAULT_URL),
                c.getOptionalValue("parley.datasource.user", String.class).orElse(DEFAULT_USER),
                c.getOptionalValue("parley.datasource.password", String.class).orElse(DEFAULT_PASSWORD));
    }

    /**
     * The credentials always come from {@code parley.datasource.*}: after a Payara Server restart the pool
     * calls this with its own defaults (seen: "Wrong user name or password" from H2), not with ours.
     */
    @Override
    public Connection getConnection(String ignoredUser, String ignoredPassword) throws SQLException {
        return getConnection();
    }

    @Override public PrintWriter getLogWriter() { return logWriter; }
    @Override public void setLogWriter(PrintWriter out) { this.logWriter = out; }
    @Override public void setLoginTimeout(int seconds) { this.loginTimeout = seconds; }
    @Override public int getLoginTimeout() { return loginTimeout; }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("not a wrapper of " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
