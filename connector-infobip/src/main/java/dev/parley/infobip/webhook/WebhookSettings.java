package dev.parley.infobip.webhook;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.PermanentException;

import java.util.Locale;

/**
 * How a connection's webhooks are authenticated, the same for every Infobip connection type. {@link #toString()}
 * masks the password.
 *
 * @param enabled  true for {@code webhook-auth=basic}, false for {@code none}
 * @param username Basic username Infobip sends
 * @param password Basic password and token key (secret); null when not enabled
 */
public record WebhookSettings(boolean enabled, String username, String password) {

    public static final String WEBHOOK_AUTH = "webhook-auth";
    public static final String WEBHOOK_USERNAME = "webhook-username";
    public static final String WEBHOOK_PASSWORD = "webhook-password";

    /** Reads and validates the three settings. */
    public static WebhookSettings from(ConnectionConfig c) {
        String mode = c.get(WEBHOOK_AUTH).orElse("basic").strip().toLowerCase(Locale.ROOT);
        boolean enabled = switch (mode) {
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
        if (enabled) {
            password = c.get(WEBHOOK_PASSWORD).filter(p -> !p.isBlank()).orElseThrow(() -> new PermanentException(
                    "missing setting '" + WEBHOOK_PASSWORD + "' (required unless " + WEBHOOK_AUTH + "=none)"));
        }
        return new WebhookSettings(enabled, username, password);
    }

    /**
     * A report URL Parley hands to Infobip with each message ({@code base}: the kind's public webhook URL): with
     * webhook auth on it carries the kind's token, because Infobip cannot attach Basic credentials to those callbacks.
     */
    public java.net.URI reportUrl(java.net.URI base, String connectionId, String kind) {
        if (!enabled) return base;
        return java.net.URI.create(base + (base.getRawQuery() == null ? "?" : "&") + "token="
                + WebhookAuth.token(password, connectionId, kind));
    }

    /** The check for this connection's webhooks. */
    public WebhookAuth auth(String connectionId) {
        return enabled ? WebhookAuth.basic(username, password, connectionId) : WebhookAuth.none();
    }

    @Override
    public String toString() {
        return "WebhookSettings[auth=" + (enabled ? "basic" : "none") + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
