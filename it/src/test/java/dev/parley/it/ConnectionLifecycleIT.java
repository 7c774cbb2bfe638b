package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.ResourceMethods;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connections from config: start, verify, ERROR with the reason, admin actions, health, masking, drop-in jars. */
@ExtendWith(SharedParleyExtension.class)
class ConnectionLifecycleIT {

    static JsonObject awaitState(Http admin, String id, String state) {
        return Await.value(Duration.ofSeconds(60), () -> {
            JsonObject c = admin.get("/api/connections/" + id).expect(200).json();
            return state.equals(c.getString("state")) ? c : null;
        }, id + " " + state);
    }

    @Test
    void aRevokedKeyGivesErrorWithInfobipsReason(Http admin) {
        JsonObject c = awaitState(admin, "badkey", "ERROR");
        String reason = c.getString("stateReason");
        assertTrue(reason.contains("401") && reason.contains("Invalid login details"), reason);
        assertFalse(reason.contains("revoked-key"), "the key itself never appears: " + reason);
        String logs = admin.get("/api/connections/badkey/logs").expect(200).body();
        assertTrue(logs.contains("start failed") && logs.contains("Invalid login details"), logs);
    }

    @Test
    void aMissingRequiredFieldGivesErrorNamingIt(Http admin) {
        JsonObject c = awaitState(admin, "nosender", "ERROR");
        assertTrue(c.getString("stateReason").contains("parley.connection.nosender.sender"), c.toString());
    }

    @Test
    void readinessIsDownWhileAnEnabledConnectionIsNotRunning(ParleyServer parley, Http admin) {
        awaitState(admin, "badkey", "ERROR");
        awaitState(admin, "disabled", "STOPPED");
        Http.Response ready = Http.of(parley.baseUrl()).get("/health/ready");
        assertEquals(503, ready.status(), ready.body());
        JsonObject data = ready.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        assertTrue(data.getString("badkey").startsWith("ERROR"), data.toString());
        assertEquals("RUNNING", data.getString("sms"));
        assertEquals("STOPPED", data.getString("disabled"), "a disabled connection does not hold readiness back");
        assertEquals(200, Http.of(parley.baseUrl()).get("/health/live").status());
    }

    @Test
    void aConnectorJarAddedWithAddLibsIsFound(Http admin) {
        JsonObject c = awaitState(admin, "echo", "RUNNING");
        assertEquals("it-echo", c.getString("type"));
        assertEquals("echo: hello from the drop-in jar", c.getString("stateReason"));
    }

    @Test
    void secretsAreMaskedEverywhere(ParleyServer parley, Http admin) {
        awaitState(admin, "sms", "RUNNING");
        Http.Response all = admin.get("/api/connections").expect(200);
        JsonObject sms = admin.get("/api/connections/sms").expect(200).json();
        assertEquals("****", sms.getJsonObject("settings").getString("api-key"));
        assertEquals("****", sms.getJsonObject("settings").getString("webhook-password"));
        assertEquals("InfoSMS", sms.getJsonObject("settings").getString("sender"));
        assertEquals(parley.baseUrl() + "/channel/sms/webhook/sms", sms.getJsonObject("webhookUrls").getString("sms"));
        for (String secret : new String[] {"it-infobip-key", "it-hook-secret", "revoked-key", "sandbox-key"}) {
            assertFalse(all.body().contains(secret), secret + " in /api/connections");
            for (String id : new String[] {"sms", "badkey", "sandbox"}) {
                assertFalse(admin.get("/api/connections/" + id + "/logs").body().contains(secret), secret + " in " + id + " logs");
            }
            assertFalse(parley.log().contains(secret), secret + " in the server log " + parley.logFile());
        }
    }

    @Test
    void stopStartAndVerifyFromTheAdminApi(ParleyServer parley, Http admin) {
        awaitState(admin, "outonly", "RUNNING");
        JsonObject verified = admin.post("/api/connections/outonly/verify").expect(200).json();
        assertTrue(verified.getBoolean("ok"));
        assertTrue(verified.getString("detail").contains("balance 42.5 EUR"), verified.toString());

        assertEquals("STOPPED", admin.post("/api/connections/outonly/stop").expect(200).json().getString("state"));
        Http.Response webhook = Http.of(parley.baseUrl()).post("/channel/outonly/webhook/sms", "{\"results\":[]}",
                "application/json", InfobipSmsIT.INFOBIP_BASIC);
        assertEquals(404, webhook.status(), "a stopped connection takes no webhooks");
        assertEquals(409, admin.post("/api/connections/outonly/verify").status());
        assertEquals("RUNNING", admin.post("/api/connections/outonly/start").expect(200).json().getString("state"));
        String logs = admin.get("/api/connections/outonly/logs").body();
        assertTrue(logs.contains("STOPPED by operator") && logs.contains("verified"), logs);

        // Starting a connection whose key is refused stays ERROR with the reason, on demand too.
        assertEquals("ERROR", admin.post("/api/connections/badkey/start").expect(200).json().getString("state"));
        assertEquals(404, admin.post("/api/connections/nope/start").status());
    }

    @Test
    void openApiMetricsAndTheAdminApisRefusal(ParleyServer parley) {
        Http anonymous = Http.of(parley.baseUrl());
        Http.Response yaml = anonymous.send("GET", "/openapi", null, null, Map.of("Accept", "*/*"));
        String openapi = yaml.expect(200).body();
        assertTrue(openapi.contains("/api/connections") && openapi.contains("/channel/{connectionId}/webhook/{kind}"), openapi);
        assertTrue(openapi.startsWith("openapi:") || openapi.contains("\nopenapi:"), "YAML by default");
        // Payara 6's /openapi (its own application, fish.payara.microprofile.openapi.impl.rest.app.service.OpenApiResource)
        // declares @Produces({"text/plain", "application/json"}): YAML is sent as text/plain, nothing Parley can change.
        assertTrue(yaml.header("Content-Type").startsWith("text/plain") || yaml.header("Content-Type").startsWith("application/yaml"),
                yaml.toString());
        assertTrue(anonymous.get("/openapi?format=json").expect(200).header("Content-Type").startsWith("application/json"));
        Http.Response json = anonymous.send("GET", "/openapi", null, null, Map.of("Accept", "application/json")).expect(200);
        assertTrue(json.header("Content-Type").startsWith("application/json"), json.toString());
        JsonObject paths = json.json().getJsonObject("paths");

        // Every /api resource method the WAR serves is in the document (mp.openapi.scan.packages may miss a package).
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, ops) -> ops.asJsonObject().keySet().forEach(op ->
                documented.add(op.toUpperCase(Locale.ROOT) + " " + ResourceMethods.normalise(path))));
        Set<String> served = ResourceMethods.inWar(ItPaths.war(), ItPaths.spiJar(), ItPaths.microJar());
        Set<String> missing = served.stream().filter(m -> m.contains(" /api")).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(missing.size() >= 20, "the WAR's /api resource methods: " + served);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "/api resource methods missing from /openapi: " + missing);

        // The send body, both forms, and its answers.
        JsonObject send = paths.getJsonObject("/api/connections/{id}/messages").getJsonObject("post");
        String body = send.getJsonObject("requestBody").toString();
        // Payara 6.2025.10 drops the annotation's oneOf (TextSend | TemplateSend) for the String parameter's type:
        // the two forms are in the description and the examples.
        JsonObject examples = send.getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("examples");
        assertTrue(examples.getJsonObject("text").toString().contains("\\\"text\\\"")
                && examples.getJsonObject("template").toString().contains("placeholders"), body);
        assertTrue(send.getJsonObject("responses").keySet().containsAll(Set.of("202", "400", "404", "409")), send.toString());
        assertEquals(200, anonymous.get("/metrics").status());
        Http.Response refused = anonymous.get("/api/sessions");
        assertEquals(401, refused.status());
        assertTrue(refused.header("WWW-Authenticate").startsWith("Basic"), refused.toString());
        assertEquals(401, anonymous.post("/api/connections/sms/messages", "{\"to\":\"41790000001\",\"text\":\"x\"}",
                "application/json", Map.of()).status());
    }
}
