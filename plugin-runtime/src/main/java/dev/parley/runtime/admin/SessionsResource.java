package dev.parley.runtime.admin;

import dev.parley.runtime.agent.AgentDefinition;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;

import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionEvent;
import dev.parley.runtime.web.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for sessions: the list, and one session's messages and timeline. */
@ApplicationScoped
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
@SecurityRequirement(name = "admin")
public class SessionsResource {

    @jakarta.inject.Inject
    dev.parley.runtime.media.MediaService media;

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @jakarta.inject.Inject
    dev.parley.runtime.handoff.HandoffStore handoffStore;

    @GET
    @Operation(summary = "Sessions, newest activity first; filter by connection, state (BOT, HANDED_OFF, RESOLVED, CLOSED)"
            + " or contact address")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "200", description = "The sessions",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                            implementation = AdminViews.SessionView.class)))
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "400", description = "An unknown state")
    public Response list(@QueryParam("connection") String connection,
                                             @QueryParam("state") String state,
                                             @QueryParam("contact") String contact,
                                             @QueryParam("limit") @DefaultValue("100") int limit) {
        StringBuilder jpql = new StringBuilder("select s from ChatSession s where 1 = 1");
        if (connection != null) jpql.append(" and s.connectionId = :connection");
        if (contact != null) jpql.append(" and s.contact.address = :contact");
        dev.parley.runtime.session.SessionState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = dev.parley.runtime.session.SessionState.valueOf(state.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Problems.response(400, "state must be one of BOT, HANDED_OFF, RESOLVED, CLOSED, not '"
                        + Problems.clip(state) + "'");
            }
            jpql.append(" and s.state = :state");
        }
        jpql.append(" order by s.updatedAt desc, s.id desc");
        TypedQuery<ChatSession> q = em.createQuery(jpql.toString(), ChatSession.class);
        if (connection != null) q.setParameter("connection", connection);
        if (contact != null) q.setParameter("contact", contact);
        if (wanted != null) q.setParameter("state", wanted);
        return Response.ok(q.setMaxResults(Math.max(1, Math.min(limit, 1000))).getResultList().stream()
                .map(AdminViews.SessionView::of).toList()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One session: messages in and out with delivery status, and the timeline of events")
    public Response get(@PathParam("id") long id) {
        ChatSession s = em.find(ChatSession.class, id);
        if (s == null) {
            return Problems.response(404, "no session " + id);
        }
        List<AdminViews.MessageView> messages = em.createQuery(
                        "select m from ChatMessage m where m.sessionId = :s order by m.seq", ChatMessage.class)
                .setParameter("s", id).getResultList().stream().map(m -> AdminViews.MessageView.of(m, this::mediaLink)).toList();
        List<AdminViews.TimelineEntry> timeline = em.createQuery(
                        "select e from SessionEvent e where e.sessionId = :s order by e.seq", SessionEvent.class)
                .setParameter("s", id).getResultList().stream().map(AdminViews.TimelineEntry::of).toList();
        List<AdminViews.HandoffView> handoffs = handoffStore.ofSession(id).stream().map(AdminViews.HandoffView::of).toList();
        return Response.ok(new AdminViews.SessionDetail(AdminViews.SessionView.of(s), messages, timeline, handoffs)).build();
    }

    @POST
    @Path("{id}/reply")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a session handed off to Parley's console (parley.agent.<id>.handoff=console)",
            description = "The text goes to the customer on the session's channel, like a help desk agent's reply.")
    public Response reply(@PathParam("id") long id, AdminViews.ReplyRequest request) {
        if (request == null || request.text() == null || request.text().isBlank()) {
            return Problems.response(400, "text is required");
        }
        return consoleHandoff(id).map(ref -> handoffStore.agentRepliedOnce(AgentDefinition.CONSOLE, ref, request.text(),
                        request.agentName() == null ? "console" : request.agentName())
                .<Response>map(session -> Response.accepted().build())
                .orElseGet(() -> Problems.response(409, "session " + id + " has no open console handoff")))
                .orElseGet(() -> Problems.response(409, "session " + id + " is not handed off to the console"));
    }

    @POST
    @Path("{id}/resolve")
    @Operation(summary = "Resolve a session handed off to Parley's console; the customer's next message reaches the bot")
    public Response resolve(@PathParam("id") long id) {
        return consoleHandoff(id).flatMap(ref -> handoffStore.resolvedOnce(AgentDefinition.CONSOLE, ref, "resolved in the console"))
                .<Response>map(session -> Response.noContent().build())
                .orElseGet(() -> Problems.response(409, "session " + id + " is not handed off to the console"));
    }

    private java.util.Optional<String> consoleHandoff(long id) {
        return handoffStore.openHandoff(id).filter(h -> AgentDefinition.CONSOLE.equals(h.deskConnectionId()))
                .map(h -> h.ticketRef());
    }

    /** A signed link to a media copy for the session view, or null when links are disabled. */
    private String mediaLink(String mediaId) {
        try {
            return media.linksEnabled() ? media.link(mediaId, null).toString() : null;
        } catch (RuntimeException e) {
            return null; // the view still shows the attachment, without a link
        }
    }
}
