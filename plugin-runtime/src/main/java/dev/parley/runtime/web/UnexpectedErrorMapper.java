package dev.parley.runtime.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Any error reaching JAX-RS: the caller gets a reason and an incident id, the server log the stack. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            String reason = status == 404 ? "not found" : status == 405 ? "method not allowed"
                    : status == 415 ? "unsupported content type" : status < 500 ? "bad request" : "server error";
            if (status < 500 && wae.getCause() != null) {
                reason = reason + ": " + wae.getCause().getClass().getSimpleName();
            }
            return Problems.response(status, reason);
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "request failed, incident " + incident, e);
        return Problems.response(500, "internal error, incident " + incident + " (see the server log)");
    }
}
