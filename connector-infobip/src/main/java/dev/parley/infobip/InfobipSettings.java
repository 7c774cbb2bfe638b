package dev.parley.infobip;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The validated settings of an {@code infobip-sms} connection. {@link #toString()} masks the secrets.
 *
 * @param apiKey           the API key (secret)
 * @param baseUri          where the REST client points: the account host, or the sandbox URL
 * @param sandbox          true when base-url=sandbox
 * @param sender           the SMS sender
 * @param webhookAuth      true for basic, false for none
 * @param webhookUsername  Basic username for webhooks
 * @param webhookPassword  Basic password and token key (secret); null when webhookAuth is false
 * @param shortDomain      custom short domain for tracked links; null for Infobip's default
 * @param linkTracking     shorten links and report clicks
 */
record InfobipSettings(String apiKey, URI baseUri, boolean sandbox, String sender, boolean webhookAuth,
                       String webhookUsername, String webhookPassword, String shortDomain, boolean linkTracking) {

    static final String API_KEY = "api-key";
    static final String BASE_URL = "base-url";
    static final String SENDER = "sender";
    static final String WEBHOOK_AUTH = "webhook-auth";
    static final String WEBHOOK_USERNAME = "webhook-username";
    static final String WEBHOOK_PASSWORD = "webhook-password";
    static final String SHORT_DOMAIN = "env.INFOBIP_SHORT_DOMAIN";
    static final String LINK_TRACKING = "link-tracking";
    static final String SANDBOX = "sandbox";

    /** Reads and validates; never calls the provider. */
    static InfobipSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        String apiKey = c.require(API_KEY).strip();
        // The key goes into a header: refuse anything that could break or inject header lines.
        if (apiKey.isEmpty() || apiKey.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw new PermanentException("setting '" + API_KEY + "' contains spaces or line breaks; "
                    + "enter the API key alone");
        }
        String baseUrl = c.require(BASE_URL).strip();
        boolean sandbox = baseUrl.equalsIgnoreCase(SANDBOX);
        URI baseUri = sandbox ? ctx.sandboxUrl() : baseUri(baseUrl);
        String sender = c.require(SENDER).strip();

        String mode = c.get(WEBHOOK_AUTH).orElse("basic").strip().toLowerCase(Locale.ROOT);
        boolean webhookAuth = switch (mode) {
            case "basic" -> true;
            case "none" -> false;
            default -> throw new PermanentException("setting '" + WEBHOOK_AUTH + "' must be 'basic' or 'none', not '"
                    + mode + "'");
        };
        String username = c.get(WEBHOOK_USERNAME).orElse("infobip").strip();
        if (username.indexOf(':') >= 0) {
            throw new PermanentException("setting '" + WEBHOOK_USERNAME + "' must not contain ':' (Basic auth)");
        }
        String password = null;
        if (webhookAuth) {
            password = c.get(WEBHOOK_PASSWORD).filter(p -> !p.isBlank()).orElseThrow(() -> new PermanentException(
                    "missing setting '" + WEBHOOK_PASSWORD + "' (required unless " + WEBHOOK_AUTH + "=none)"));
        }
        String shortDomain = c.get(SHORT_DOMAIN).map(InfobipSettings::domain).filter(d -> !d.isEmpty()).orElse(null);
        boolean linkTracking = c.getBoolean(LINK_TRACKING, true);
        return new InfobipSettings(apiKey, baseUri, sandbox, sender, webhookAuth, username, password,
                shortDomain, linkTracking);
    }

    /** {@code xxxxx.api.infobip.com}, with or without scheme and trailing slash. */
    static URI baseUri(String value) {
        String v = value.strip();
        if (!v.contains("://")) v = "https://" + v;
        while (v.endsWith("/")) v = v.substring(0, v.length() - 1);
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new PermanentException("setting '" + BASE_URL + "' must be your Infobip API host, e.g. "
                + "xxxxx.api.infobip.com (or 'sandbox'), not '" + value + "'");
    }

    /** A bare host name: a pasted scheme or trailing slash is dropped. */
    private static String domain(String value) {
        String d = value.strip();
        int scheme = d.indexOf("://");
        if (scheme >= 0) d = d.substring(scheme + 3);
        while (d.endsWith("/")) d = d.substring(0, d.length() - 1);
        return d;
    }

    /** Host (and port) shown to operators. */
    String host() {
        return baseUri.getAuthority();
    }

    @Override
    public String toString() {
        return "InfobipSettings[baseUri=" + baseUri + ", sandbox=" + sandbox + ", sender=" + sender
                + ", webhookAuth=" + (webhookAuth ? "basic" : "none") + ", webhookUsername=" + webhookUsername
                + ", shortDomain=" + shortDomain + ", linkTracking=" + linkTracking + ", apiKey=***"
                + ", webhookPassword=" + (webhookPassword == null ? "none" : "***") + "]";
    }
}
