package dev.parley.runtime.web;

import jakarta.json.spi.JsonProvider;

/**
 * One JSON-P provider for the runtime. {@code Json.createObjectBuilder()} looks the provider up with
 * ServiceLoader on every call, which on Payara scans the class loader under a lock (seen as the top
 * contention point in the webhook benchmark).
 */
public final class JsonSupport {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonSupport() {
    }
}
