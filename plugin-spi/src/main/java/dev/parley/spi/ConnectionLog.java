package dev.parley.spi;

/**
 * The connection's log: durable, per connection, shown by the admin API's "logs" view. For what an
 * operator needs to see (verification results, rejected webhooks, click events), not for debugging
 * noise. Never log secrets.
 */
public interface ConnectionLog {

    void info(String message);

    void warn(String message);

    void error(String message);
}
