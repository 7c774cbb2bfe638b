package dev.parley.hubspot.http;

import jakarta.ws.rs.Consumes;
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
 * The HubSpot endpoints Parley calls (the v3 CRM paths, v4 associations), as a MicroProfile REST Client interface.
 * Every method takes the {@code Authorization} header value and returns the raw {@link Response}; calls go through
 * {@link HubSpotClient}, which applies the shared rate limits and maps errors.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface HubSpotApi {

    String AUTH = "Authorization";

    /** The account: {@code portalId}, {@code uiDomain}, ... */
    @GET
    @Path("/account-info/v3/details")
    Response accountDetails(@HeaderParam(AUTH) String auth);

    @GET
    @Path("/crm/v3/objects/contacts")
    Response listContacts(@HeaderParam(AUTH) String auth, @QueryParam("limit") int limit);

    @GET
    @Path("/crm/v3/objects/tickets")
    Response listTickets(@HeaderParam(AUTH) String auth, @QueryParam("limit") int limit);

    @GET
    @Path("/crm/v3/pipelines/tickets")
    Response ticketPipelines(@HeaderParam(AUTH) String auth);

    @GET
    @Path("/crm/v3/properties/tickets/{name}")
    Response ticketProperty(@HeaderParam(AUTH) String auth, @PathParam("name") String name);

    @POST
    @Path("/crm/v3/properties/tickets")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createTicketProperty(@HeaderParam(AUTH) String auth, String body);

    @POST
    @Path("/crm/v3/objects/contacts/search")
    @Consumes(MediaType.APPLICATION_JSON)
    Response searchContacts(@HeaderParam(AUTH) String auth, String body);

    @POST
    @Path("/crm/v3/objects/contacts")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createContact(@HeaderParam(AUTH) String auth, String body);

    /** Creates or updates tickets by a unique property ({@code idProperty}). */
    @POST
    @Path("/crm/v3/objects/tickets/batch/upsert")
    @Consumes(MediaType.APPLICATION_JSON)
    Response upsertTickets(@HeaderParam(AUTH) String auth, String body);

    /** A labeled association (body: the association types); repeating it changes nothing. */
    @PUT
    @Path("/crm/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response associate(@HeaderParam(AUTH) String auth, @PathParam("fromType") String fromType,
                       @PathParam("fromId") String fromId, @PathParam("toType") String toType,
                       @PathParam("toId") String toId, String body);

    /** The objects of {@code toType} associated with an object. */
    @GET
    @Path("/crm/v4/objects/{fromType}/{fromId}/associations/{toType}")
    Response associations(@HeaderParam(AUTH) String auth, @PathParam("fromType") String fromType,
                          @PathParam("fromId") String fromId, @PathParam("toType") String toType,
                          @QueryParam("limit") int limit);

    @POST
    @Path("/crm/v3/objects/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createNote(@HeaderParam(AUTH) String auth, String body);

    @POST
    @Path("/crm/v3/objects/notes/batch/read")
    @Consumes(MediaType.APPLICATION_JSON)
    Response readNotes(@HeaderParam(AUTH) String auth, String body);
}
