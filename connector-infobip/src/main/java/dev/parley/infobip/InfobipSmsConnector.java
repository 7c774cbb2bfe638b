package dev.parley.infobip;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;

import java.util.List;

/**
 * Connector type {@code infobip-sms}: SMS through Infobip's {@code /sms/3/messages}, with inbound SMS,
 * delivery and click reports by webhook, and a built-in sandbox ({@code base-url=sandbox}).
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
        return List.of(
                ConfigField.secret(InfobipSettings.API_KEY,
                        "Infobip API key, sent as 'Authorization: App <key>'; needs scope sms:message:send, "
                                + "message:send or sms:manage, and sms:logs:read (or sms:manage) to send "
                                + "exactly once after a crash"),
                ConfigField.required(InfobipSettings.BASE_URL,
                        "your account's API host, e.g. xxxxx.api.infobip.com (https:// is added when no scheme "
                                + "is given), or 'sandbox' for Parley's built-in stand-in"),
                ConfigField.required(InfobipSettings.SENDER, "sender: a phone number or an alphanumeric sender name"),
                ConfigField.optional(InfobipSettings.WEBHOOK_AUTH, "basic",
                        "'basic' (Basic auth, or a signed token on delivery and click report URLs) or "
                                + "'none' (INSECURE: anyone can post to the webhooks)"),
                ConfigField.optional(InfobipSettings.WEBHOOK_USERNAME, "infobip",
                        "username Infobip uses for Basic auth on the inbound SMS webhook"),
                ConfigField.optionalSecret(InfobipSettings.WEBHOOK_PASSWORD,
                        "password for Basic auth on the webhooks, also the key of the report URL tokens; "
                                + "required unless webhook-auth=none"),
                ConfigField.optional(InfobipSettings.SHORT_DOMAIN, null,
                        "custom short domain for tracked links, e.g. go.example.com; Infobip's default when unset"),
                ConfigField.optional(InfobipSettings.LINK_TRACKING, "true",
                        "shorten links in messages and report clicks (true or false)"));
    }

    @Override
    public Connection open(ConnectionContext context) {
        InfobipSettings settings = InfobipSettings.from(context);
        if (!settings.webhookAuth()) {
            context.log().warn("INSECURE: webhook-auth=none: the webhooks of this connection accept requests from "
                    + "anyone, who can fake inbound SMS and delivery reports; set webhook-auth=basic and "
                    + "webhook-password");
        }
        if (settings.sandbox()) {
            context.log().info("SANDBOX: this connection talks to Parley's built-in Infobip stand-in at "
                    + context.sandboxUrl() + "; no real SMS is sent");
            return new InfobipSmsSandboxConnection(context, settings);
        }
        return new InfobipSmsConnection(context, settings);
    }
}
