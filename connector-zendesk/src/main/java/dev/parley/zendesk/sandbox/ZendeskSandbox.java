package dev.parley.zendesk.sandbox;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi;
import dev.parley.zendesk.ZendeskSettings;

import java.util.List;
import java.util.Map;

/** A built-in stand-in for the Zendesk endpoints Parley calls (skeleton). */
public final class ZendeskSandbox implements SandboxApi, AutoCloseable {
    private final ConnectionContext ctx;
    private final ZendeskSettings settings;

    public ZendeskSandbox(ConnectionContext ctx, ZendeskSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
    }

    @Override
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        return new SandboxResponse(501, "{\"error\":\"not built yet\"}");
    }

    @Override
    public void close() {
    }
}
