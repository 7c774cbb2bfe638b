package dev.parley.runtime.bot.external;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An OpenAI-compatible chat-completions endpoint, relative to the configured base URL (e.g. {@code .../v1}). */
public interface ChatCompletionsApi extends AutoCloseable {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response complete(String body);
}
