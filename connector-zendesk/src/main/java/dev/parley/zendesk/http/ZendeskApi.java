package dev.parley.zendesk.http;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Zendesk Support and Help Center endpoints Parley calls, as a MicroProfile REST Client interface.
 * Every method takes the {@code Authorization} header value and returns the raw {@link Response}; calls go
 * through {@link ZendeskClient}, which applies the rate limit and retries.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
public interface ZendeskApi {

    String AUTH = "Authorization";

    /** The authenticated user; answers anonymous callers too, so the caller checks id and role. */
    @GET
    @Path("/users/me")
    Response me(@HeaderParam(AUTH) String auth);

    @GET
    @Path("/users/{id}")
    Response user(@HeaderParam(AUTH) String auth, @PathParam("id") long id);

    /** Users matching a search ({@code email:"jane@example.com"}); agents and admins only. */
    @GET
    @Path("/users/search")
    Response searchUsers(@HeaderParam(AUTH) String auth, @QueryParam("query") String query);

    /** Creates or updates a user by email or external_id. */
    @POST
    @Path("/users/create_or_update")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createOrUpdateUser(@HeaderParam(AUTH) String auth, String body);

    @POST
    @Path("/tickets")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createTicket(@HeaderParam(AUTH) String auth, @HeaderParam("Idempotency-Key") String idempotencyKey,
                          String body);

    @GET
    @Path("/tickets/{id}")
    Response ticket(@HeaderParam(AUTH) String auth, @PathParam("id") long id);

    /** Updates a ticket or adds a comment. */
    @PUT
    @Path("/tickets/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response updateTicket(@HeaderParam(AUTH) String auth, @PathParam("id") long id, String body);

    /** Adds tags ({@code {"tags":[...]}}) without touching the others. */
    @PUT
    @Path("/tickets/{id}/tags")
    @Consumes(MediaType.APPLICATION_JSON)
    Response addTags(@HeaderParam(AUTH) String auth, @PathParam("id") long id, String body);

    /** A ticket's comments; {@code sortOrder} is {@code asc} or {@code desc}. */
    @GET
    @Path("/tickets/{id}/comments")
    Response comments(@HeaderParam(AUTH) String auth, @PathParam("id") long id,
                      @QueryParam("sort_order") String sortOrder);

    /** Tickets with this external id (not archived ones). */
    @GET
    @Path("/tickets")
    Response ticketsByExternalId(@HeaderParam(AUTH) String auth, @QueryParam("external_id") String externalId);

    @GET
    @Path("/webhooks")
    Response webhooks(@HeaderParam(AUTH) String auth, @QueryParam("filter[name_contains]") String nameContains);

    @POST
    @Path("/webhooks")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createWebhook(@HeaderParam(AUTH) String auth, String body);

    @GET
    @Path("/webhooks/{id}")
    Response webhook(@HeaderParam(AUTH) String auth, @PathParam("id") String id);

    @DELETE
    @Path("/webhooks/{id}")
    Response deleteWebhook(@HeaderParam(AUTH) String auth, @PathParam("id") String id);

    @GET
    @Path("/webhooks/{id}/signing_secret")
    Response signingSecret(@HeaderParam(AUTH) String auth, @PathParam("id") String id);

    @POST
    @Path("/triggers")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createTrigger(@HeaderParam(AUTH) String auth, String body);

    @GET
    @Path("/triggers/{id}")
    Response trigger(@HeaderParam(AUTH) String auth, @PathParam("id") long id);

    @PUT
    @Path("/triggers/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response updateTrigger(@HeaderParam(AUTH) String auth, @PathParam("id") long id, String body);

    @DELETE
    @Path("/triggers/{id}")
    Response deleteTrigger(@HeaderParam(AUTH) String auth, @PathParam("id") long id);

    /** Help Center incremental export: articles changed since {@code startTime} (unix seconds). */
    @GET
    @Path("/help_center/incremental/articles")
    Response articlesSince(@HeaderParam(AUTH) String auth, @QueryParam("start_time") long startTime);
}
