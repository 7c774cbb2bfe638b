package dev.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * Infobip's SMS logs ({@code GET /sms/3/logs?messageId=}) as the provider really answers them: from what it really
 * received. Looks the id up in WireMock's own journal of accepted {@code POST /sms/3/messages}, so a send that reached the
 * stand-in before its sender died is found, and one that never arrived is not. Stubs opt in with
 * {@code .withTransformers(SmsLogsFromJournal.NAME)}.
 */
public final class SmsLogsFromJournal implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "sms-logs-from-journal";

    private volatile WireMockServer server;

    void attach(WireMockServer server) {
        this.server = server;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** A send the stand-in took: refused ones (4xx, 5xx) never reach Infobip's logs. */
    private static boolean accepted(ServeEvent e) {
        int status = e.getResponseDefinition() == null ? 0 : e.getResponseDefinition().getStatus();
        return "POST".equals(e.getRequest().getMethod().getName()) && e.getRequest().getUrl().startsWith("/sms/3/messages")
                && status >= 200 && status < 300;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String id = event.getRequest().queryParameter("messageId").isPresent()
                ? event.getRequest().queryParameter("messageId").firstValue() : "";
        JsonArrayBuilder results = Json.createArrayBuilder();
        for (ServeEvent sent : server.getAllServeEvents()) {
            if (!accepted(sent)) {
                continue;
            }
            JsonObject body;
            try {
                body = Json.createReader(new StringReader(sent.getRequest().getBodyAsString())).readObject();
            } catch (RuntimeException e) {
                continue;
            }
            for (JsonValue m : body.getJsonArray("messages")) {
                for (JsonValue d : m.asJsonObject().getJsonArray("destinations")) {
                    JsonObject destination = d.asJsonObject();
                    if (id.equals(destination.getString("messageId", null))) {
                        results.add(Json.createObjectBuilder().add("messageId", id).add("destination", destination.getString("to"))
                                .add("status", Json.createObjectBuilder().add("groupId", 1).add("groupName", "PENDING")
                                        .add("id", 26).add("name", "PENDING_ACCEPTED")));
                    }
                }
            }
        }
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Json.createObjectBuilder().add("results", results).build().toString()).build();
    }
}
