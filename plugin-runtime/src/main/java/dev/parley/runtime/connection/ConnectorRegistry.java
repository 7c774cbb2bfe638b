package dev.parley.runtime.connection;

import dev.parley.spi.Connector;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The installed connectors, found with {@link ServiceLoader} on the application's class loader, so a
 * connector jar in EAR {@code lib/}, {@code WEB-INF/lib} or Payara Micro's {@code --addLibs} is found
 * without rebuilding the runtime.
 */
public final class ConnectorRegistry {

    private final Map<String, Connector> byType;

    public ConnectorRegistry(Iterable<Connector> connectors) {
        Map<String, Connector> found = new TreeMap<>();
        for (Connector connector : connectors) {
            Connector other = found.putIfAbsent(connector.type(), connector);
            if (other != null && other.getClass() != connector.getClass()) {
                throw new IllegalStateException("two connectors claim type '" + connector.type() + "': "
                        + other.getClass().getName() + " and " + connector.getClass().getName()
                        + "; remove one of the jars");
            }
        }
        this.byType = Map.copyOf(found);
    }

    public static ConnectorRegistry discover(ClassLoader loader) {
        return new ConnectorRegistry(ServiceLoader.load(Connector.class, loader));
    }

    public Optional<Connector> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Collection<String> types() {
        return new TreeMap<>(byType).keySet();
    }

    public Collection<Connector> all() {
        return byType.values();
    }
}
