package dev.parley.infobip.sandbox;

import dev.parley.infobip.conversations.ConversationsConnection;
import dev.parley.infobip.conversations.ConversationsSettings;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.util.SandboxHeaders;
import java.util.List;
import java.util.Map;

/**
 * An {@code infobip-conversations} connection with {@code base-url=sandbox}: it talks over HTTP to its own
 * {@link ConversationsSandbox}, which the runtime serves at {@code /sandbox/<id>}, and which plays the contact center
 * too (its agent console changes assignment and status and posts the events to the subscription this connection
 * creates). Only this class implements {@link SandboxApi}, so a real connection never exposes a stand-in.
 */
public final class ConversationsSandboxConnection extends ConversationsConnection implements SandboxApi {

    private final ConversationsSandbox sandbox;
    /** The sandbox's own credentials, which stand in for a signed-in admin's (never sent out). */
    private final String ownAuthorization;

    public ConversationsSandboxConnection(ConnectionContext ctx, ConversationsSettings settings) {
        super(ctx, settings);
        this.sandbox = new ConversationsSandbox(ctx, settings.access().apiKey(), settings.aiAgentId());
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
