package dev.parley.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build (it/pom.xml) put the deliverables. Surefire passes them as system properties; the fallbacks
 * (relative to the module directory, surefire's working directory) make an IDE run work after one `mvn verify`.
 */
public final class ItPaths {

    private ItPaths() {
    }

    public static Path targetDir() {
        return path("parley.it.targetDir", "target");
    }

    public static Path war() {
        return existing("parley.it.war", "target/parley.war");
    }

    public static Path ear() {
        return existing("parley.it.ear", "target/parley.ear");
    }

    public static Path spiJar() {
        return existing("parley.it.spiJar", "target/plugin-spi.jar");
    }

    /** Parley's Payara Micro post-boot commands, as the run command and the uber-jar use them. */
    public static Path postBootCommands() {
        return existing("parley.it.postBootCommands", "../parley-war/src/main/payara/post-boot-commands.txt");
    }

    public static Path microJar() {
        return existing("parley.it.microJar", "target/payara-micro.jar");
    }

    /** The one-file server parley-war builds: Payara Micro with parley.war inside ({@code java -jar parley.jar}). */
    public static Path uberJar() {
        return existing("parley.it.uberJar", "../parley-war/target/parley.jar");
    }

    /**
     * Payara Micro's trust store without its expired certificates (built by parley-war), given to every Micro child
     * as {@code javax.net.ssl.trustStore} as the README asks operators to: no certificate warnings at start. Empty
     * when the file is not there (an IDE run without the parley-war build).
     */
    public static java.util.Optional<Path> trustStore() {
        Path p = path("parley.it.trustStore", "../parley-war/target/cacerts.p12");
        return Files.exists(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
    }

    /** The unpacked Payara Server, i.e. the directory holding {@code bin/asadmin} and {@code glassfish/}. */
    public static Path serverHome() {
        return existing("parley.it.serverHome", "target/payara-server/payara6");
    }

    /** True when the build skipped unpacking Payara Server ({@code -Dparley.it.skipServer=true}). */
    public static boolean serverSkipped() {
        return Boolean.parseBoolean(System.getProperty("parley.it.skipServer", "false"));
    }

    /** The java launcher of the JVM running the tests (JDK 17): used for the Micro child and asadmin. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Path path(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
    }

    private static Path existing(String property, String fallback) {
        Path p = path(property, fallback);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " does not exist (system property " + property
                    + "). Build it with `mvn verify` from the project root: the it module copies the deliverables"
                    + " into it/target in the process-test-classes phase.");
        }
        return p;
    }
}
