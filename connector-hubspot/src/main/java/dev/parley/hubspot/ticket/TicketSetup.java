package dev.parley.hubspot.ticket;

import dev.parley.hubspot.HubSpotSettings;
import dev.parley.hubspot.http.HubSpotClient;
import dev.parley.hubspot.http.HubSpotResponse;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a handoff needs to know about the account, looked up at verify and cached: the portal (for ticket links),
 * the pipeline and stage ids (configured by id or label), and the unique ticket property used for the upsert.
 */
public final class TicketSetup {

    static final String SCOPE_TICKETS = "tickets";
    static final String PORTAL_KEY = "portal-id";
    static final String UI_DOMAIN_KEY = "ui-domain";
    static final String DEFAULT_UI_DOMAIN = "app.hubspot.com";

    /** The pipeline and stage new tickets get, by HubSpot's ids. */
    public record Target(String pipelineId, String pipelineLabel, String stageId, String stageLabel) {
    }

    private final HubSpotClient client;
    private final HubSpotSettings settings;
    private final ConnectionContext ctx;
    private volatile Target target;

    public TicketSetup(HubSpotClient client, HubSpotSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    /**
     * The account's portal id ({@code GET /account-info/v3/details}), remembered in the connection's store. A 401
     * is thrown; any other refusal leaves the portal unknown (ticket links are then left out).
     */
    public Optional<String> portal(boolean refresh) {
        Optional<String> known = ctx.store().get(PORTAL_KEY);
        if (known.isPresent() && !refresh) return known;
        String what = "read the HubSpot account";
        HubSpotResponse r = client.call(what, (api, auth) -> api.accountDetails(auth));
        if (r.status() == 401) throw client.failure(what, "oauth", r);
        if (!r.ok()) {
            ctx.log().warn(what + ": HubSpot answered " + r.status() + "; ticket links are left out");
            return known;
        }
        String portal = Jsons.string(r.json(), "portalId");
        if (portal == null) return known;
        ctx.store().put(PORTAL_KEY, portal);
        String ui = Jsons.nonBlank(r.json(), "uiDomain");
        if (ui != null && ui.matches("[a-z0-9.-]+\\.hubspot\\.com")) ctx.store().put(UI_DOMAIN_KEY, ui);
        return Optional.of(portal);
    }

    /** Where an agent opens the ticket, or null when the portal is unknown. */
    public String ticketUrl(String ticketId) {
        Optional<String> portal = ctx.store().get(PORTAL_KEY);
        if (portal.isEmpty()) {
            try {
                portal = portal(false);
            } catch (RuntimeException e) {
                portal = Optional.empty();
            }
        }
        String ui = ctx.store().get(UI_DOMAIN_KEY).orElse(DEFAULT_UI_DOMAIN);
        return portal.map(p -> "https://" + ui + "/contacts/" + p + "/ticket/" + ticketId).orElse(null);
    }

    /** The configured pipeline and stage as ids, resolved once (and again at every verify). */
    public Target target() {
        Target t = target;
        return t != null ? t : resolveTarget();
    }

    /**
     * Reads the ticket pipelines and finds the configured pipeline and stage by id or label (case-insensitive).
     *
     * @throws PermanentException naming the pipelines or stages that exist when one is unknown, or when the stage
     *                            is not an open one
     */
    public Target resolveTarget() {
        JsonObject answer = client.ok("read the HubSpot ticket pipelines", SCOPE_TICKETS,
                (api, auth) -> api.ticketPipelines(auth));
        List<JsonObject> pipelines = objects(Jsons.array(answer, "results"));
        JsonObject pipeline = find(pipelines, settings.pipeline());
        if (pipeline == null) {
            throw new PermanentException("setting '" + HubSpotSettings.PIPELINE + "': HubSpot has no ticket pipeline '"
                    + settings.pipeline() + "'; it has " + describe(pipelines));
        }
        List<JsonObject> stages = objects(Jsons.array(pipeline, "stages"));
        JsonObject stage = find(stages, settings.stage());
        String pipelineName = Jsons.string(pipeline, "label") + " (" + Jsons.string(pipeline, "id") + ")";
        if (stage == null) {
            throw new PermanentException("setting '" + HubSpotSettings.STAGE + "': pipeline " + pipelineName
                    + " has no stage '" + settings.stage() + "'; it has " + describe(stages));
        }
        String state = Jsons.string(Jsons.object(stage, "metadata"), "ticketState");
        if (!"OPEN".equalsIgnoreCase(state)) {
            List<JsonObject> open = stages.stream()
                    .filter(s -> "OPEN".equalsIgnoreCase(Jsons.string(Jsons.object(s, "metadata"), "ticketState")))
                    .toList();
            throw new PermanentException("setting '" + HubSpotSettings.STAGE + "': stage " + Jsons.string(stage, "label")
                    + " (" + Jsons.string(stage, "id") + ") of pipeline " + pipelineName + " is not an open stage ("
                    + state + "); open stages: " + describe(open));
        }
        Target t = new Target(Jsons.string(pipeline, "id"), Jsons.string(pipeline, "label"),
                Jsons.string(stage, "id"), Jsons.string(stage, "label"));
        target = t;
        return t;
    }

    /**
     * Checks the unique ticket property of the upsert, creating it when it is missing and {@code create-property}
     * is on.
     *
     * @return what was found or done, for the verify line
     */
    public String ensureProperty() {
        String name = settings.ticketIdProperty();
        String what = "read the HubSpot ticket property '" + name + "'";
        HubSpotResponse r = client.call(what, (api, auth) -> api.ticketProperty(auth, name));
        if (r.ok()) {
            if (!Jsons.bool(r.json(), "hasUniqueValue", false)) {
                throw new PermanentException("setting '" + HubSpotSettings.TICKET_ID_PROPERTY + "': the ticket property '"
                        + name + "' exists but does not require unique values, so HubSpot cannot upsert by it: set "
                        + "another name (Parley creates it) or create a property with unique values in HubSpot > "
                        + "Settings > Properties");
            }
            return "ticket property " + name + " (unique)";
        }
        if (r.status() != 404) throw client.failure(what, SCOPE_TICKETS, r);
        if (!settings.createProperty()) {
            throw new PermanentException("setting '" + HubSpotSettings.TICKET_ID_PROPERTY + "': HubSpot has no ticket "
                    + "property '" + name + "': create it in HubSpot > Settings > Properties (object Tickets, type "
                    + "single-line text, 'Require unique values for this property' on), or set "
                    + HubSpotSettings.CREATE_PROPERTY + "=true and Parley creates it");
        }
        String body = Jsons.BUILDERS.createObjectBuilder()
                .add("name", name).add("label", "Parley session id").add("type", "string").add("fieldType", "text")
                .add("groupName", "ticketinformation").add("hasUniqueValue", true)
                .add("description", "Parley's session id: Parley opens one ticket per session").build().toString();
        String create = "create the HubSpot ticket property '" + name + "'";
        HubSpotResponse c = client.call(create, (api, auth) -> api.createTicketProperty(auth, body));
        if (c.status() == 409) return "ticket property " + name + " (created meanwhile)";
        if (!c.ok()) {
            PermanentException e = client.failure(create, SCOPE_TICKETS, c);
            throw new PermanentException(e.getMessage() + "; or create it yourself in HubSpot > Settings > Properties "
                    + "(object Tickets, single-line text, unique values)");
        }
        ctx.log().info("created the unique HubSpot ticket property " + name);
        return "ticket property " + name + " (created)";
    }

    private static JsonObject find(List<JsonObject> items, String idOrLabel) {
        for (JsonObject o : items) {
            if (idOrLabel.equals(Jsons.string(o, "id"))) return o;
        }
        String wanted = idOrLabel.toLowerCase(Locale.ROOT);
        for (JsonObject o : items) {
            String label = Jsons.string(o, "label");
            if (label != null && label.strip().toLowerCase(Locale.ROOT).equals(wanted)) return o;
        }
        return null;
    }

    private static String describe(List<JsonObject> items) {
        if (items.isEmpty()) return "none";
        List<String> out = new ArrayList<>();
        for (JsonObject o : items) out.add("'" + Jsons.string(o, "label") + "' (id " + Jsons.string(o, "id") + ")");
        return String.join(", ", out);
    }

    private static List<JsonObject> objects(JsonArray a) {
        if (a == null) return List.of();
        return a.stream().filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT).map(JsonObject.class::cast)
                .filter(o -> !Jsons.bool(o, "archived", false)).toList();
    }
}
