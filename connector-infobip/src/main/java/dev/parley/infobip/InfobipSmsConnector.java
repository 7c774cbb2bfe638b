package dev.parley.infobip;

import dev.parley.infobip.sandbox.SmsSandboxConnection;
import dev.parley.infobip.sms.SmsConnection;
import dev.parley.infobip.sms.SmsSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;

import java.util.List;

/**
 * Connector type {@code infobip-sms}: SMS through Infobip's {@code /sms/3/messages}, with inbound SMS,
 * delivery and click reports by webhook, and a built-in sandbox ({@code base-url=sandbox}). The connection lives
 * in {@code sms/}, its sandbox in {@code sandbox/}; the HTTP client layer ({@code http/}) and webhook
 * authentication ({@code webhook/}) are shared with the other Infobip connection types.
 */
public final class InfobipSmsConnector implements Connector {

    /** The connection type this connector serves. */
    public static final String TYPE = "infobip-sms";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "SMS through Infobip (send, inbound SMS, delivery and click reports)";
    }

    /** Inbound SMS is configured by the operator; dlr and click URLs Parley sends with each message. */
    @Override
    public List<String> webhookKinds() {
        return List.of("sms", "dlr", "click");
    }

    @Override
    public List<ConfigField> configFields() {
        return SmsSettings.fields();
    }

    @Override
    public Connection open(ConnectionContext context) {
        SmsSettings settings = SmsSettings.from(context);
        if (!settings.webhooks().enabled()) {
            context.log().warn("INSECURE: webhook-auth=none: the webhooks of this connection accept requests from "
                    + "anyone, who can fake inbound SMS and delivery reports; set webhook-auth=basic and "
                    + "webhook-password");
        }
        if (settings.sandbox()) {
            context.log().info("SANDBOX: this connection talks to Parley's built-in Infobip stand-in at "
                    + context.sandboxUrl() + "; no real SMS is sent");
            return new SmsSandboxConnection(context, settings);
        }
        return new SmsConnection(context, settings);
    }
}
