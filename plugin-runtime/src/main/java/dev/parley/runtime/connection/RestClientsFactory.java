package dev.parley.runtime.connection;

import dev.parley.spi.RestClients;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/** MicroProfile REST Client proxies with Parley's timeouts; error statuses come back as responses. */
final class RestClientsFactory implements RestClients {

    private final Duration connectTimeout;
    private final Duration readTimeout;

    RestClientsFactory(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    @Override
    public <T> T create(Class<T> api, URI baseUri) {
        return RestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // Connectors map statuses themselves (retryable vs permanent); see the SPI.
                .property("microprofile.rest.client.disable.default.mapper", true)
                // PATCH (Infobip Conversations' update): the JDK's HttpURLConnection refuses the method, Jersey's
                // workaround sets it reflectively (java.net is opened by Payara Micro's manifest).
                .property("jersey.config.client.httpUrlConnection.setMethodWorkaround", true)
                .build(api);
    }
}
