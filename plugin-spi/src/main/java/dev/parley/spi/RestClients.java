package dev.parley.spi;

import java.net.URI;

/**
 * Builds MicroProfile REST Client proxies for a connection. The runtime applies connect and read
 * timeouts and disables the default exception mapper, so methods returning
 * {@link jakarta.ws.rs.core.Response} see every status; network failures surface as
 * {@link jakarta.ws.rs.ProcessingException}.
 */
public interface RestClients {

    /** A proxy of the annotated JAX-RS interface {@code api} rooted at {@code baseUri}; build once, reuse. */
    <T> T create(Class<T> api, URI baseUri);
}
