package dev.parley.zendesk.messaging;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Sunshine Conversations (Zendesk messaging) v2 endpoints Parley calls, rooted at
 * {@code https://<subdomain>.zendesk.com/sc}. Every method takes the {@code Authorization} value and returns
 * the raw {@link Response}; calls go through {@link SunshineClient}.
 */
@Path("/v2/apps/{appId}")
@Produces(MediaType.APPLICATION_JSON)
public interface SunshineApi {

    String AUTH = "Authorization";

    /** The app: the cheap check of the key and the app id. */
    @GET
    Response app(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId);

    @GET
    @Path("/switchboards")
    Response switchboards(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId);

    @GET
    @Path("/switchboards/{switchboardId}/switchboardIntegrations")
    Response switchboardIntegrations(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                                     @PathParam("switchboardId") String switchboardId);

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createUser(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId, String body);

    /** A user by id or external id. */
    @GET
    @Path("/users/{userIdOrExternalId}")
    Response user(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                  @PathParam("userIdOrExternalId") String userIdOrExternalId);

    @POST
    @Path("/conversations")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createConversation(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId, String body);

    /** A user's conversations; the fallback when creating a personal conversation conflicts with an existing one. */
    @GET
    @Path("/conversations")
    Response conversationsOf(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                             @QueryParam("filter[userExternalId]") String userExternalId);

    @POST
    @Path("/conversations/{conversationId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    Response postMessage(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                         @PathParam("conversationId") String conversationId, String body);

    @POST
    @Path("/conversations/{conversationId}/passControl")
    @Consumes(MediaType.APPLICATION_JSON)
    Response passControl(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                         @PathParam("conversationId") String conversationId, String body);

    @POST
    @Path("/conversations/{conversationId}/releaseControl")
    @Consumes(MediaType.APPLICATION_JSON)
    Response releaseControl(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                            @PathParam("conversationId") String conversationId, String body);

    /** A custom integration with its one webhook, whose {@code secret} is only in this answer. */
    @POST
    @Path("/integrations")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createIntegration(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId, String body);

    @GET
    @Path("/integrations/{integrationId}")
    Response integration(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                         @PathParam("integrationId") String integrationId);

    @DELETE
    @Path("/integrations/{integrationId}")
    Response deleteIntegration(@HeaderParam(AUTH) String auth, @PathParam("appId") String appId,
                               @PathParam("integrationId") String integrationId);
}
