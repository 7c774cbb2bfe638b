package dev.parley.runtime.web;

import static dev.parley.runtime.web.JsonSupport.JSON;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Error responses: {@code {"error": "<reason>"}}, never a stack trace. */
public final class Problems {

    private Problems() {
    }

    public static Response response(int status, String reason) {
        return Response.status(status)
                .entity(JSON.createObjectBuilder().add("error", reason).build().toString())
                .type(MediaType.APPLICATION_JSON).build();
    }

    /** 401 with the Basic challenge, for the admin API. */
    public static Response forbidden401() {
        return Response.fromResponse(response(401, "missing or wrong admin credentials"))
                .header("WWW-Authenticate", "Basic realm=\"parley-admin\"").build();
    }

    /** Echoing caller input into an error: keep it short. */
    public static String clip(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
