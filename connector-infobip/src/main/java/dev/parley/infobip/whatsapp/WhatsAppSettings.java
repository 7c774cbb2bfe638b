package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.webhook.WebhookSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;
import java.util.List;

/**
 * The validated settings of an {@code infobip-whatsapp} connection: how to reach Infobip and check its webhooks (as
 * every Infobip type), and the WhatsApp business number it sends from. {@link #toString()} masks the secrets.
 *
 * @param access   API key and host, or the sandbox
 * @param webhooks webhook authentication
 * @param sender   the WhatsApp business number, digits only (what Infobip calls {@code from})
 */
public record WhatsAppSettings(InfobipAccess access, WebhookSettings webhooks, String sender) {

    public static final String SENDER = "sender";
    /** The scopes (any one) that let a key send WhatsApp messages. */
    static final String SEND_SCOPE = "whatsapp:message:send, message:send or whatsapp:manage";
    /** The scope that lets a key list the sender's templates (the verify call) and fetch inbound media. */
    static final String MANAGE_SCOPE = "whatsapp:manage";

    public static List<ConfigField> fields() {
        return List.of(
                ConfigField.secret(InfobipAccess.API_KEY,
                        "Infobip API key, sent as 'Authorization: App <key>'; needs scope " + MANAGE_SCOPE
                                + " (send, templates and inbound media) or " + SEND_SCOPE + " plus "
                                + "whatsapp:inbound-message:read"),
                ConfigField.required(InfobipAccess.BASE_URL,
                        "your account's API host, e.g. xxxxx.api.infobip.com, or 'sandbox' for Parley's built-in stand-in"),
                ConfigField.required(SENDER, "the WhatsApp business number, in international format (e.g. 441134960000)"),
                ConfigField.optional(WebhookSettings.WEBHOOK_AUTH, "basic",
                        "'basic' (Basic auth on the inbound webhook, a signed token on the report URL) or "
                                + "'none' (INSECURE: anyone can post to the webhooks)"),
                ConfigField.optional(WebhookSettings.WEBHOOK_USERNAME, "infobip",
                        "username Infobip uses for Basic auth on the inbound WhatsApp webhook"),
                ConfigField.optionalSecret(WebhookSettings.WEBHOOK_PASSWORD,
                        "password for Basic auth on the webhooks, also the key of the report URL token; "
                                + "required unless webhook-auth=none"));
    }

    /** Reads and validates; never calls the provider. */
    public static WhatsAppSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        InfobipAccess access = InfobipAccess.from(ctx);
        String sender = c.require(SENDER).strip().replaceAll("[\\s().-]", "");
        if (sender.startsWith("+")) sender = sender.substring(1);
        if (!sender.matches("[0-9]{6,24}")) {
            throw new PermanentException("setting '" + SENDER + "' must be the WhatsApp business number in international "
                    + "format, digits only (e.g. 441134960000), not '" + c.require(SENDER) + "'");
        }
        return new WhatsAppSettings(access, WebhookSettings.from(c), sender);
    }

    public boolean sandbox() {
        return access.sandbox();
    }

    @Override
    public String toString() {
        return "WhatsAppSettings[" + access + ", " + webhooks + ", sender=" + sender + "]";
    }
}
