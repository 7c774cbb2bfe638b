package dev.parley.zendesk;

import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated settings of a {@code zendesk} connection (and the Zendesk part of {@code zendesk-messaging}).
 * {@link #toString()} never shows a secret.
 *
 * @param subdomain         the account's subdomain ({@code acme} of {@code acme.zendesk.com})
 * @param email             the API user's email
 * @param apiToken          the API token (secret)
 * @param webhookSecret     the signing secret of a webhook created by hand; null when Parley registers it
 * @param baseUri           {@code https://<subdomain>.zendesk.com}, the base-url override, or the sandbox URL
 * @param sandbox           true when base-url=sandbox
 * @param tagPrefix         prefix of every tag Parley sets ({@code parley_})
 * @param customFields      AI field name to Zendesk custom ticket field id
 * @param knowledge         sync Help Center articles into the bots' knowledge
 * @param syncInterval      how often the incremental Help Center sync runs
 * @param rateLimit         the most requests Parley sends per {@code rateWindow}
 * @param rateWindow        the rate limit's window (a minute on every Zendesk plan)
 * @param maxRetries        retries of a 429, 5xx or network failure before the failure is recorded
 * @param replayWindow      how old a signed webhook may be
 * @param installation      what makes registered webhooks, triggers and tags unique to this installation
 * @param autoRegister      create or repair the webhook and triggers at every start
 * @param assist            register the assist trigger: customer comments on tickets Parley did not open
 * @param assistSkipTopics  topics assist mode never suggests on, lower case
 */
public record ZendeskSettings(String subdomain, String email, String apiToken, String webhookSecret, URI baseUri,
                              boolean sandbox, String tagPrefix, Map<String, Long> customFields, boolean knowledge,
                              Duration syncInterval, int rateLimit, Duration rateWindow, int maxRetries,
                              Duration replayWindow, String installation, boolean autoRegister,
                              boolean assist, Set<String> assistSkipTopics) {

    public static final String SUBDOMAIN = "subdomain";
    public static final String EMAIL = "email";
    public static final String API_TOKEN = "api-token";
    public static final String WEBHOOK_SECRET = "webhook-secret";
    public static final String BASE_URL = "base-url";
    public static final String TAG_PREFIX = "tag-prefix";
    public static final String CUSTOM_FIELDS = "custom-fields";
    public static final String KNOWLEDGE = "knowledge";
    public static final String SYNC_INTERVAL = "sync-interval";
    public static final String RATE_LIMIT = "rate-limit";
    public static final String RATE_WINDOW = "rate-window-seconds";
    public static final String MAX_RETRIES = "max-retries";
    public static final String REPLAY_WINDOW = "replay-window-seconds";
    public static final String INSTALLATION = "installation";
    public static final String AUTO_REGISTER = "auto-register";
    public static final String ASSIST = "assist";
    public static final String ASSIST_SKIP_TOPICS = "assist-skip-topics";
    public static final String SANDBOX = "sandbox";

    private static final Pattern SUBDOMAIN_SHAPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TAG_SHAPE = Pattern.compile("[a-z0-9_]{0,40}");

    /** The fields of a {@code zendesk} connection, in the order of the configuration reference. */
    public static List<ConfigField> fields() {
        return List.of(
                ConfigField.required(SUBDOMAIN, "The account's subdomain: 'acme' for acme.zendesk.com (not the host or a URL)"),
                ConfigField.required(EMAIL, "Email of the Zendesk user Parley acts as (an admin, or an agent allowed to manage end users)"),
                ConfigField.secret(API_TOKEN, "API token (Admin Center > Apps and integrations > APIs > Zendesk API); token access must be on"),
                ConfigField.optionalSecret(WEBHOOK_SECRET, "Signing secret of a webhook you created by hand; "
                        + "not needed when Parley registers the webhook (it reads Zendesk's secret)"),
                ConfigField.optional(BASE_URL, null, "Override of https://<subdomain>.zendesk.com (a proxy, a test stub), "
                        + "or 'sandbox' for Parley's built-in stand-in"),
                ConfigField.optional(TAG_PREFIX, "parley_", "Prefix of every tag Parley sets (lower case letters, digits, _)"),
                ConfigField.optional(CUSTOM_FIELDS, null, "AI fields to custom ticket fields: 'order_number=360001234567,product=360007654321'"),
                ConfigField.optional(KNOWLEDGE, "true", "Sync published, unrestricted Help Center articles into the bots' knowledge"),
                ConfigField.optional(SYNC_INTERVAL, "hourly", "How often the Help Center sync runs: hourly or daily"),
                ConfigField.optional(RATE_LIMIT, "200", "Most Zendesk API requests per window to this account (its subdomain), shared by every connection on it "
                        + "and every Parley instance on the database "
                        + "(your plan's limit: 200 Team, 400 Growth/Professional, 700 Enterprise)"),
                ConfigField.optional(RATE_WINDOW, "60", "The rate limit's window in seconds (Zendesk counts per minute)"),
                ConfigField.optional(MAX_RETRIES, "3", "Retries of a 429, 5xx or network failure before it is recorded"),
                ConfigField.optional(REPLAY_WINDOW, "300", "How old (seconds) a signed Zendesk webhook call may be"),
                ConfigField.optional(INSTALLATION, null, "Name that keeps this installation's webhook, triggers and tags apart "
                        + "from another Parley's on the same Zendesk; default: derived from this connection's webhook URL"),
                ConfigField.optional(AUTO_REGISTER, "false", "Create or repair the webhook and triggers at every start"),
                ConfigField.optional(ASSIST, "false", "Assist mode: suggest answers as internal notes on tickets Parley did not open "
                        + "(the agent with parley.agent.<id>.assist=<this connection> answers)"),
                ConfigField.optional(ASSIST_SKIP_TOPICS, "", "Topics assist mode never suggests on, comma separated (e.g. billing,legal)"));
    }

    /** Reads and validates; never calls Zendesk. */
    public static ZendeskSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        String subdomain = subdomain(c.require(SUBDOMAIN));
        String email = c.require(EMAIL).strip();
        if (!email.contains("@")) {
            throw new PermanentException("setting '" + EMAIL + "' must be the email of a Zendesk user, e.g. bot@acme.com");
        }
        String token = c.require(API_TOKEN).strip();
        String baseUrl = c.get(BASE_URL).map(String::strip).orElse(null);
        boolean sandbox = SANDBOX.equalsIgnoreCase(baseUrl);
        URI base;
        if (sandbox) {
            base = ctx.sandboxUrl();
        } else if (baseUrl != null) {
            try {
                base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
                if (base.getScheme() == null || base.getHost() == null) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                throw new PermanentException("setting '" + BASE_URL + "' must be an http(s) URL or 'sandbox'");
            }
        } else {
            base = URI.create("https://" + subdomain + ".zendesk.com");
        }
        String prefix = c.get(TAG_PREFIX).orElse("parley_").strip().toLowerCase(Locale.ROOT);
        if (!TAG_SHAPE.matcher(prefix).matches()) {
            throw new PermanentException("setting '" + TAG_PREFIX + "' may hold only lower case letters, digits and _ "
                    + "(at most 40), e.g. parley_");
        }
        String installation = c.get(INSTALLATION).map(String::strip).map(s -> s.toLowerCase(Locale.ROOT))
                .orElseGet(() -> shortHash(ctx.webhookUrl("ticket").toString()));
        if (!TAG_SHAPE.matcher(installation).matches() || installation.isEmpty()) {
            throw new PermanentException("setting '" + INSTALLATION + "' may hold only lower case letters, digits and _");
        }
        return new ZendeskSettings(subdomain, email, token, c.get(WEBHOOK_SECRET).map(String::strip).orElse(null), base,
                sandbox, prefix, customFields(c.get(CUSTOM_FIELDS).orElse("")), c.getBoolean(KNOWLEDGE, true),
                interval(c.get(SYNC_INTERVAL).orElse("hourly")), positive(c, RATE_LIMIT, 200),
                Duration.ofSeconds(positive(c, RATE_WINDOW, 60)), nonNegative(c, MAX_RETRIES, 3),
                Duration.ofSeconds(positive(c, REPLAY_WINDOW, 300)), installation, c.getBoolean(AUTO_REGISTER, false),
                c.getBoolean(ASSIST, false), topics(c.get(ASSIST_SKIP_TOPICS).orElse("")));
    }

    /** {@code Basic base64(email/token:api_token)}: Zendesk's API-token scheme. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
    }

    /** A tag with this installation's prefix, e.g. {@code tag("handed_off")} is {@code parley_handed_off}. */
    public String tag(String suffix) {
        return tagPrefix + suffix;
    }

    /** The tag that marks tickets of this installation, which its triggers filter on. */
    public String installationTag() {
        return tagPrefix + "i_" + installation;
    }

    /** Accepts {@code acme}; refuses a host or URL with a message that says what to enter. */
    static String subdomain(String raw) {
        String v = raw.strip().toLowerCase(Locale.ROOT);
        if (v.contains("://") || v.contains(".") || v.contains("/")) {
            String guess = v.replaceFirst("^[a-z]+://", "").replaceFirst("[./].*$", "");
            throw new PermanentException("setting '" + SUBDOMAIN + "' takes only the subdomain"
                    + (guess.isEmpty() ? "" : ", e.g. '" + guess + "'") + ", not a host or URL ('" + clip(raw) + "')");
        }
        if (!SUBDOMAIN_SHAPE.matcher(v).matches()) {
            throw new PermanentException("setting '" + SUBDOMAIN + "' must be letters, digits and dashes, "
                    + "like 'acme' for acme.zendesk.com");
        }
        return v;
    }

    static Map<String, Long> customFields(String raw) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) continue;
            String[] kv = pair.split("=", 2);
            try {
                if (kv.length != 2 || kv[0].isBlank()) throw new NumberFormatException();
                out.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new PermanentException("setting '" + CUSTOM_FIELDS + "' must be name=fieldId pairs separated by "
                        + "commas, e.g. order_number=360001234567; '" + clip(pair.strip()) + "' is not");
            }
        }
        return Map.copyOf(out);
    }

    static Duration interval(String raw) {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "hourly" -> Duration.ofHours(1);
            case "daily" -> Duration.ofDays(1);
            default -> throw new PermanentException("setting '" + SYNC_INTERVAL + "' must be hourly or daily");
        };
    }

    private static Set<String> topics(String raw) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).forEach(out::add);
        return Set.copyOf(out);
    }

    private static int positive(ConnectionConfig c, String field, int fallback) {
        int v = integer(c, field, fallback);
        if (v < 1) throw new PermanentException("setting '" + field + "' must be at least 1");
        return v;
    }

    private static int nonNegative(ConnectionConfig c, String field, int fallback) {
        int v = integer(c, field, fallback);
        if (v < 0) throw new PermanentException("setting '" + field + "' must be 0 or more");
        return v;
    }

    private static int integer(ConnectionConfig c, String field, int fallback) {
        String v = c.get(field).map(String::strip).orElse(null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new PermanentException("setting '" + field + "' must be a whole number, not '" + clip(v) + "'");
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("subdomain=" + subdomain);
        parts.add("email=" + email);
        parts.add("base=" + baseUri);
        parts.add("installation=" + installation);
        return "ZendeskSettings[" + String.join(", ", parts) + "]";
    }
}
