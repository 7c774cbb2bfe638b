package dev.parley.zendesk.setup;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.Finding;
import dev.parley.spi.PermanentException;
import dev.parley.spi.ProviderSetup;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.SetupClaim;
import dev.parley.zendesk.ZendeskConnector;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
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
 * The webhook and triggers Zendesk needs to call Parley back. Objects are named per installation and
 * connection; their ids (and the webhook's signing secret) live in the {@link ConnectionStore}, so every
 * Parley instance and every restart finds them again. Triggers only fire on tickets carrying this
 * installation's tag, so two Parleys on one Zendesk never take each other's tickets.
 */
public final class WebhookRegistration {

    public static final String WEBHOOK_ID = "webhook.id";
    public static final String SIGNING_SECRET = "webhook.signing-secret";
    /** Who of several instances sets up right now ({@link SetupClaim}). */
    static final String CLAIM = "setup-claim";
    static final Duration STALE_CLAIM = Duration.ofSeconds(60);

    /** One trigger Parley keeps: its stored key, title suffix and event name. */
    enum Trigger {
        AGENT_REPLY("trigger.agent-reply.id", "agent reply", "agent_comment",
                "agents' public replies on handed-off tickets never reach the customers"),
        SOLVED("trigger.solved.id", "solved", "solved",
                "solving a handed-off ticket does not end its handoff: the bot stays silent for that customer"),
        ASSIST("trigger.assist.id", "customer comment", "customer_comment",
                "Parley suggests no answers on customers' new tickets and comments (assist)");

        final String key;
        final String label;
        final String event;
        /** What the operator notices when this trigger does not fire. */
        final String symptom;

        Trigger(String key, String label, String event, String symptom) {
            this.key = key;
            this.label = label;
            this.event = event;
            this.symptom = symptom;
        }
    }

    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;
    /** Who of several instances sets up right now; remembers what this instance holds. */
    private final SetupClaim claim;

    public WebhookRegistration(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
        this.claim = new SetupClaim(ctx.store(), () -> ctx.clock().instant(), CLAIM, STALE_CLAIM);
    }

    /** The secrets a webhook call may be signed with: the configured one and the registered webhook's. */
    public List<String> signingSecrets() {
        List<String> out = new ArrayList<>(2);
        if (settings.webhookSecret() != null && !settings.webhookSecret().isBlank()) out.add(settings.webhookSecret());
        store().secret(SIGNING_SECRET).filter(s -> !s.isBlank()).ifPresent(out::add);
        return out;
    }

    public ProviderSetup.SetupStatus check() {
        List<String> items = new ArrayList<>();
        boolean complete = true;
        String webhookId = store().get(WEBHOOK_ID).orElse(null);
        State hook = webhookState(webhookId);
        items.add(hook.line);
        complete &= hook.ok;
        for (Trigger t : triggers()) {
            State s = triggerState(t, store().get(t.key).orElse(null), hook.ok ? webhookId : null);
            items.add(s.line);
            complete &= s.ok;
        }
        return new ProviderSetup.SetupStatus(complete, items, ids());
    }

    /**
     * The doctor's view of {@link #check}: one finding for the webhook and one per trigger, each saying what the
     * operator notices, why, and what to do. Reads only. A trigger is compared with the webhook Parley stored even when
     * that webhook is inactive or points elsewhere, so one broken webhook is reported once, not once per trigger.
     */
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        String setup = "POST /api/connections/" + ctx.connectionId() + "/setup";
        String webhookId = store().get(WEBHOOK_ID).orElse(null);
        State hook = webhookState(webhookId);
        String noCalls = "Zendesk does not call Parley: agents' replies on handed-off tickets never reach the customers "
                + "and solving a ticket does not end its handoff";
        out.add(switch (hook.problem) {
            case NONE -> Finding.ok("zendesk.webhook", "webhook " + webhookId + " is active and calls " + endpoint());
            case MISSING -> Finding.error("zendesk.webhook", noCalls, webhookId == null
                            ? "no Zendesk webhook is registered for this connection (setup never ran, or its ids were removed)"
                            : "the webhook " + webhookId + " Parley registered was deleted in Zendesk",
                    setup + " creates it and points the triggers at it (or set auto-register=true and restart the "
                            + "connection)");
            case INACTIVE -> Finding.error("zendesk.webhook", noCalls, "the webhook " + webhookId + " is " + hook.status + " in Zendesk (someone "
                            + "deactivated it in Admin Center > Apps and integrations > Webhooks, or Zendesk did after "
                            + "its calls kept failing)",
                    "if Zendesk deactivated it, first see why Parley refused its calls (the webhook.rejected finding, "
                            + "GET /api/connections/" + ctx.connectionId() + "/logs); then " + setup
                            + " replaces it with an active one");
            case ELSEWHERE -> Finding.error("zendesk.webhook", noCalls, "the webhook " + webhookId + " calls "
                            + hook.endpoint + ", not this Parley's " + endpoint() + " (it was edited in Zendesk, or "
                            + "Parley's public URL changed since setup)",
                    "check parley.public-url is the address Zendesk reaches this Parley at, then " + setup
                            + " replaces the webhook with one that calls it");
        });
        for (Trigger t : triggers()) {
            String id = store().get(t.key).orElse(null);
            State s = triggerState(t, id, hook.exists ? webhookId : null);
            out.add(switch (s.problem) {
                case NONE -> Finding.ok("zendesk.trigger", "trigger " + id + " '" + title(t) + "' is active and calls "
                        + "webhook " + webhookId);
                case MISSING -> Finding.error("zendesk.trigger", t.symptom, id == null
                                ? "the trigger '" + title(t) + "' is not registered (setup never ran, or its id was removed)"
                                : "the trigger " + id + " '" + title(t) + "' was deleted in Zendesk",
                        setup + " creates it");
                case INACTIVE -> Finding.error("zendesk.trigger", t.symptom, "the trigger " + id + " '" + title(t)
                                + "' is deactivated in Zendesk (Admin Center > Objects and rules > Business rules > Triggers)",
                        "activate it there, or " + setup + " repairs it");
                case ELSEWHERE -> Finding.error("zendesk.trigger", t.symptom, "the trigger " + id + " '" + title(t)
                                + "' does not call " + (hook.exists ? "Parley's webhook " + webhookId
                                : "a webhook that exists (Parley's webhook is missing)")
                                + " (its action was edited in Zendesk, or the webhook was replaced)",
                        setup + " points it at Parley's webhook");
            });
        }
        return out;
    }

    /**
     * Creates or repairs the webhook and the triggers, once across instances: the instance that takes the claim
     * {@value #CLAIM} does it and gives the claim up when done (the ids it stored are what the others check then);
     * the others answer "being set up" and should {@link #blockedFor look again}. A claim older than
     * {@link #STALE_CLAIM} (its instance died mid-way) is taken over.
     */
    public ProviderSetup.SetupStatus register() {
        return claim.whileHeld("registering", this::registerClaimed).orElseGet(() -> new ProviderSetup.SetupStatus(false,
                List.of("webhook and triggers: being set up by another Parley instance (claim "
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
        List<String> items = new ArrayList<>();
        String webhookId = store().get(WEBHOOK_ID).orElse(null);
        if (webhookId == null) {
            // Ids lost (a new database): adopt this installation's webhook rather than make a second one
            // (trial accounts allow ten).
            webhookId = findOwnWebhook();
            if (webhookId != null) {
                store().put(WEBHOOK_ID, webhookId);
                ctx.log().info("Zendesk webhook " + webhookId + " adopted: it has this installation's name and endpoint");
            }
        }
        State hook = webhookState(webhookId);
        if (!hook.ok) {
            if (hook.exists) {
                // An endpoint or status that drifted: a webhook's subscription cannot change, so it is recreated.
                deleteWebhook(webhookId);
            }
            webhookId = createWebhook();
            store().put(WEBHOOK_ID, webhookId);
            store().remove(SIGNING_SECRET);
            ctx.log().info("Zendesk webhook " + webhookId + " created for " + endpoint());
        }
        if (store().secret(SIGNING_SECRET).isEmpty()) {
            store().putSecret(SIGNING_SECRET, signingSecret(webhookId));
        }
        items.add("webhook " + webhookId + ": active -> " + endpoint());
        for (Trigger t : triggers()) {
            String id = store().get(t.key).orElse(null);
            State s = triggerState(t, id, webhookId);
            String body = triggerBody(t, webhookId).toString();
            if (!s.exists) {
                JsonObject r = client.ok("create the Zendesk trigger '" + title(t) + "'",
                        (api, auth) -> api.createTrigger(auth, body));
                Long created = Jsons.integer(Jsons.object(r, "trigger"), "id");
                if (created == null) {
                    throw new PermanentException("create the Zendesk trigger '" + title(t) + "': the answer has no id");
                }
                id = String.valueOf(created);
                store().put(t.key, id);
                ctx.log().info("Zendesk trigger " + id + " (" + t.label + ") created");
            } else if (!s.ok) {
                long tid = Long.parseLong(id);
                client.ok("repair the Zendesk trigger " + id, (api, auth) -> api.updateTrigger(auth, tid, body));
                ctx.log().info("Zendesk trigger " + id + " (" + t.label + ") repaired");
            }
            items.add("trigger " + id + " " + t.label + ": active");
        }
        if (!settings.assist()) {
            // Assist switched off: its trigger must stop calling.
            store().get(Trigger.ASSIST.key).ifPresent(id -> {
                deleteTrigger(id);
                store().remove(Trigger.ASSIST.key);
                items.add("trigger " + id + " " + Trigger.ASSIST.label + ": deleted (assist is off)");
            });
        }
        return new ProviderSetup.SetupStatus(true, items, ids());
    }

    public ProviderSetup.SetupStatus unregister() {
        List<String> items = new ArrayList<>();
        for (Trigger t : Trigger.values()) {
            store().get(t.key).ifPresent(id -> {
                deleteTrigger(id);
                store().remove(t.key);
                items.add("trigger " + id + " " + t.label + ": deleted");
            });
        }
        store().get(WEBHOOK_ID).ifPresent(id -> {
            deleteWebhook(id);
            items.add("webhook " + id + ": deleted");
        });
        store().remove(WEBHOOK_ID);
        store().remove(SIGNING_SECRET);
        if (items.isEmpty()) items.add("nothing registered");
        return new ProviderSetup.SetupStatus(false, items, ids());
    }

    // --- reading

    /** What is wrong with a registered object, for the doctor's wording. */
    private enum Problem { NONE, MISSING, INACTIVE, ELSEWHERE }

    /** @param status, endpoint the webhook's as Zendesk has them (null for a trigger, or when missing) */
    private record State(boolean exists, boolean ok, String line, Problem problem, String status, String endpoint) {
        State(boolean exists, boolean ok, String line) {
            this(exists, ok, line, ok ? Problem.NONE : exists ? Problem.ELSEWHERE : Problem.MISSING, null, null);
        }
    }

    private State webhookState(String id) {
        if (id == null) return new State(false, false, "webhook: missing");
        ZendeskResponse r = client.call("read the Zendesk webhook " + id, (api, auth) -> api.webhook(auth, id));
        if (r.status() == 404) return new State(false, false, "webhook " + id + ": missing (deleted in Zendesk)");
        if (!r.ok()) throw ZendeskClient.failure("read the Zendesk webhook " + id, r);
        JsonObject w = Jsons.object(r.json(), "webhook");
        String endpoint = Jsons.string(w, "endpoint");
        String status = String.valueOf(Jsons.string(w, "status"));
        if (!endpoint().equals(endpoint)) {
            return new State(true, false, "webhook " + id + ": drifted -> " + endpoint + " (expected " + endpoint() + ")",
                    Problem.ELSEWHERE, status, endpoint);
        }
        if (!"active".equals(status)) {
            return new State(true, false, "webhook " + id + ": " + status + " -> " + endpoint, Problem.INACTIVE, status,
                    endpoint);
        }
        return new State(true, true, "webhook " + id + ": active -> " + endpoint);
    }

    private State triggerState(Trigger t, String id, String webhookId) {
        if (id == null) return new State(false, false, "trigger " + t.label + ": missing");
        long tid;
        try {
            tid = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return new State(false, false, "trigger " + t.label + ": missing (stored id '" + id + "' is not a number)");
        }
        ZendeskResponse r = client.call("read the Zendesk trigger " + id, (api, auth) -> api.trigger(auth, tid));
        if (r.status() == 404) return new State(false, false, "trigger " + id + " " + t.label + ": missing (deleted in Zendesk)");
        if (!r.ok()) throw ZendeskClient.failure("read the Zendesk trigger " + id, r);
        JsonObject trig = Jsons.object(r.json(), "trigger");
        if (!Jsons.bool(trig, "active", false)) {
            return new State(true, false, "trigger " + id + " " + t.label + ": inactive", Problem.INACTIVE, null, null);
        }
        if (webhookId == null || !webhookId.equals(actionWebhook(trig))) {
            return new State(true, false, "trigger " + id + " " + t.label + ": drifted (does not call webhook "
                    + (webhookId == null ? "(none)" : webhookId) + ")");
        }
        return new State(true, true, "trigger " + id + " " + t.label + ": active");
    }

    private static String actionWebhook(JsonObject trigger) {
        JsonArray actions = Jsons.array(trigger, "actions");
        for (JsonValue v : actions == null ? List.<JsonValue>of() : actions) {
            if (v instanceof JsonObject a && "notification_webhook".equals(Jsons.string(a, "field"))
                    && a.get("value") instanceof JsonArray value && !value.isEmpty()
                    && value.get(0) instanceof JsonString s) {
                return s.getString();
            }
        }
        return null;
    }

    // --- writing

    private String createWebhook() {
        String body = Jsons.BUILDERS.createObjectBuilder().add("webhook", Jsons.BUILDERS.createObjectBuilder()
                .add("name", name())
                .add("description", "Managed by Parley (installation " + settings.installation() + ", connection "
                        + ctx.connectionId() + "): calls Parley when agents reply to or solve its tickets. "
                        + "Changes are undone by Parley's setup.")
                .add("status", "active")
                .add("endpoint", endpoint())
                .add("http_method", "POST")
                .add("request_format", "json")
                .add("subscriptions", Jsons.BUILDERS.createArrayBuilder().add("conditional_ticket_events")))
                .build().toString();
        JsonObject r = client.ok("create the Zendesk webhook", (api, auth) -> api.createWebhook(auth, body));
        String id = Jsons.nonBlank(Jsons.object(r, "webhook"), "id");
        if (id == null) throw new PermanentException("create the Zendesk webhook: the answer has no id");
        return id;
    }

    /** The id of an active webhook with this installation's name and endpoint, or null. */
    private String findOwnWebhook() {
        ZendeskResponse r = client.call("look for this installation's Zendesk webhook",
                (api, auth) -> api.webhooks(auth, name()));
        if (!r.ok()) {
            return null; // a lookup is a courtesy: creating a new webhook still works
        }
        JsonArray hooks = Jsons.array(r.json(), "webhooks");
        for (JsonValue v : hooks == null ? List.<JsonValue>of() : hooks) {
            if (v instanceof JsonObject w && name().equals(Jsons.string(w, "name"))
                    && endpoint().equals(Jsons.string(w, "endpoint")) && "active".equals(Jsons.string(w, "status"))) {
                return Jsons.nonBlank(w, "id");
            }
        }
        return null;
    }

    private String signingSecret(String webhookId) {
        JsonObject r = client.ok("read the Zendesk webhook's signing secret",
                (api, auth) -> api.signingSecret(auth, webhookId));
        String secret = Jsons.nonBlank(Jsons.object(r, "signing_secret"), "secret");
        if (secret == null) {
            throw new PermanentException("read the Zendesk webhook's signing secret: the answer has none; set '"
                    + ZendeskSettings.WEBHOOK_SECRET + "' from Admin Center > Webhooks instead");
        }
        return secret;
    }

    private void deleteWebhook(String id) {
        ZendeskResponse r = client.call("delete the Zendesk webhook " + id, (api, auth) -> api.deleteWebhook(auth, id));
        if (!r.ok() && r.status() != 404) throw ZendeskClient.failure("delete the Zendesk webhook " + id, r);
    }

    private void deleteTrigger(String id) {
        long tid;
        try {
            tid = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return; // never a Zendesk trigger id: nothing to delete
        }
        ZendeskResponse r = client.call("delete the Zendesk trigger " + id, (api, auth) -> api.deleteTrigger(auth, tid));
        if (!r.ok() && r.status() != 404) throw ZendeskClient.failure("delete the Zendesk trigger " + id, r);
    }

    JsonObject triggerBody(Trigger t, String webhookId) {
        JsonArrayBuilder all = Jsons.BUILDERS.createArrayBuilder();
        switch (t) {
            case AGENT_REPLY -> {
                all.add(condition("update_type", "is", "Change"));
                all.add(condition("comment_is_public", "is", "true"));
                all.add(condition("current_tags", "includes", settings.installationTag()));
                all.add(condition("role", "is", "agent"));
                // Only while the handoff can still be open: comments on solved tickets or on conversations the
                // customer ended would be answered 422 (no open handoff) and feed Zendesk's circuit breaker.
                all.add(condition("status", "less_than", "solved"));
                all.add(condition("current_tags", "not_includes", settings.tag("customer_closed")));
            }
            case SOLVED -> {
                // "Changed to" solved, not "is" solved: the latter fires on every later update of a solved ticket.
                all.add(condition("status", "value", "solved"));
                all.add(condition("update_type", "is", "Change"));
                all.add(condition("current_tags", "includes", settings.installationTag()));
            }
            case ASSIST -> {
                all.add(condition("update_type", "is", "Change"));
                all.add(condition("comment_is_public", "is", "true"));
                all.add(condition("role", "is", "end_user"));
                all.add(condition("current_tags", "not_includes", settings.tag("handed_off")));
                all.add(condition("status", "less_than", "solved"));
            }
            default -> throw new IllegalStateException(t.name());
        }
        String payload = "{\"ticket_id\":\"{{ticket.id}}\",\"external_id\":\"{{ticket.external_id}}\","
                + "\"status\":\"{{ticket.status}}\",\"event\":\"" + t.event + "\"}";
        return Jsons.BUILDERS.createObjectBuilder().add("trigger", Jsons.BUILDERS.createObjectBuilder()
                .add("title", title(t))
                .add("active", true)
                .add("conditions", Jsons.BUILDERS.createObjectBuilder().add("all", all)
                        .add("any", Jsons.BUILDERS.createArrayBuilder()))
                .add("actions", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("field", "notification_webhook")
                        .add("value", Jsons.BUILDERS.createArrayBuilder().add(webhookId).add(payload)))))
                .build();
    }

    private static JsonObject condition(String field, String operator, String value) {
        return Jsons.BUILDERS.createObjectBuilder().add("field", field).add("operator", operator).add("value", value)
                .build();
    }

    private List<Trigger> triggers() {
        return settings.assist() ? List.of(Trigger.AGENT_REPLY, Trigger.SOLVED, Trigger.ASSIST)
                : List.of(Trigger.AGENT_REPLY, Trigger.SOLVED);
    }

    private String name() {
        return "Parley " + settings.installation() + " " + ctx.connectionId();
    }

    private String title(Trigger t) {
        return name() + ": " + t.label;
    }

    private String endpoint() {
        return ctx.webhookUrl(ZendeskConnector.TICKET_WEBHOOK).toString();
    }

    private ConnectionStore store() {
        return ctx.store();
    }

    /** The stored ids, never the signing secret. */
    private Map<String, String> ids() {
        Map<String, String> out = new LinkedHashMap<>();
        store().get(WEBHOOK_ID).ifPresent(v -> out.put(WEBHOOK_ID, v));
        for (Trigger t : Trigger.values()) store().get(t.key).ifPresent(v -> out.put(t.key, v));
        return out;
    }
}
