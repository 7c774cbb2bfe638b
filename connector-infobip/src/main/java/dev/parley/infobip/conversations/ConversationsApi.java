package dev.parley.infobip.conversations;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Infobip Conversations ({@code /ccaas/1}) endpoints the {@code infobip-conversations} connection calls, as a
 * MicroProfile REST Client interface; calls go through {@link dev.parley.infobip.http.InfobipClient}. Bodies come from
 * {@link ConversationsRequests}. Every error is Infobip's legacy {@code ApiException}; a change to a CLOSED
 * conversation answers 400 "Closed conversation cannot be changed" ({@link ConversationsErrors#closed}). Scopes:
 * {@code conversations:manage} (reads also {@code conversations:read}).
 */
public interface ConversationsApi {

    /** One conversation: its status, assignee and queue. */
    @GET
    @Path("/ccaas/1/conversations/{conversationId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response conversation(@HeaderParam("Authorization") String authorization,
                          @PathParam("conversationId") String conversationId);

    /** Conversations, a page; with {@code limit=1} the cheap key check (no side effect). */
    @GET
    @Path("/ccaas/1/conversations")
    @Produces(MediaType.APPLICATION_JSON)
    Response conversations(@HeaderParam("Authorization") String authorization, @QueryParam("limit") int limit);

    /** Changes some of a conversation's fields: {@link ConversationsRequests#status}, {@link ConversationsRequests#queue}. */
    @PATCH
    @Path("/ccaas/1/conversations/{conversationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response update(@HeaderParam("Authorization") String authorization,
                    @PathParam("conversationId") String conversationId, String body);

    /**
     * A message into the conversation ({@link ConversationsRequests#reply}), sent by the agent {@code agentId}: the spec
     * asks for the {@code x-agent-id} header when the conversation is assigned to an agent, which the AI agent's is.
     */
    @POST
    @Path("/ccaas/1/conversations/{conversationId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response postMessage(@HeaderParam("Authorization") String authorization, @HeaderParam("x-agent-id") String agentId,
                         @PathParam("conversationId") String conversationId, String body);

    /** Assigns the conversation to an agent or bot ({@link ConversationsRequests#assignee}). */
    @PUT
    @Path("/ccaas/1/conversations/{conversationId}/assignee")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response assign(@HeaderParam("Authorization") String authorization,
                    @PathParam("conversationId") String conversationId, String body);

    /** Removes the assignee; the conversation stays in its queue. */
    @DELETE
    @Path("/ccaas/1/conversations/{conversationId}/assignee")
    @Produces(MediaType.APPLICATION_JSON)
    Response unassign(@HeaderParam("Authorization") String authorization,
                      @PathParam("conversationId") String conversationId);

    /** Drops the assignee and sends the conversation through Infobip's routing again (no body). */
    @POST
    @Path("/ccaas/1/conversations/{conversationId}/route")
    @Produces(MediaType.APPLICATION_JSON)
    Response route(@HeaderParam("Authorization") String authorization,
                   @PathParam("conversationId") String conversationId);

    /** The account's tags. */
    @GET
    @Path("/ccaas/1/tags")
    @Produces(MediaType.APPLICATION_JSON)
    Response tags(@HeaderParam("Authorization") String authorization);

    /** Creates a tag ({@link ConversationsRequests#newTag}): a conversation takes only tags that exist. */
    @POST
    @Path("/ccaas/1/tags")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response createTag(@HeaderParam("Authorization") String authorization, String body);

    /** Tags the conversation ({@link ConversationsRequests#tag}). */
    @POST
    @Path("/ccaas/1/conversations/{conversationId}/tags")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response addTag(@HeaderParam("Authorization") String authorization,
                    @PathParam("conversationId") String conversationId, String body);

    /** An internal note for the human agent ({@link ConversationsRequests#note}); the customer does not see it. */
    @POST
    @Path("/ccaas/1/conversations/{conversationId}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response addNote(@HeaderParam("Authorization") String authorization,
                     @PathParam("conversationId") String conversationId, String body);

    /** One agent: proves the configured AI agent id exists in this account. */
    @GET
    @Path("/ccaas/1/agents/{agentId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response agent(@HeaderParam("Authorization") String authorization, @PathParam("agentId") String agentId);
}
