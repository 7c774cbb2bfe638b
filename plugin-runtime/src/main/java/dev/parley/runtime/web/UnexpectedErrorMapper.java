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

    /** A request body JSON-B or JSON-P could not read (Jersey wraps it in a ProcessingException). */
    private static boolean unreadableBody(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof jakarta.json.bind.JsonbException || t instanceof jakarta.json.JsonException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException wae) {
            if (wae instanceof RequestBodyLimit.TooLarge) {
                return wae.getResponse();
            }
            int status = wae.getResponse().getStatus();
            String reason = status == 404 ? "not found" : status == 405 ? "method not allowed"
                    : status == 415 ? "unsupported content type" : status < 500 ? "bad request" : "server error";
            // A bad path parameter (/api/sessions/abc) is a 404 from JAX-RS; a body that does not bind is a 400. The
            // cause is never named: class names tell an attacker what runs here and help no operator.
            if (status == 400) {
                reason = "bad request: the body or a parameter is malformed";
            }
            return Problems.response(status, reason);
        }
        if (e instanceof jakarta.ws.rs.ProcessingException && unreadableBody(e)) {
            return Problems.response(400, "bad request: the body is not valid JSON for this call");
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "request failed, incident " + incident, e);
        return Problems.response(500, "internal error, incident " + incident + " (see the server log)");
    }
}
