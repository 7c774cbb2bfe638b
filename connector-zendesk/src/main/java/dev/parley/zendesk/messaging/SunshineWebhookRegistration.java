package dev.parley.zendesk.messaging;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.PermanentException;
import dev.parley.spi.ProviderSetup;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.SetupClaim;
import dev.parley.zendesk.http.ZendeskResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Conversations (Sunshine) custom integration whose one webhook sends agent messages and switchboard
 * changes to Parley's {@code messaging} webhook. Its ids and the webhook's secret (Sunshine shows it only
 * when the integration is created) live in the {@link ConnectionStore}. A webhook that drifted (another
 * target, a trigger gone, the webhook deleted) is repaired by deleting and recreating the integration:
 * one code path, no PATCH (which not every REST client engine sends), and a fresh secret that is stored.
 */
public final class SunshineWebhookRegistration {

    public static final String INTEGRATION_ID = "sc.integration.id";
    public static final String WEBHOOK_ID = "sc.webhook.id";
    public static final String WEBHOOK_SECRET = "sc.webhook.secret";
    /** Who of several instances sets the integration up right now ({@link SetupClaim}). */
    static final String CLAIM = "sc.setup-claim";
    static final Duration STALE_CLAIM = Duration.ofSeconds(60);
    static final List<String> TRIGGERS = List.of("conversation:message", "switchboard:passControl",
            "switchboard:releaseControl");

    private final SunshineClient sunshine;
    private final MessagingSettings settings;
    private final ConnectionContext ctx;
    /** Who of several instances sets up right now; remembers what this instance holds. */
    private final SetupClaim claim;

    public SunshineWebhookRegistration(SunshineClient sunshine, MessagingSettings settings, ConnectionContext ctx) {
        this.sunshine = sunshine;
        this.settings = settings;
        this.ctx = ctx;
        this.claim = new SetupClaim(ctx.store(), () -> ctx.clock().instant(), CLAIM, STALE_CLAIM);
    }

    /** The secrets a webhook call may carry as X-API-Key: the configured one and the registered webhook's. */
    public List<String> secrets() {
        List<String> out = new ArrayList<>(2);
        if (settings.webhookSecret() != null && !settings.webhookSecret().isBlank()) out.add(settings.webhookSecret());
        store().secret(WEBHOOK_SECRET).filter(s -> !s.isBlank()).ifPresent(out::add);
        return out;
    }

    /** Whether a stored integration exists (no call): lets verify() point at the setup without reading it. */
    public boolean registered() {
        return store().get(INTEGRATION_ID).isPresent();
    }

    public ProviderSetup.SetupStatus check() {
        State s = state(store().get(INTEGRATION_ID).orElse(null));
        boolean complete = s.ok && store().secret(WEBHOOK_SECRET).isPresent();
        String line = s.ok && !complete ? s.line + " (its secret is not stored: POST /api/connections/"
                + ctx.connectionId() + "/setup recreates it)" : s.line;
        return new ProviderSetup.SetupStatus(complete, List.of(line), ids());
    }

    /**
     * Creates or repairs the integration, once across instances: the instance that takes the claim {@value #CLAIM}
     * does it and gives the claim up when done; the others answer "being set up" and should look again
     * ({@link #blockedFor}). A claim older than {@link #STALE_CLAIM} (its instance died mid-way) is taken over.
     */
    public ProviderSetup.SetupStatus register() {
        return claim.whileHeld("registering", this::registerClaimed).orElseGet(() -> new ProviderSetup.SetupStatus(false,
                List.of("messaging integration: being set up by another Parley instance (claim "
                        + claim.held().orElse("?") + ")"), ids()));
    }

    /**
     * When the claim that refused this instance's last {@link #register} turns stale (zero if it is already); empty
     * when that register was not refused.
     */
    public Optional<Duration> blockedFor() {
        return claim.blockedFor();
    }

    private ProviderSetup.SetupStatus registerClaimed() {
        String id = store().get(INTEGRATION_ID).orElse(null);
        State s = state(id);
        if (s.ok && store().secret(WEBHOOK_SECRET).isEmpty()) {
            // The ids survived but the secret did not: take it from the answer if Sunshine shows it there.
            String secret = Jsons.nonBlank(s.webhook, "secret");
            if (secret != null) {
                store().putSecret(WEBHOOK_SECRET, secret);
            } else {
                s = new State(true, false, null, s.line);
            }
        }
        if (!s.ok) {
            if (s.exists) {
                deleteIntegration(id);
                ctx.log().info("Zendesk messaging integration " + id + " deleted to be recreated: " + s.line);
            }
            forget();
            return new ProviderSetup.SetupStatus(true, List.of(createIntegration()), ids());
        }
        return new ProviderSetup.SetupStatus(true, List.of(s.line), ids());
    }

    public ProviderSetup.SetupStatus unregister() {
        String id = store().get(INTEGRATION_ID).orElse(null);
        String line;
        if (id != null) {
            deleteIntegration(id);
            line = "messaging integration " + id + ": deleted";
        } else {
            line = "messaging integration: none registered";
        }
        forget();
        return new ProviderSetup.SetupStatus(false, List.of(line), ids());
    }

    // --- reading

    /** What exists; {@code webhook} is the matching webhook object when there is one. */
    private record State(boolean exists, boolean ok, JsonObject webhook, String line) {
    }

    private State state(String id) {
        if (id == null) return new State(false, false, null, "messaging integration: missing");
        ZendeskResponse r = sunshine.call("read the Zendesk messaging integration " + id,
                (api, auth, appId) -> api.integration(auth, appId, id));
        if (r.status() == 404) {
            return new State(false, false, null, "messaging integration " + id + ": missing (deleted in Zendesk)");
        }
        if (!r.ok()) throw SunshineClient.failure("read the Zendesk messaging integration " + id, r);
        JsonObject integration = Jsons.object(r.json(), "integration");
        String status = Jsons.string(integration, "status");
        if (status != null && !"active".equals(status)) {
            return new State(true, false, null, "messaging integration " + id + ": " + status);
        }
        JsonObject webhook = webhook(integration, store().get(WEBHOOK_ID).orElse(null));
        if (webhook == null) {
            return new State(true, false, null, "messaging integration " + id + ": drifted (its webhook is gone)");
        }
        String hookId = Jsons.string(webhook, "id");
        String target = Jsons.string(webhook, "target");
        if (!target().equals(target)) {
            return new State(true, false, webhook, "messaging integration " + id + " webhook " + hookId + ": drifted -> "
                    + target + " (expected " + target() + ")");
        }
        List<String> missing = missingTriggers(webhook);
        if (!missing.isEmpty()) {
            return new State(true, false, webhook, "messaging integration " + id + " webhook " + hookId
                    + ": drifted (triggers " + String.join(", ", missing) + " missing)");
        }
        return new State(true, true, webhook, "messaging integration " + id + " webhook " + hookId + ": active -> " + target);
    }

    /** The webhook with the stored id, or (no id stored) the integration's only one. */
    private static JsonObject webhook(JsonObject integration, String webhookId) {
        JsonArray hooks = Jsons.array(integration, "webhooks");
        if (hooks == null) return null;
        for (JsonValue v : hooks) {
            if (v instanceof JsonObject w && (webhookId == null || webhookId.equals(Jsons.string(w, "id")))) return w;
        }
        return null;
    }

    /** Our triggers absent from the answer; none when the answer lists no triggers at all (not judged). */
    private static List<String> missingTriggers(JsonObject webhook) {
        JsonArray triggers = Jsons.array(webhook, "triggers");
        if (triggers == null) return List.of();
        List<String> have = new ArrayList<>();
        for (JsonValue v : triggers) if (v instanceof JsonString s) have.add(s.getString());
        return TRIGGERS.stream().filter(t -> !have.contains(t)).toList();
    }

    // --- writing

    /** Creates the integration, stores its ids and secret; returns the status line. */
    private String createIntegration() {
        String body = body().toString();
        JsonObject r = sunshine.ok("create the Zendesk messaging webhook",
                (api, auth, appId) -> api.createIntegration(auth, appId, body));
        JsonObject integration = Jsons.object(r, "integration");
        String id = Jsons.nonBlank(integration, "id");
        JsonArray hooks = Jsons.array(integration, "webhooks");
        JsonObject hook = hooks != null && !hooks.isEmpty() && hooks.get(0) instanceof JsonObject w ? w : null;
        String hookId = Jsons.nonBlank(hook, "id");
        if (id == null || hookId == null) {
            throw new PermanentException("create the Zendesk messaging webhook: the answer has no integration or "
                    + "webhook id");
        }
        // Ids first: whatever happens next, unregister can still delete what was created.
        store().put(INTEGRATION_ID, id);
        store().put(WEBHOOK_ID, hookId);
        String secret = Jsons.nonBlank(hook, "secret");
        if (secret == null) {
            throw new PermanentException("create the Zendesk messaging webhook: the answer has no webhook secret; set '"
                    + MessagingSettings.WEBHOOK_SECRET + "' to the webhook's secret from Admin Center instead");
        }
        store().putSecret(WEBHOOK_SECRET, secret);
        ctx.log().info("Zendesk messaging integration " + id + " (webhook " + hookId + ") created for " + target());
        return "messaging integration " + id + " webhook " + hookId + ": created -> " + target();
    }

    JsonObject body() {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("type", "custom")
                .add("status", "active")
                .add("displayName", "Parley " + settings.zendesk().installation() + " " + ctx.connectionId())
                .add("webhooks", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("target", target())
                        .add("triggers", Jsons.BUILDERS.createArrayBuilder(TRIGGERS))
                        .add("includeFullUser", false)
                        .add("includeFullSource", true)))
                .build();
    }

    private void deleteIntegration(String id) {
        ZendeskResponse r = sunshine.call("delete the Zendesk messaging integration " + id,
                (api, auth, appId) -> api.deleteIntegration(auth, appId, id));
        if (!r.ok() && r.status() != 404) throw SunshineClient.failure("delete the Zendesk messaging integration " + id, r);
    }

    private void forget() {
        store().remove(INTEGRATION_ID);
        store().remove(WEBHOOK_ID);
        store().remove(WEBHOOK_SECRET);
    }

    private String target() {
        return ctx.webhookUrl(ZendeskMessagingConnector.MESSAGING_WEBHOOK).toString();
    }

    private ConnectionStore store() {
        return ctx.store();
    }

    /** The stored ids, never the secret. */
    private Map<String, String> ids() {
        Map<String, String> out = new LinkedHashMap<>();
        store().get(INTEGRATION_ID).ifPresent(v -> out.put(INTEGRATION_ID, v));
        store().get(WEBHOOK_ID).ifPresent(v -> out.put(WEBHOOK_ID, v));
        return out;
    }
}
