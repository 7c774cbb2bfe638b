package dev.parley.infobip;

import dev.parley.infobip.conversations.ConversationsConnection;
import dev.parley.infobip.conversations.ConversationsSettings;
import dev.parley.infobip.sandbox.ConversationsSandboxConnection;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import java.util.List;

/**
 * Connector type {@code infobip-conversations}: the AI as an agent inside Infobip's contact center (Conversations). It
 * answers the conversations assigned to it, hands off with a tag and an internal note, closes what it resolved, and
 * creates its own event subscription; {@code base-url=sandbox} for a built-in stand-in with an agent console.
 */
public final class InfobipConversationsConnector implements Connector {

    public static final String TYPE = "infobip-conversations";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Infobip Conversations: the AI as an agent in Infobip's contact center (assignment, handoff with tag "
                + "and note, close on resolve, event subscription)";
    }

    /** Conversation events; the subscription pointing here is created by Parley. */
    @Override
    public List<String> webhookKinds() {
        return List.of("events");
    }

    @Override
    public List<ConfigField> configFields() {
        return ConversationsSettings.fields();
    }

    @Override
    public Connection open(ConnectionContext context) {
        ConversationsSettings settings = ConversationsSettings.from(context);
        if (!settings.webhooks().enabled()) {
            context.log().warn("INSECURE: webhook-auth=none: the subscription sends no credentials and anyone can post "
                    + "fake conversation events to this connection; set webhook-auth=basic and webhook-password");
        }
        if (settings.sandbox()) {
            context.log().info("SANDBOX: this connection talks to Parley's built-in Conversations stand-in at "
                    + context.sandboxUrl() + "; its agent console is at " + context.sandboxUrl() + "/console/conversations");
            return new ConversationsSandboxConnection(context, settings);
        }
        return new ConversationsConnection(context, settings);
    }
}
