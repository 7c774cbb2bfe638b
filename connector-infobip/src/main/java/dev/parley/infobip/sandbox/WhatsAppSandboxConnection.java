package dev.parley.infobip.sandbox;

import dev.parley.infobip.whatsapp.WhatsAppConnection;
import dev.parley.infobip.whatsapp.WhatsAppSettings;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.util.SandboxHeaders;
import java.util.List;
import java.util.Map;

/**
 * An {@code infobip-whatsapp} connection with {@code base-url=sandbox}: it talks over HTTP to its own
 * {@link WhatsAppSandbox}, which the runtime serves at {@code /sandbox/<id>}, and which plays the customer too (it
 * posts inbound messages to this connection's webhook). Only this class implements {@link SandboxApi}, so a real
 * connection never exposes a stand-in.
 */
public final class WhatsAppSandboxConnection extends WhatsAppConnection implements SandboxApi {

    private final WhatsAppSandbox sandbox;
    /** The sandbox's own credentials, which stand in for a signed-in admin's (never sent out). */
    private final String ownAuthorization;

    public WhatsAppSandboxConnection(ConnectionContext ctx, WhatsAppSettings settings) {
        super(ctx, settings);
        this.sandbox = new WhatsAppSandbox(ctx, settings.access().apiKey(), settings.sender(), ctx.webhookUrl("whatsapp"),
                settings.webhooks().username(), settings.webhooks().enabled() ? settings.webhooks().password() : null);
        this.ownAuthorization = "App " + settings.access().apiKey();
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
