package dev.parley.hubspot.http;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;

/** A HubSpot answer the client did not turn into an exception: status and body. */
public record HubSpotResponse(int status, String body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as a JSON object, or an empty object when it is empty or not an object. */
    public JsonObject json() {
        JsonObject o = Jsons.parseObjectOrNull(body);
        return o == null ? JsonObject.EMPTY_JSON_OBJECT : o;
    }
}
