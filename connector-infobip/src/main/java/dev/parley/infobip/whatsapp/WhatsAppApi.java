package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.MediaCopy;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Infobip WhatsApp endpoints Parley calls, as a MicroProfile REST Client interface; calls go through
 * {@link dev.parley.infobip.http.InfobipClient}. Inbound media is fetched by {@link MediaCopy}, not here: its URL is
 * absolute and may redirect to a CDN that must not see the API key.
 */
public interface WhatsAppApi {

    /** A free-form text message (only inside the customer-care window). */
    @POST
    @Path("/whatsapp/1/message/text")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response sendText(@HeaderParam("Authorization") String authorization, String body);

    /** Template messages (bulk envelope; Parley sends one at a time). */
    @POST
    @Path("/whatsapp/1/message/template")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response sendTemplate(@HeaderParam("Authorization") String authorization, String body);

    /** The sender's templates: proves the key (scope whatsapp:manage) and that the sender is this account's. */
    @GET
    @Path("/whatsapp/2/senders/{sender}/templates")
    @Produces(MediaType.APPLICATION_JSON)
    Response templates(@HeaderParam("Authorization") String authorization, @PathParam("sender") String sender);
}
