package dev.parley.it.echo;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import java.util.List;

/**
 * A third-party connector built against plugin-spi alone, packaged by {@link EchoConnectorJar} and
 * dropped into Payara Micro with {@code --addLibs}: proves a connector jar is found without rebuilding
 * the runtime. Its verify echoes its {@code greeting} field.
 */
public class EchoConnector implements Connector {

    @Override
    public String type() {
        return "it-echo";
    }

    @Override
    public String description() {
        return "test connector added with --addLibs";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(ConfigField.required("greeting", "what verify answers"));
    }

    @Override
    public Connection open(ConnectionContext context) {
        String greeting = context.config().require("greeting");
        return new Connection() {
            @Override
            public String verify() {
                return "echo: " + greeting;
            }

            @Override
            public void close() {
            }
        };
    }
}
