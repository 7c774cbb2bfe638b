package dev.parley.infobip;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Infobip endpoints the SMS connector calls, as a MicroProfile REST Client interface. Every method
 * takes the {@code Authorization: App <key>} header value and returns the raw {@link Response} so the
 * connector sees every status.
 */
public interface InfobipApi {

    /** Account balance: the cheapest key check (scope account-management:manage). */
    @GET
    @Path("/account/1/balance")
    @Produces(MediaType.APPLICATION_JSON)
    Response balance(@HeaderParam("Authorization") String authorization);

    /** SMS logs, read-only: proves SMS scope when the key has no account scope. */
    @GET
    @Path("/sms/3/logs")
    @Produces(MediaType.APPLICATION_JSON)
    Response smsLogs(@HeaderParam("Authorization") String authorization, @QueryParam("limit") int limit);

    /**
     * The SMS logs of one message, by the message id Parley chose: read-only (unlike the reports endpoints,
     * it consumes nothing); scope sms:logs:read or sms:manage; throttled at 120 requests/minute; covers the
     * last 48 hours. Infobip reads {@code messageId} as a comma-separated list.
     */
    @GET
    @Path("/sms/3/logs")
    @Produces(MediaType.APPLICATION_JSON)
    Response smsLogsByMessageId(@HeaderParam("Authorization") String authorization,
                                @QueryParam("messageId") String messageId);

    /** Sends SMS (v3 envelope). */
    @POST
    @Path("/sms/3/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response sendSms(@HeaderParam("Authorization") String authorization, String body);
}
