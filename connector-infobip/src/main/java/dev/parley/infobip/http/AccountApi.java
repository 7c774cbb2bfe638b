package dev.parley.infobip.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Infobip's account endpoints every connection type uses, as a MicroProfile REST Client interface: the start-up key
 * check. Like every Infobip interface here, it takes the {@code Authorization} value and returns the raw
 * {@link Response}; calls go through {@link InfobipClient}.
 */
public interface AccountApi {

    /** Account balance: the cheapest key check (scope account-management:manage); no message is sent. */
    @GET
    @Path("/account/1/balance")
    @Produces(MediaType.APPLICATION_JSON)
    Response balance(@HeaderParam("Authorization") String authorization);
}
