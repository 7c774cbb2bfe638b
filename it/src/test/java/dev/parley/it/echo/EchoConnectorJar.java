package dev.parley.it.echo;

import dev.parley.it.support.ItPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Packages {@link EchoConnector} as a connector jar (class + ServiceLoader registration). */
public final class EchoConnectorJar {

    private EchoConnectorJar() {
    }

    public static Path build() {
        Path jar = ItPaths.targetDir().resolve("echo-connector.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> c : new Class<?>[] {EchoConnector.class, Class.forName(EchoConnector.class.getName() + "$1"),
                    EchoConnector.NeverRead.class,
                    TestDeskConnector.class, TestDeskConnector.Desk.class,
                    TestChannelConnector.class, TestChannelConnector.Chan.class}) {
                String name = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                Files.copy(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(name), out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.parley.spi.Connector"));
            out.write((EchoConnector.class.getName() + "\n" + TestDeskConnector.class.getName() + "\n"
                    + TestChannelConnector.class.getName() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return jar;
    }

}
