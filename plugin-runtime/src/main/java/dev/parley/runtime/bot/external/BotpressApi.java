package dev.parley.runtime.bot.external;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Botpress server's converse API. */
public interface BotpressApi extends AutoCloseable {

    /** @param include {@code nlu} to get the recognised intent and language back */
    @POST
    @Path("/api/v1/bots/{botId}/converse/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response converse(@PathParam("botId") String botId, @PathParam("userId") String userId,
                      @QueryParam("include") String include, String body);
}
