package dev.parley.infobip;

import dev.parley.infobip.sandbox.WhatsAppSandboxConnection;
import dev.parley.infobip.whatsapp.WhatsAppConnection;
import dev.parley.infobip.whatsapp.WhatsAppSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import java.util.List;

/**
 * Connector type {@code infobip-whatsapp}: WhatsApp through Infobip, with the 24-hour window, templates, inbound media
 * copied into Parley's media store, delivery and seen reports, and a built-in sandbox ({@code base-url=sandbox}).
 */
public final class InfobipWhatsAppConnector implements Connector {

    public static final String TYPE = "infobip-whatsapp";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "WhatsApp through Infobip (24-hour window, templates, inbound media, delivery and seen reports)";
    }

    /** Inbound messages ({@code whatsapp}) are configured by the operator; reports go to the URL sent with each message. */
    @Override
    public List<String> webhookKinds() {
        return List.of("whatsapp", "dlr");
    }

    @Override
    public List<ConfigField> configFields() {
        return WhatsAppSettings.fields();
    }

    @Override
    public Connection open(ConnectionContext context) {
        WhatsAppSettings settings = WhatsAppSettings.from(context);
        if (!settings.webhooks().enabled()) {
            context.log().warn("INSECURE: webhook-auth=none: anyone can post fake WhatsApp messages and reports to this "
                    + "connection; set webhook-auth=basic and webhook-password");
        }
        if (settings.sandbox()) {
            context.log().info("SANDBOX: this connection talks to Parley's built-in WhatsApp stand-in at "
                    + context.sandboxUrl() + "; no real WhatsApp message is sent");
            return new WhatsAppSandboxConnection(context, settings);
        }
        return new WhatsAppConnection(context, settings);
    }
}
