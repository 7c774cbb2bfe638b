/**
 * Parley's connector SPI: the whole contract between the Parley runtime and a connector.
 *
 * <p>A connector is a plain Java jar that implements {@link dev.parley.spi.Connector} and lists it in
 * {@code META-INF/services/dev.parley.spi.Connector}. The runtime finds it with
 * {@link java.util.ServiceLoader}, reads the connection's settings from MicroProfile Config
 * ({@code parley.connection.<id>.<field>}), and opens one {@link dev.parley.spi.Connection} per
 * configured connection. Everything a connection needs from its host (config, HTTP clients, the
 * connection log, its public webhook URLs, a clock, a scheduler, a durable store, a
 * {@link dev.parley.spi.MediaStore media store}) comes through the
 * {@link dev.parley.spi.ConnectionContext}; a connector never depends on the runtime, so it can be
 * unit-tested without a server and dropped into any Parley deployment (EAR {@code lib/},
 * {@code WEB-INF/lib}, Payara Micro {@code --addLibs}).
 *
 * <p>Capabilities are interfaces a connection implements: {@link dev.parley.spi.Channel} (send),
 * {@link dev.parley.spi.WebhookReceiver} (inbound), {@link dev.parley.spi.SentMessageLookup} (does the
 * provider already have a message? for sending once after a crash), {@link dev.parley.spi.SandboxApi} (a
 * built-in stand-in of the provider). Errors are {@link dev.parley.spi.RetryableException} (the runtime retries
 * with backoff) or {@link dev.parley.spi.PermanentException} (recorded, never retried).
 */
package dev.parley.spi;
