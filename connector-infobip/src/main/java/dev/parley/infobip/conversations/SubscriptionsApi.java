package dev.parley.infobip.conversations;

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
 * Infobip's Subscriptions Management endpoints that route conversation events to Parley's webhook: channel
 * {@link #CUSTOMER_ENGAGEMENT}. The create body ({@link ConversationsRequests#subscription}) carries its notification
 * profile and BASIC security inline, so no separate profile or security call is needed. Scope
 * {@code subscriptions:manage}.
 */
public interface SubscriptionsApi {

    /** The channel of conversation events ("Customer engagement" in Infobip's portal). */
    String CUSTOMER_ENGAGEMENT = "CUSTOMER_ENGAGEMENT";

    /** The channel's subscriptions, a page ({@code size} 1..100). */
    @GET
    @Path("/subscriptions/1/subscription/{channel}")
    @Produces(MediaType.APPLICATION_JSON)
    Response subscriptions(@HeaderParam("Authorization") String authorization, @PathParam("channel") String channel,
                           @QueryParam("page") int page, @QueryParam("size") int size);

    /** Creates a subscription; 201 with {@code {"subscriptionId", ...}}. */
    @POST
    @Path("/subscriptions/1/subscription/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response create(@HeaderParam("Authorization") String authorization, @PathParam("channel") String channel,
                    String body);

    /** A notification profile: where its events go ({@code webhook.notifyUrl}). */
    @GET
    @Path("/subscriptions/1/profiles/{profileId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response profile(@HeaderParam("Authorization") String authorization, @PathParam("profileId") String profileId);

    /** Deletes one subscription. */
    @DELETE
    @Path("/subscriptions/1/subscription/{channel}/{subscriptionId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response delete(@HeaderParam("Authorization") String authorization, @PathParam("channel") String channel,
                    @PathParam("subscriptionId") String subscriptionId);
}
