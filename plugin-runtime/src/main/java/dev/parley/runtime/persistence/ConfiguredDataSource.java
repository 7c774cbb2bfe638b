package dev.parley.runtime.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
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
 * The JDBC driver is found by {@link DriverManager} first (H2 ships with Payara; drivers put on the server's
 * class path with {@code --addLibs} or into {@code domain/lib}). A driver that ships inside the deliverable
 * (PostgreSQL's, in the WAR's {@code WEB-INF/lib} or the EAR's {@code lib/}) is invisible to DriverManager,
 * which only scanned the server's class path when it started ("No suitable driver found"): it is then taken
 * from this class's own class loader with {@link ServiceLoader} and asked directly.
 */
public class ConfiguredDataSource implements DataSource {

    /**
     * Defaults live here, not in microprofile-config.properties: on Payara Server the pool may open its
     * first connection before the application's config file is visible, and an H2 file database keeps the
     * credentials of the connection that created it.
     */
    // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed process loses nothing it
    // acknowledged (H2's default delay lost a committed outbox entry in OutboxRecoveryIT).
    // QUERY_CACHE_SIZE=64: H2 keeps 8 parsed statements per connection by default, fewer than the engine's
    // statements, so most were parsed again each time (12 % of the reply path's CPU in a JFR profile).
    static final String DEFAULT_URL = "jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;QUERY_CACHE_SIZE=64";
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
        String url = c.getOptionalValue("parley.datasource.url", String.class).orElse(DEFAULT_URL);
        String user = c.getOptionalValue("parley.datasource.user", String.class).orElse(DEFAULT_USER);
        String password = c.getOptionalValue("parley.datasource.password", String.class).orElse(DEFAULT_PASSWORD);
        Driver packaged = PACKAGED_DRIVERS.get(scheme(url));
        if (packaged == null) {
            try {
                return DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                packaged = packagedDriver(url);
                if (packaged == null) {
                    throw e;
                }
            }
        }
        Properties info = new Properties();
        info.setProperty("user", user);
        info.setProperty("password", password);
        Connection connection = packaged.connect(url, info);
        if (connection == null) {
            throw new SQLException("the driver " + packaged.getClass().getName() + " does not take " + scheme(url) + " URLs", "08001");
        }
        return connection;
    }

    /** Drivers found in the application's own jars, by URL scheme ({@code jdbc:postgresql:}). */
    private static final Map<String, Driver> PACKAGED_DRIVERS = new ConcurrentHashMap<>();

    static String scheme(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return colon < 0 ? url : url.substring(0, colon + 1);
    }

    private static Driver packagedDriver(String url) {
        for (Iterator<Driver> it = ServiceLoader.load(Driver.class, ConfiguredDataSource.class.getClassLoader()).iterator(); ; ) {
            Driver driver;
            try {
                if (!it.hasNext()) {
                    return null;
                }
                driver = it.next();
                if (!driver.acceptsURL(url)) {
                    continue;
                }
            } catch (ServiceConfigurationError | SQLException e) {
                continue; // a broken provider entry elsewhere on the class path is not our driver
            }
            PACKAGED_DRIVERS.put(scheme(url), driver);
            return driver;
        }
    }

    /**
     * Deregisters the drivers this application's class loader brought (they register themselves with the JVM-wide
     * DriverManager when loaded), so an undeployed Parley leaves no driver holding its class loader.
     */
    public static void releasePackagedDrivers() {
        ClassLoader own = ConfiguredDataSource.class.getClassLoader();
        for (Driver driver : java.util.Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    // nothing to release then
                }
            }
        }
        PACKAGED_DRIVERS.clear();
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
