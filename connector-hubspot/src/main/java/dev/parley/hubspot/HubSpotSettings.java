package dev.parley.hubspot;

import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The validated settings of a {@code hubspot} connection. {@link #toString()} never shows the token.
 *
 * @param accessToken      the private app's access token (secret), sent as {@code Authorization: Bearer}
 * @param baseUri          {@code https://api.hubapi.com}, an override, or the sandbox URL
 * @param sandbox          true when {@code base-url=sandbox}
 * @param pipeline         the ticket pipeline, by id or label (resolved at verify)
 * @param stage            the stage new tickets get, by id or label; must be an OPEN stage
 * @param owner            {@code hubspot_owner_id} set on notes; null for none
 * @param media            how media reach HubSpot ({@code links} only, for now)
 * @param ticketIdProperty the unique custom ticket property holding Parley's session id (the upsert key)
 * @param createProperty   create that property at verify when it is missing
 * @param rateLimit        calls per 10 seconds, shared by every Parley instance using this token
 * @param dailyLimit       calls per day, shared the same way
 */
public record HubSpotSettings(String accessToken, URI baseUri, boolean sandbox, String pipeline, String stage,
                              String owner, String media, String ticketIdProperty, boolean createProperty,
                              int rateLimit, int dailyLimit) {

    public static final String ACCESS_TOKEN = "access-token";
    public static final String BASE_URL = "base-url";
    public static final String PIPELINE = "pipeline";
    public static final String STAGE = "stage";
    public static final String OWNER = "owner";
    public static final String MEDIA = "media";
    public static final String TICKET_ID_PROPERTY = "ticket-id-property";
    public static final String CREATE_PROPERTY = "create-property";
    public static final String RATE_LIMIT = "rate-limit";
    public static final String DAILY_LIMIT = "daily-limit";

    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    public static final String SANDBOX = "sandbox";
    public static final String MEDIA_LINKS = "links";
    public static final String MEDIA_UPLOAD = "upload";
    public static final String DEFAULT_TICKET_ID_PROPERTY = "parley_session_id";

    /** HubSpot's rule for internal property names: lower case letters, digits and underscores, a letter first. */
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    private static final Pattern OWNER_ID = Pattern.compile("[0-9]{1,20}");

    public static List<ConfigField> fields() {
        return List.of(
                ConfigField.secret(ACCESS_TOKEN, "Access token of a HubSpot private app (HubSpot > Settings > "
                        + "Integrations > Private Apps) with the scopes tickets, crm.objects.contacts.read and "
                        + "crm.objects.contacts.write"),
                ConfigField.required(PIPELINE, "Ticket pipeline for handoffs, by id or label (e.g. '0' or 'Support Pipeline')"),
                ConfigField.required(STAGE, "Stage of new handoff tickets, by id or label; must be an open stage (e.g. '1' or 'New')"),
                ConfigField.optional(OWNER, null, "HubSpot owner id set on Parley's notes (hubspot_owner_id); none by default"),
                ConfigField.optional(BASE_URL, DEFAULT_BASE_URL, "HubSpot API base URL; 'sandbox' for the built-in stand-in"),
                ConfigField.optional(MEDIA, MEDIA_LINKS, "How customers' files reach HubSpot: 'links' (signed links to "
                        + "Parley's copies in the ticket and note); 'upload' is not supported yet"),
                ConfigField.optional(TICKET_ID_PROPERTY, DEFAULT_TICKET_ID_PROPERTY, "Internal name of the unique custom "
                        + "ticket property holding Parley's session id (one ticket per session)"),
                ConfigField.optional(CREATE_PROPERTY, "true", "Create the ticket-id-property at verify when it is missing "
                        + "(false: create it yourself in HubSpot > Settings > Properties, with unique values)"),
                ConfigField.optional(RATE_LIMIT, "100", "Calls per 10 seconds this token may make, shared by every "
                        + "Parley instance (HubSpot Free/Starter: 100; Professional/Enterprise: 190)"),
                ConfigField.optional(DAILY_LIMIT, "250000", "Calls per day, shared by every Parley instance "
                        + "(HubSpot Free/Starter: 250000)"));
    }

    public static HubSpotSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        String token = c.require(ACCESS_TOKEN).strip();
        if (token.chars().anyMatch(ch -> ch <= ' ')) {
            throw new PermanentException("setting '" + ACCESS_TOKEN + "' must be one token without spaces: copy the "
                    + "private app's access token from HubSpot > Settings > Integrations > Private Apps");
        }
        String base = c.get(BASE_URL).map(String::strip).orElse(DEFAULT_BASE_URL);
        boolean sandbox = base.equalsIgnoreCase(SANDBOX);
        URI baseUri = sandbox ? ctx.sandboxUrl() : uri(base);
        String pipeline = c.require(PIPELINE).strip();
        String stage = c.require(STAGE).strip();
        String owner = c.get(OWNER).map(String::strip).orElse(null);
        if (owner != null && !OWNER_ID.matcher(owner).matches()) {
            throw new PermanentException("setting '" + OWNER + "' must be a HubSpot owner id (digits, from "
                    + "GET /crm/v3/owners or HubSpot > Settings > Users & Teams), not '" + owner + "'");
        }
        String media = c.get(MEDIA).map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse(MEDIA_LINKS);
        if (media.equals(MEDIA_UPLOAD)) {
            throw new PermanentException("setting '" + MEDIA + "': 'upload' is not supported yet; use 'links' "
                    + "(signed links to Parley's copies in the ticket and the note)");
        }
        if (!media.equals(MEDIA_LINKS)) {
            throw new PermanentException("setting '" + MEDIA + "' must be 'links', not '" + media + "'");
        }
        String property = c.get(TICKET_ID_PROPERTY).map(String::strip).orElse(DEFAULT_TICKET_ID_PROPERTY);
        if (!PROPERTY_NAME.matcher(property).matches()) {
            throw new PermanentException("setting '" + TICKET_ID_PROPERTY + "' must be a property's internal name "
                    + "(lower case letters, digits, underscores), not '" + property + "'");
        }
        boolean create = c.getBoolean(CREATE_PROPERTY, true);
        int rate = positive(c, RATE_LIMIT, 100, 1000);
        int daily = positive(c, DAILY_LIMIT, 250_000, 100_000_000);
        return new HubSpotSettings(token, baseUri, sandbox, pipeline, stage, owner, media, property, create, rate, daily);
    }

    /** The bucket prefix of this token's rate limits: a SHA-256 prefix, never the token. */
    public String tokenHash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String base) {
        try {
            URI u = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new PermanentException("setting '" + BASE_URL + "' must be an http(s) URL ('" + DEFAULT_BASE_URL
                    + "') or 'sandbox', not '" + base + "'");
        }
    }

    private static int positive(ConnectionConfig c, String field, int fallback, int max) {
        String v = c.get(field).map(String::strip).orElse(null);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new PermanentException("setting '" + field + "' must be a whole number from 1 to " + max + ", not '" + v + "'");
    }

    @Override
    public String toString() {
        return "HubSpotSettings[baseUri=" + baseUri + ", sandbox=" + sandbox + ", pipeline=" + pipeline + ", stage="
                + stage + ", owner=" + owner + ", media=" + media + ", ticketIdProperty=" + ticketIdProperty
                + ", rateLimit=" + rateLimit + ", dailyLimit=" + dailyLimit + "]";
    }
}
