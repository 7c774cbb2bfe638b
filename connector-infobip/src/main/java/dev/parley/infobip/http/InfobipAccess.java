package dev.parley.infobip.http;

import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * How a connection reaches Infobip, the same for every connection type: the API key and the account's API host
 * (or the connection's built-in sandbox). {@link #toString()} masks the key.
 *
 * @param apiKey  the API key (secret), sent as {@code Authorization: App <key>}
 * @param baseUri where the REST clients point: the account host, or the sandbox URL
 * @param sandbox true when base-url=sandbox
 */
public record InfobipAccess(String apiKey, URI baseUri, boolean sandbox) {

    public static final String API_KEY = "api-key";
    public static final String BASE_URL = "base-url";
    public static final String SANDBOX = "sandbox";

    /** Reads and validates {@value #API_KEY} and {@value #BASE_URL}; never calls the provider. */
    public static InfobipAccess from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        String apiKey = c.require(API_KEY).strip();
        // The key goes into a header: refuse anything that could break or inject header lines.
        if (apiKey.isEmpty() || apiKey.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw new PermanentException("setting '" + API_KEY + "' contains spaces or line breaks; "
                    + "enter the API key alone");
        }
        String baseUrl = c.require(BASE_URL).strip();
        boolean sandbox = baseUrl.equalsIgnoreCase(SANDBOX);
        return new InfobipAccess(apiKey, sandbox ? ctx.sandboxUrl() : baseUri(baseUrl), sandbox);
    }

    /** {@code xxxxx.api.infobip.com}, with or without scheme and trailing slash. */
    public static URI baseUri(String value) {
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

    /** Host (and port) shown to operators. */
    public String host() {
        return baseUri.getAuthority();
    }

    /** The {@code Authorization} header value. */
    String authorization() {
        return "App " + apiKey;
    }

    @Override
    public String toString() {
        return "InfobipAccess[baseUri=" + baseUri + ", sandbox=" + sandbox + ", apiKey=***]";
    }
}
