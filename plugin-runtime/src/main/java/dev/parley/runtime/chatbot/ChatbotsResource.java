package dev.parley.runtime.chatbot;

import dev.parley.runtime.bot.embedded.DefinitionException;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.web.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for embedded chatbots: definitions, validation, activation, schedules, share links. */
@ApplicationScoped
@Path("/api/chatbots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chatbots")
@SecurityRequirement(name = "admin")
public class ChatbotsResource {

    private static final String ID = "[a-z0-9][a-z0-9_-]{0,99}";

    @Inject
    ChatbotService service;
    @Inject
    ChatbotStore store;
    @Inject
    ConnectionManager connections;

    /** A bot in a listing: its state and its next scheduled change. */
    public record ChatbotView(String id, String name, String channel, String sender, String state, Integer activeRevision,
                              int draftRevision, NextChange nextChange, String lastError) {
        static ChatbotView of(Chatbot c) {
            NextChange next = null;
            if (c.activateAt() != null) {
                next = new NextChange("ACTIVATE", c.activateAt(), zoned(c.activateAt(), c.scheduleZone()), c.scheduleZone());
            } else if (c.deactivateAt() != null) {
                next = new NextChange("DEACTIVATE", c.deactivateAt(), zoned(c.deactivateAt(), c.scheduleZone()), c.scheduleZone());
            }
            return new ChatbotView(c.id(), c.name(), c.channel(), c.sender(), c.state().name(), c.activeRevision(),
                    c.draftRevision(), next, c.lastError());
        }

        private static String zoned(OffsetDateTime at, String zone) {
            return zone == null ? null : at.atZoneSameInstant(ZoneId.of(zone)).toLocalDateTime().toString();
        }
    }

    public record NextChange(String action, OffsetDateTime at, String localTime, String zone) {
    }

    public record ChatbotDetail(ChatbotView bot, String definition, String activeDefinition) {
    }

    public record Validation(int revision, boolean valid, List<ChatbotProblem> errors) {
    }

    public record Outcome(String id, String state, String detail) {
    }

    /** {@code gracePeriod} as ISO-8601 (PT30M); {@code immediate} ends the other bot's sessions now. */
    public record ActivateRequest(String gracePeriod, boolean immediate) {
    }

    /** Local date-times in {@code zone}, e.g. 2026-12-01T09:00 in Europe/Berlin. */
    public record ScheduleRequest(String activateAt, String deactivateAt, String zone, String gracePeriod) {
    }

    public record ShareView(String link, @JsonbProperty("qr") String qrUrl) {
    }

    @GET
    @Operation(summary = "All chatbots with their state and next scheduled change")
    public List<ChatbotView> list() {
        return store.list().stream().map(ChatbotView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One chatbot with its draft and active definitions (canonical JSON)")
    public Response get(@PathParam("id") String id) {
        return store.find(id).<Response>map(c -> Response.ok(new ChatbotDetail(ChatbotView.of(c),
                        store.revision(id, c.draftRevision()).map(ChatbotRevision::definition).orElse(null),
                        c.activeRevision() == null ? null : store.revision(id, c.activeRevision()).map(ChatbotRevision::definition).orElse(null)))
                .build()).orElseGet(() -> Problems.response(404, "no chatbot '" + Problems.clip(id) + "'"));
    }

    @PUT
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "Create or update a chatbot's definition (YAML or JSON); stored as a new draft revision and validated")
    public Response put(@PathParam("id") String id, String body) {
        if (!id.matches(ID)) {
            return Problems.response(400, "chatbot id must match " + ID);
        }
        if (body == null || body.isBlank()) {
            return Problems.response(400, "the body must be a chatbot definition in YAML or JSON");
        }
        try {
            ChatbotService.Saved saved = service.save(id, body);
            return Response.ok(new Validation(saved.revision(), saved.problems().isEmpty(), saved.problems())).build();
        } catch (DefinitionException e) {
            return Problems.response(400, e.getMessage());
        }
    }

    @POST
    @Path("{id}/validate")
    @Operation(summary = "Every problem of the draft, with its location")
    public Response validate(@PathParam("id") String id) {
        return run(id, () -> {
            Chatbot c = store.find(id).orElseThrow();
            List<ChatbotProblem> problems = service.validate(id);
            return Response.ok(new Validation(c.draftRevision(), problems.isEmpty(), problems)).build();
        });
    }

    @POST
    @Path("{id}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate and activate the draft now; another bot on the sender is deactivated (with a grace period unless immediate)")
    public Response activate(@PathParam("id") String id, ActivateRequest request) {
        return run(id, () -> outcome(id, service.activate(id, grace(request == null ? null : request.gracePeriod(),
                request != null && request.immediate()))));
    }

    @POST
    @Path("{id}/redeploy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Activate the changed draft of an active bot; sessions on the old revision may finish within the grace period")
    public Response redeploy(@PathParam("id") String id, ActivateRequest request) {
        return run(id, () -> outcome(id, service.redeploy(id, grace(request == null ? null : request.gracePeriod(),
                request != null && request.immediate()))));
    }

    @POST
    @Path("{id}/deactivate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deactivate now; open sessions may finish within the grace period")
    public Response deactivate(@PathParam("id") String id, ActivateRequest request) {
        return run(id, () -> outcome(id, service.deactivate(id, grace(request == null ? null : request.gracePeriod(),
                request != null && request.immediate()))));
    }

    @POST
    @Path("{id}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Schedule activation and/or deactivation at local date-times in a time zone")
    public Response schedule(@PathParam("id") String id, ScheduleRequest request) {
        if (request == null || (request.activateAt() == null && request.deactivateAt() == null)) {
            return Problems.response(400, "give activateAt and/or deactivateAt (local date-time, e.g. 2026-12-01T09:00) and zone");
        }
        return run(id, () -> {
            ZoneId zone = ZoneId.of(request.zone() == null ? "UTC" : request.zone());
            service.schedule(id, at(request.activateAt(), zone), at(request.deactivateAt(), zone), zone.getId(),
                    grace(request.gracePeriod(), false));
            return Response.ok(ChatbotView.of(store.find(id).orElseThrow())).build();
        });
    }

    @DELETE
    @Path("{id}/schedule")
    @Operation(summary = "Cancel the schedule")
    public Response unschedule(@PathParam("id") String id) {
        return run(id, () -> {
            service.schedule(id, null, null, null, null);
            return Response.noContent().build();
        });
    }

    @GET
    @Path("{id}/share")
    @Operation(summary = "For a WhatsApp bot: the wa.me link to share and where its QR code is")
    public Response share(@PathParam("id") String id, @QueryParam("text") String text) {
        return run(id, () -> Response.ok(new ShareView(waMe(id, text),
                "/api/chatbots/" + id + "/qr.png" + (text == null ? "" : "?text=" + java.net.URLEncoder.encode(text,
                        java.nio.charset.StandardCharsets.UTF_8)))).build());
    }

    @GET
    @Path("{id}/qr.png")
    @Produces("image/png")
    @Operation(summary = "For a WhatsApp bot: a QR code (PNG) of its wa.me link")
    public Response qr(@PathParam("id") String id, @QueryParam("text") String text,
                       @QueryParam("size") @DefaultValue("512") int size) {
        return run(id, () -> Response.ok(ShareLinks.qrPng(waMe(id, text), size), "image/png").build());
    }

    private String waMe(String id, String text) {
        Chatbot c = store.find(id).orElseThrow();
        String type = c.channel() == null ? null : connections.find(c.channel()).map(m -> m.type()).orElse(null);
        if (type == null || !type.contains("whatsapp")) {
            throw new ChatbotStore.LifecycleException("chatbot '" + id + "' is not on a WhatsApp connection (channel '"
                    + c.channel() + "' is " + (type == null ? "not configured" : type) + "); wa.me links are for WhatsApp senders",
                    List.of());
        }
        return ShareLinks.waMeLink(c.sender(), text);
    }

    private Response outcome(String id, String detail) {
        return Response.ok(new Outcome(id, store.find(id).map(c -> c.state().name()).orElse(null), detail)).build();
    }

    /** Maps lifecycle refusals to 409 (with every validation error) and bad input to 400. */
    private Response run(String id, Supplier<Response> action) {
        if (store.find(id).isEmpty()) {
            return Problems.response(404, "no chatbot '" + Problems.clip(id) + "'");
        }
        try {
            return action.get();
        } catch (ChatbotStore.LifecycleException e) {
            if (!e.problems().isEmpty()) {
                return Response.status(422).type(MediaType.APPLICATION_JSON)
                        .entity(new Refusal(e.getMessage(), e.problems())).build();
            }
            return Problems.response(409, e.getMessage());
        } catch (DateTimeException | IllegalArgumentException e) {
            return Problems.response(400, e.getMessage());
        }
    }

    public record Refusal(String error, List<ChatbotProblem> errors) {
    }

    private static Duration grace(String gracePeriod, boolean immediate) {
        if (immediate || gracePeriod == null || gracePeriod.isBlank()) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(gracePeriod);
            if (d.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("gracePeriod '" + gracePeriod + "' is not an ISO-8601 duration such as PT30M");
        }
    }

    private static OffsetDateTime at(String local, ZoneId zone) {
        if (local == null || local.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + local + "' is not a local date-time such as 2026-12-01T09:00");
        }
    }
}
