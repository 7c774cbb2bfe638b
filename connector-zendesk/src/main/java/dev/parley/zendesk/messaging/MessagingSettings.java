package dev.parley.zendesk.messaging;

import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;
import dev.parley.zendesk.ZendeskSettings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validated settings of a {@code zendesk-messaging} connection: the Zendesk Support settings (to find or
 * create the user and for the ticket fallback) plus a Conversations API (Sunshine) app key.
 * {@link #toString()} never shows a secret.
 *
 * @param zendesk       the Support part
 * @param appId         the Conversations app id
 * @param keyId         the app-level key id ({@code app_...})
 * @param keySecret     the key's secret
 * @param webhookSecret the X-API-Key value of a hand-made Sunshine webhook, or null (setup registers one)
 * @param baseUri       {@code https://<subdomain>.zendesk.com/sc}, the override, or the sandbox's {@code /sc}
 */
public record MessagingSettings(ZendeskSettings zendesk, String appId, String keyId, String keySecret,
                                String webhookSecret, URI baseUri) {

    public static final String APP_ID = "app-id";
    public static final String KEY_ID = "key-id";
    public static final String KEY_SECRET = "key-secret";
    public static final String WEBHOOK_SECRET = "messaging-webhook-secret";
    public static final String BASE_URL = "messaging-base-url";

    private static final Pattern ID_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    /** Every Zendesk field, then the messaging ones. */
    public static List<ConfigField> fields() {
        List<ConfigField> fields = new ArrayList<>(ZendeskSettings.fields());
        fields.add(ConfigField.required(APP_ID, "Conversations API app id (Admin Center > Apps and integrations > APIs "
                + "> Conversations API)"));
        fields.add(ConfigField.required(KEY_ID, "Conversations API key id; an app-level key, starting with app_"));
        fields.add(ConfigField.secret(KEY_SECRET, "Conversations API key secret"));
        fields.add(ConfigField.optionalSecret(WEBHOOK_SECRET, "Secret Sunshine sends as X-API-Key on webhook calls to "
                + "/channel/<id>/webhook/messaging, for a Conversations integration webhook you created by hand; "
                + "not needed when POST /api/connections/<id>/setup (or auto-register) created it"));
        fields.add(ConfigField.optional(BASE_URL, null, "Override of https://<subdomain>.zendesk.com/sc (a proxy, a "
                + "test stub, https://api.smooch.io for legacy Sunshine accounts), or 'sandbox'"));
        return List.copyOf(fields);
    }

    /** Reads and validates; never calls Zendesk. */
    public static MessagingSettings from(ConnectionContext ctx) {
        ZendeskSettings zendesk = ZendeskSettings.from(ctx);
        ConnectionConfig c = ctx.config();
        String appId = c.require(APP_ID).strip();
        if (!ID_SHAPE.matcher(appId).matches()) {
            throw new PermanentException("setting '" + APP_ID + "' must be the app id shown with the Conversations API "
                    + "key (letters and digits)");
        }
        String keyId = c.require(KEY_ID).strip();
        if (!keyId.startsWith("app_")) {
            throw new PermanentException("key-id must be an app-level key (app_...): create one in Admin Center > "
                    + "Apps and integrations > APIs > Conversations API");
        }
        String secret = c.require(KEY_SECRET).strip();
        String hookSecret = c.get(WEBHOOK_SECRET).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
        String raw = c.get(BASE_URL).map(String::strip).orElse(null);
        URI base;
        if (raw == null) {
            base = URI.create(zendesk.sandbox() ? zendesk.baseUri() + "/sc"
                    : "https://" + zendesk.subdomain() + ".zendesk.com/sc");
        } else if (ZendeskSettings.SANDBOX.equalsIgnoreCase(raw)) {
            base = URI.create(ctx.sandboxUrl() + "/sc");
        } else {
            try {
                base = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
                if (base.getScheme() == null || base.getHost() == null) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                throw new PermanentException("setting '" + BASE_URL + "' must be an http(s) URL (e.g. "
                        + "https://acme.zendesk.com/sc) or 'sandbox'");
            }
        }
        return new MessagingSettings(zendesk, appId, keyId, secret, hookSecret, base);
    }

    /** Sunshine's Basic auth: key id as user, secret as password. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((keyId + ":" + keySecret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "MessagingSettings[" + zendesk + ", appId=" + appId + ", keyId=" + keyId + ", base=" + baseUri + "]";
    }
}
