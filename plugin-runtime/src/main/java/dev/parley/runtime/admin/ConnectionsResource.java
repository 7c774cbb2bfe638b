package dev.parley.runtime.admin;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.web.Problems;
import dev.parley.spi.Channel;
import dev.parley.spi.Connector;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.KnowledgeSource;
import dev.parley.spi.ProviderSetup;
import dev.parley.runtime.setup.ProviderSetups;
import jakarta.enterprise.context.ApplicationScoped;
import dev.parley.spi.Template;
import jakarta.inject.Inject;
import dev.parley.runtime.web.JsonSupport;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for connections: status, lifecycle actions, logs, and outbound sends. */
@ApplicationScoped
@Path("/api/connections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections")
@SecurityRequirement(name = "admin")
public class ConnectionsResource {

    @Inject
    ConnectionManager connections;
    @Inject
    ConnectionLogService logs;
    @Inject
    Agents agents;
    @Inject
    AdminSends sends;
    @Inject
    dev.parley.runtime.config.RuntimeSettings settings;
    @Inject
    dev.parley.runtime.knowledge.KnowledgeSync knowledgeSync;
    @Inject
    ProviderSetups setups;

    @GET
    @Operation(summary = "List connections with status, masked settings and webhook URLs")
    public List<AdminViews.ConnectionView> list() {
        return connections.list().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return connections.find(id).map(c -> Response.ok(view(c)).build()).orElse(notFound(id));
    }

    @POST
    @Path("{id}/start")
    @Operation(summary = "Start (or restart after ERROR): reads the settings again and verifies them with the provider")
    public Response start(@PathParam("id") String id) {
        if (connections.find(id).isEmpty()) return notFound(id);
        return Response.ok(view(connections.start(id))).build();
    }

    @POST
    @Path("{id}/stop")
    @Operation(summary = "Stop; with unregister=true first delete what Parley registered at the provider (webhooks, "
            + "triggers); if that fails the connection keeps running and the answer is 502")
    public Response stop(@PathParam("id") String id, @QueryParam("unregister") @DefaultValue("false") boolean unregister) {
        if (connections.find(id).isEmpty()) return notFound(id);
        if (unregister) {
            Response failed = setup(id, ProviderSetups.Action.UNREGISTER);
            if (failed.getStatus() != 200) {
                return failed;
            }
        }
        return Response.ok(view(connections.stop(id))).build();
    }

    @GET
    @Path("{id}/setup")
    @Operation(summary = "Check what the provider holds for this connection (webhooks, triggers); changes nothing")
    public Response checkSetup(@PathParam("id") String id) {
        return setup(id, ProviderSetups.Action.CHECK);
    }

    @POST
    @Path("{id}/setup")
    @Operation(summary = "Create at the provider what this connection needs and repair what drifted; idempotent")
    public Response registerSetup(@PathParam("id") String id) {
        return setup(id, ProviderSetups.Action.REGISTER);
    }

    /** 200 with the setup view; 404 unknown or not able to; 409 not running; 502 the provider call failed. */
    private Response setup(String id, ProviderSetups.Action action) {
        ManagedConnection c = connections.find(id).orElse(null);
        if (c == null) return notFound(id);
        if (c.state() != dev.parley.runtime.connection.ConnectionState.RUNNING) {
            return Problems.response(409, "connection '" + id + "' is " + c.state() + "; start it first");
        }
        ProviderSetup setup = c.capability(ProviderSetup.class).orElse(null);
        if (setup == null) {
            return Problems.response(404, "connection '" + id + "' (type " + c.type()
                    + ") has nothing to set up at its provider; configure its webhooks by hand");
        }
        try {
            return Response.ok(AdminViews.SetupView.of(setups.run(c, setup, action))).build();
        } catch (ConnectorException e) {
            String reason = logs.mask(id, e.getMessage());
            logs.append(id, "ERROR", "provider setup (" + action.name().toLowerCase(java.util.Locale.ROOT) + ") failed: " + reason);
            return Problems.response(502, reason);
        }
    }

    @POST
    @Path("{id}/sync")
    @Operation(summary = "Sync this connection's knowledge (Help Center articles) now, ignoring the interval; "
            + "full=true reads everything and removes what the source no longer lists")
    public Response sync(@PathParam("id") String id, @QueryParam("full") @DefaultValue("false") boolean full) {
        ManagedConnection c = connections.find(id).orElse(null);
        if (c == null) return notFound(id);
        if (c.state() != dev.parley.runtime.connection.ConnectionState.RUNNING) {
            return Problems.response(409, "connection '" + id + "' is " + c.state() + "; start it first");
        }
        if (c.capability(KnowledgeSource.class).isEmpty()) {
            return Problems.response(404, "connection '" + id + "' (type " + c.type() + ") is not a knowledge source");
        }
        // Failures of the source are in lastError (and the connection log), not an error status: the sync ran.
        return knowledgeSync.runNow(c, full).map(s -> Response.ok(AdminViews.KnowledgeView.of(s)).build())
                .orElseGet(() -> Problems.response(500, "knowledge sync state of '" + id + "' is missing"));
    }

    @POST
    @Path("{id}/verify")
    @Operation(summary = "Call the provider with the running connection's settings")
    public Response verify(@PathParam("id") String id) {
        if (connections.find(id).isEmpty()) return notFound(id);
        try {
            return Response.ok(new AdminViews.VerifyView(id, true, connections.verify(id))).build();
        } catch (IllegalStateException e) {
            return Problems.response(409, e.getMessage());
        } catch (ConnectorException e) {
            String reason = logs.mask(id, e.getMessage());
            logs.append(id, "ERROR", "verify failed: " + reason);
            return Response.ok(new AdminViews.VerifyView(id, false, reason)).build();
        }
    }

    @GET
    @Path("{id}/logs")
    public Response logs(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("200") int limit) {
        if (connections.find(id).isEmpty()) return notFound(id);
        return Response.ok(logs.recent(id, Math.max(1, Math.min(limit, 1000))).stream()
                .map(AdminViews.LogView::of).toList()).build();
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message to a recipient on this connection (what a campaign uses): {\"to\", \"text\"}, or"
            + " {\"to\", \"template\": {\"name\", \"language\", \"placeholders\": [...]}} on a channel with templates"
            + " (WhatsApp: to write first, or after its 24-hour window closed)",
            description = "Queued through the outbox, like a bot's reply: 202 says it is queued, not delivered; the message's"
                    + " status then follows in GET /api/sessions/{sessionId}. Give exactly one of 'text' and 'template'.")
    @RequestBody(required = true, description = "{\"to\",\"text\"} or {\"to\",\"template\":{\"name\",\"language\",\"placeholders\"}}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, oneOf = {TextSend.class, TemplateSend.class}),
                    examples = {
                            @ExampleObject(name = "text", value = "{\"to\":\"+41793026727\",\"text\":\"Your order has shipped.\"}"),
                            @ExampleObject(name = "template", value = "{\"to\":\"+41793026727\",\"template\":{\"name\":\"order_update\","
                                    + "\"language\":\"en\",\"placeholders\":[\"Ada\",\"#42\"]}}")}))
    @APIResponse(responseCode = "202", description = "Queued: the session and message it went into",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminViews.SendAccepted.class)))
    @APIResponse(responseCode = "400", description = "{\"error\": \"...\"}: not JSON, 'to' missing, neither or both of 'text' and 'template', a template"
            + " without name or language, a template on a channel without templates, or an address the channel rejects")
    @APIResponse(responseCode = "404", description = "No connection with this id")
    @APIResponse(responseCode = "409", description = "The connection is not running (or is no channel) and cannot send now")
    public Response send(@PathParam("id") String id, String body) {
        ManagedConnection c = connections.find(id).orElse(null);
        if (c == null) return notFound(id);
        String to;
        String text;
        Template template;
        try {
            JsonObject json = JsonSupport.JSON.createReader(new StringReader(body == null ? "" : body)).readObject();
            to = string(json, "to");
            text = string(json, "text");
            template = json.containsKey("template") ? template(json.getJsonObject("template")) : null;
        } catch (JsonException | ClassCastException | IllegalArgumentException e) {
            return Problems.response(400, "body must be a JSON object {\"to\": \"...\", \"text\": \"...\"} or {\"to\": \"...\","
                    + " \"template\": {\"name\": \"...\", \"language\": \"...\", \"placeholders\": [\"...\"]}}"
                    + (e instanceof IllegalArgumentException ? ": " + e.getMessage() : ""));
        }
        if (to == null || to.isBlank()) return Problems.response(400, "'to' is required");
        if ((text == null || text.isBlank()) == (template == null)) {
            return Problems.response(400, "give either 'text' or 'template'");
        }
        Channel channel = c.capability(Channel.class).orElse(null);
        if (channel == null) {
            return Problems.response(409, "connection '" + id + "' is " + c.state() + " and cannot send now");
        }
        if (template != null && !channel.sendsTemplates()) {
            return Problems.response(400, "connection '" + id + "' (" + c.type() + ") does not send templates; send 'text'");
        }
        String recipient;
        try {
            recipient = channel.normalizeAddress(to);
        } catch (ConnectorException e) {
            return Problems.response(400, e.getMessage());
        }
        AdminViews.SendAccepted accepted = template != null ? sends.queueTemplate(c.id(), recipient, template)
                : sends.queue(c.id(), recipient, text);
        return Response.accepted(accepted).build();
    }

    /** The body of POST /{id}/messages with text (for the OpenAPI document; the method reads the JSON itself). */
    @Schema(name = "TextSend", description = "A text message")
    public record TextSend(
            @Schema(required = true, description = "The recipient as the channel addresses it (a phone number: +41..., 0041... or 41...)",
                    example = "+41793026727") String to,
            @Schema(required = true, description = "The text", example = "Your order has shipped.") String text) {
    }

    /** The body of POST /{id}/messages with a template (for the OpenAPI document). */
    @Schema(name = "TemplateSend", description = "A template message, on a channel with templates (WhatsApp)")
    public record TemplateSend(
            @Schema(required = true, description = "The recipient", example = "+41793026727") String to,
            @Schema(required = true) TemplateRef template) {
    }

    /** A template by name and language, with its placeholders in order. */
    @Schema(name = "TemplateRef")
    public record TemplateRef(
            @Schema(required = true, maxLength = 512, example = "order_update") String name,
            @Schema(required = true, maxLength = 20, description = "The template's language code", example = "en") String language,
            @Schema(description = "The placeholders' values, in order ({{1}}, {{2}}, ...)", example = "[\"Ada\", \"#42\"]")
            List<String> placeholders) {
    }

    /** A template from the admin API's JSON; IllegalArgumentException says what is wrong. */
    private static Template template(JsonObject t) {
        String name = string(t, "name");
        String language = string(t, "language");
        if (name == null || name.isBlank() || language == null || language.isBlank()) {
            throw new IllegalArgumentException("a template needs 'name' and 'language'");
        }
        if (name.length() > 512 || language.length() > 20) {
            throw new IllegalArgumentException("the template's name (at most 512) or language (at most 20) is too long");
        }
        List<String> placeholders = new java.util.ArrayList<>();
        if (t.containsKey("placeholders")) {
            for (JsonValue v : t.getJsonArray("placeholders")) {
                if (!(v instanceof JsonString s)) {
                    throw new IllegalArgumentException("'placeholders' must be an array of strings");
                }
                placeholders.add(s.getString());
            }
        }
        if (placeholders.size() > 100 || placeholders.stream().mapToInt(String::length).sum() > 30_000) {
            throw new IllegalArgumentException("too many or too long placeholders");
        }
        return new Template(name, language, placeholders);
    }

    private static String string(JsonObject json, String name) {
        JsonValue v = json.get(name);
        return v instanceof JsonString s ? s.getString() : null;
    }

    private AdminViews.ConnectionView view(ManagedConnection c) {
        Map<String, String> urls = new TreeMap<>();
        for (String kind : c.connector().map(Connector::webhookKinds).orElse(List.of())) {
            urls.put(kind, settings.publicUrl() + "/channel/" + c.id() + "/webhook/" + kind);
        }
        String agent = agents.registry().inboundAgent(c.id()).map(AgentDefinition::id).orElse(null);
        AdminViews.KnowledgeView knowledge = c.capability(KnowledgeSource.class).isEmpty() ? null
                : knowledgeSync.state(c.id()).map(AdminViews.KnowledgeView::of)
                        .orElse(new AdminViews.KnowledgeView(null, 0, null, null));
        AdminViews.SetupView setup = setups.lastKnown(c.id()).map(AdminViews.SetupView::of).orElse(null);
        return new AdminViews.ConnectionView(c.id(), c.type(), c.state().name(), c.reason(), c.since(), c.enabled(),
                c.sandbox(), agent, c.settings(), urls, knowledge, setup);
    }

    private static Response notFound(String id) {
        return Problems.response(404, "no connection '" + Problems.clip(id) + "'");
    }
}
