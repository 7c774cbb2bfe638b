package dev.parley.it.echo;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import dev.parley.spi.MediaStore;
import dev.parley.spi.StoredMedia;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A third-party connector built against plugin-spi alone, packaged by {@link EchoConnectorJar} and
 * dropped into Payara Micro with {@code --addLibs}: proves a connector jar is found without rebuilding
 * the runtime. Its verify echoes its {@code greeting} field. With {@code media-key} set, verify also copies the
 * greeting's bytes into the media store under that key TWICE, as a connector would on a repeated webhook delivery
 * (the second time with a stream that must not be read), and answers
 * {@code echo: <greeting> media <first id> <second id> <sha256> <signed link>} (MediaIT).
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
        return List.of(ConfigField.required("greeting", "what verify answers"),
                ConfigField.optional("media-key", null, "MediaIT: copy the greeting into the media store under this key"));
    }

    @Override
    public Connection open(ConnectionContext context) {
        String greeting = context.config().require("greeting");
        String mediaKey = context.config().get("media-key").orElse(null);
        return new Connection() {
            @Override
            public String verify() {
                return "echo: " + greeting + (mediaKey == null ? "" : copyTwice(context.media(), mediaKey, greeting));
            }

            @Override
            public void close() {
            }
        };
    }

    static String copyTwice(MediaStore media, String key, String greeting) {
        StoredMedia first = media.put(key, "image/png", "../echo/" + key.substring(key.lastIndexOf('/') + 1) + ".png",
                new ByteArrayInputStream(greeting.getBytes(StandardCharsets.UTF_8)));
        StoredMedia again = media.put(key, "image/png", "again.png", new NeverRead());
        return " media " + first.id() + " " + again.id() + " " + first.sha256() + " " + media.link(first.id());
    }

    /** A repeated delivery's download: the store must answer the stored copy without reading it. */
    public static final class NeverRead extends InputStream {
        @Override
        public int read() {
            throw new IllegalStateException("the media store read a copy it already had");
        }
    }
}
