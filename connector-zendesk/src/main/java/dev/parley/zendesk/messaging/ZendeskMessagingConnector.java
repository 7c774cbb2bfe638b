package dev.parley.zendesk.messaging;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;

import java.util.List;

/**
 * {@code zendesk-messaging}: handoffs from SMS and WhatsApp go to Zendesk messaging (Sunshine Conversations,
 * the Agent Workspace's messaging view); agents' replies come back through the {@code messaging} webhook.
 * Other handoffs, or any while messaging is not active, become tickets as with {@code zendesk}.
 */
public final class ZendeskMessagingConnector implements Connector {

    public static final String TYPE = "zendesk-messaging";
    /** Sunshine Conversations webhook calls (agent messages, switchboard changes). */
    public static final String MESSAGING_WEBHOOK = "messaging";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Zendesk messaging: SMS and WhatsApp handoffs to the Agent Workspace (Sunshine Conversations), "
                + "tickets otherwise";
    }

    @Override
    public List<ConfigField> configFields() {
        return MessagingSettings.fields();
    }

    @Override
    public List<String> webhookKinds() {
        return List.of("ticket", "assist", MESSAGING_WEBHOOK);
    }

    @Override
    public Connection open(ConnectionContext context) {
        return MessagingConnection.open(context, MessagingSettings.from(context));
    }
}
