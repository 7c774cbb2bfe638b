package dev.parley.hubspot.sandbox;

import dev.parley.hubspot.HubSpotConnection;
import dev.parley.hubspot.HubSpotSettings;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.util.SandboxHeaders;

import java.util.List;
import java.util.Map;

/**
 * A {@code hubspot} connection with {@code base-url=sandbox}: it talks over HTTP to its own {@link HubSpotSandbox},
 * which the runtime serves at {@code /sandbox/<id>}. Only this class implements {@link SandboxApi}, so a real
 * connection never exposes a stand-in.
 */
public final class HubSpotSandboxConnection extends HubSpotConnection implements SandboxApi {

    private final HubSpotSandbox sandbox;
    /** The sandbox's own credentials, which stand in for a signed-in admin's (never sent out). */
    private final String ownAuthorization;

    public HubSpotSandboxConnection(ConnectionContext ctx, HubSpotSettings settings) {
        super(ctx, settings);
        this.sandbox = new HubSpotSandbox(ctx, settings.accessToken());
        this.ownAuthorization = "Bearer " + settings.accessToken();
    }

    @Override
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        return sandbox.handle(method, path, headers, body);
    }

    @Override
    public SandboxResponse handleForAdmin(String method, String path, Map<String, List<String>> headers, byte[] body) {
        return handle(method, path, SandboxHeaders.withAuthorization(headers, ownAuthorization), body);
    }

    @Override
    public void close() {
        sandbox.close();
        super.close();
    }
}
