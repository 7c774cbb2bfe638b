package dev.parley.zendesk;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;

import java.util.List;

/**
 * {@code zendesk}: Zendesk Support as Parley's help desk. Handoffs become tickets, public agent comments
 * go back to the customer, Help Center articles become the bots' knowledge, and assist mode suggests
 * answers on tickets Parley did not open. {@code base-url=sandbox} runs against a built-in stand-in.
 */
public final class ZendeskConnector implements Connector {

    public static final String TYPE = "zendesk";
    /** Zendesk's trigger calls for tickets Parley opened (agent comments, solved). */
    public static final String TICKET_WEBHOOK = "ticket";
    /** Zendesk's trigger calls for other tickets a customer commented on (assist mode). */
    public static final String ASSIST_WEBHOOK = "assist";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Zendesk Support: handoff to tickets, agent replies, Help Center knowledge, assist notes";
    }

    @Override
    public List<ConfigField> configFields() {
        return ZendeskSettings.fields();
    }

    @Override
    public List<String> webhookKinds() {
        return List.of(TICKET_WEBHOOK, ASSIST_WEBHOOK);
    }

    @Override
    public Connection open(ConnectionContext context) {
        return ZendeskConnection.open(context, ZendeskSettings.from(context));
    }
}
