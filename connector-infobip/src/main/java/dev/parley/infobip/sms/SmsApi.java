package dev.parley.infobip.sms;

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
 * The Infobip SMS endpoints Parley calls, as a MicroProfile REST Client interface. Every method takes the
 * {@code Authorization: App <key>} header value and returns the raw {@link Response}; calls go through
 * {@link dev.parley.infobip.http.InfobipClient}.
 */
public interface SmsApi {

    /** Sends SMS (v3 envelope). */
    @POST
    @Path("/sms/3/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response send(@HeaderParam("Authorization") String authorization, String body);

    /** SMS logs, read-only: proves SMS scope when the key has no account scope. */
    @GET
    @Path("/sms/3/logs")
    @Produces(MediaType.APPLICATION_JSON)
    Response logs(@HeaderParam("Authorization") String authorization, @QueryParam("limit") int limit);

    /**
     * The SMS logs of one message, by the message id Parley chose: read-only (unlike the reports endpoints,
     * it consumes nothing); scope sms:logs:read or sms:manage; throttled at 120 requests/minute; covers the
     * last 48 hours. Infobip reads {@code messageId} as a comma-separated list.
     */
    @GET
    @Path("/sms/3/logs")
    @Produces(MediaType.APPLICATION_JSON)
    Response logsOf(@HeaderParam("Authorization") String authorization, @QueryParam("messageId") String messageId);
}
