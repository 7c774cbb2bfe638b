package dev.parley.infobip.sms;

import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.webhook.WebhookSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;

import java.util.List;

/**
 * The validated settings of an {@code infobip-sms} connection: how to reach Infobip and check its webhooks (the
 * same for every Infobip connection type), plus the SMS ones. {@link #toString()} masks the secrets.
 *
 * @param access       API key and host, or the sandbox
 * @param webhooks     webhook authentication
 * @param sender       the SMS sender
 * @param shortDomain  custom short domain for tracked links; null for Infobip's default
 * @param linkTracking shorten links and report clicks
 */
public record SmsSettings(InfobipAccess access, WebhookSettings webhooks, String sender, String shortDomain,
                          boolean linkTracking) {

    public static final String SENDER = "sender";
    public static final String SHORT_DOMAIN = "env.INFOBIP_SHORT_DOMAIN";
    public static final String LINK_TRACKING = "link-tracking";

    /** The fields of connection type {@code infobip-sms}, in the order the admin API and the README list them. */
    public static List<ConfigField> fields() {
        return List.of(
                ConfigField.secret(InfobipAccess.API_KEY,
                        "Infobip API key, sent as 'Authorization: App <key>'; needs scope sms:message:send, "
                                + "message:send or sms:manage, and sms:logs:read (or sms:manage) to send "
                                + "exactly once after a crash"),
                ConfigField.required(InfobipAccess.BASE_URL,
                        "your account's API host, e.g. xxxxx.api.infobip.com (https:// is added when no scheme "
                                + "is given), or 'sandbox' for Parley's built-in stand-in"),
                ConfigField.required(SENDER, "sender: a phone number or an alphanumeric sender name"),
                ConfigField.optional(WebhookSettings.WEBHOOK_AUTH, "basic",
                        "'basic' (Basic auth, or a signed token on delivery and click report URLs) or "
                                + "'none' (INSECURE: anyone can post to the webhooks)"),
                ConfigField.optional(WebhookSettings.WEBHOOK_USERNAME, "infobip",
                        "username Infobip uses for Basic auth on the inbound SMS webhook"),
                ConfigField.optionalSecret(WebhookSettings.WEBHOOK_PASSWORD,
                        "password for Basic auth on the webhooks, also the key of the report URL tokens; "
                                + "required unless webhook-auth=none"),
                ConfigField.optional(SHORT_DOMAIN, null,
                        "custom short domain for tracked links, e.g. go.example.com; Infobip's default when unset"),
                ConfigField.optional(LINK_TRACKING, "true",
                        "shorten links in messages and report clicks (true or false)"));
    }

    /** Reads and validates; never calls the provider. */
    public static SmsSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        InfobipAccess access = InfobipAccess.from(ctx);
        String sender = c.require(SENDER).strip();
        WebhookSettings webhooks = WebhookSettings.from(c);
        String shortDomain = c.get(SHORT_DOMAIN).map(SmsSettings::domain).filter(d -> !d.isEmpty()).orElse(null);
        boolean linkTracking = c.getBoolean(LINK_TRACKING, true);
        return new SmsSettings(access, webhooks, sender, shortDomain, linkTracking);
    }

    /** A bare host name: a pasted scheme or trailing slash is dropped. */
    private static String domain(String value) {
        String d = value.strip();
        int scheme = d.indexOf("://");
        if (scheme >= 0) d = d.substring(scheme + 3);
        while (d.endsWith("/")) d = d.substring(0, d.length() - 1);
        return d;
    }

    public boolean sandbox() {
        return access.sandbox();
    }

    @Override
    public String toString() {
        return "SmsSettings[" + access + ", " + webhooks + ", sender=" + sender + ", shortDomain=" + shortDomain
                + ", linkTracking=" + linkTracking + "]";
    }
}
