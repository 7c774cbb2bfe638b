package dev.parley.runtime.bot.external;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Rasa's REST input channel, and its HTTP API's tracker (for the intent the channel does not report). */
public interface RasaApi extends AutoCloseable {

    @POST
    @Path("/webhooks/rest/webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response send(String body);

    /** @param includeEvents {@code NONE}: only the tracker's state, with {@code latest_message.intent} */
    @GET
    @Path("/conversations/{sender}/tracker")
    @Produces(MediaType.APPLICATION_JSON)
    Response tracker(@PathParam("sender") String sender, @QueryParam("include_events") String includeEvents);
}
