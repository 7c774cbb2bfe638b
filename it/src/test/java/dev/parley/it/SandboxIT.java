package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** base-url=sandbox: Parley's own Infobip stand-in, as the README's run command uses it. */
@ExtendWith(SharedParleyExtension.class)
class SandboxIT {

    @Test
    void aNewcomersSmsIsAnsweredRecordedAndDeliveredWithoutAnInfobipAccount(ParleyServer parley, Http admin) {
        JsonObject c = ConnectionLifecycleIT.awaitState(admin, "sandbox", "RUNNING");
        assertTrue(c.getBoolean("sandbox"), "marked as a sandbox in status");
        assertTrue(c.getString("stateReason").contains("SANDBOX"), c.toString());

        Http anonymous = Http.of(parley.baseUrl());
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:sandbox-hook".getBytes(StandardCharsets.UTF_8));
        anonymous.post("/channel/sandbox/webhook/sms", InfobipSmsIT.inboundJson("sb-1", "41790020001", "your hours?"),
                "application/json", Map.of("Authorization", basic)).expect(200);

        Http sandbox = anonymous.withHeader("Authorization", "App sandbox-key");
        JsonArray recorded = Await.value(SharedParley.PATIENCE, () -> {
            JsonArray all = sandbox.get("/sandbox/sandbox/messages").expect(200).json().getJsonArray("messages");
            List<JsonValue> mine = all.stream().filter(m -> m.asJsonObject().getString("to").equals("41790020001")).toList();
            return mine.size() == 2 ? jakarta.json.Json.createArrayBuilder(mine).build() : null;
        }, "two replies recorded by the sandbox");
        assertEquals("Hi from the sandbox.", recorded.getJsonObject(0).getString("text"));
        assertEquals("We are open 9-17.", recorded.getJsonObject(1).getString("text"));

        // The sandbox posts delivery reports back through the real dlr webhook.
        JsonArray sessions = admin.get("/api/sessions?connection=sandbox&contact=%2B41790020001").expect(200).jsonArray();
        long id = sessions.getJsonObject(0).getJsonNumber("id").longValue();
        Await.until(Duration.ofSeconds(30), () -> admin.get("/api/sessions/" + id).json().getJsonArray("messages").stream()
                .map(JsonValue::asJsonObject).filter(m -> m.getString("direction").equals("OUT"))
                .allMatch(m -> m.getString("status").equals("DELIVERED")), "both replies DELIVERED");

        assertEquals(401, anonymous.withHeader("Authorization", "App wrong").get("/sandbox/sandbox/messages").status());
        assertEquals(404, sandbox.get("/sandbox/sms/messages").status(), "a real connection has no sandbox");
        String logs = admin.get("/api/connections/sandbox/logs").body();
        assertTrue(logs.contains("SANDBOX"), logs);
    }

    /** The console's way in: the admin plays the SMS customer at /api/sandbox/... without knowing Infobip's key. */
    @Test
    void anAdminPlaysTheSmsCustomerWithoutTheProvidersCredentials(ParleyServer parley, Http admin) {
        ConnectionLifecycleIT.awaitState(admin, "sandbox", "RUNNING");
        String me = "41790020002";
        JsonObject posted = admin.postJson("/api/sandbox/sandbox/customer/" + me + "/text", "{\"text\":\"your hours?\"}")
                .expect(200).json();
        assertEquals(200, posted.getInt("webhookStatus"), posted.toString());
        assertTrue(posted.getString("webhook").endsWith("/channel/sandbox/webhook/sms"), posted.toString());
        String messageId = posted.getString("messageId");

        // The bot's replies show in the sandbox, read through the console's way in too.
        JsonArray replies = Await.value(SharedParley.PATIENCE, () -> {
            List<JsonValue> mine = admin.get("/api/sandbox/sandbox/messages").expect(200).json().getJsonArray("messages")
                    .stream().filter(m -> m.asJsonObject().getString("to").equals(me)).toList();
            return mine.size() == 2 ? jakarta.json.Json.createArrayBuilder(mine).build() : null;
        }, "two replies recorded by the sandbox");
        assertEquals("Hi from the sandbox.", replies.getJsonObject(0).getString("text"));
        assertEquals("We are open 9-17.", replies.getJsonObject(1).getString("text"));
        JsonArray sessions = admin.get("/api/sessions?connection=sandbox&contact=%2B" + me).expect(200).jsonArray();
        assertEquals(1, sessions.size(), sessions.toString());
        String session = admin.get("/api/sessions/" + sessions.getJsonObject(0).getJsonNumber("id").longValue()).expect(200).body();
        assertTrue(session.contains("your hours?") && session.contains(messageId), session);

        // Input is checked by the sandbox, with the reason.
        Http.Response badNumber = admin.postJson("/api/sandbox/sandbox/customer/41-79/text", "{\"text\":\"hi\"}").expect(400);
        assertTrue(badNumber.body().contains("international format"), badNumber.body());
        assertTrue(admin.postJson("/api/sandbox/sandbox/customer/" + me + "/text", "{\"text\":\" \"}").expect(400)
                .body().contains("\"text\""));

        // Admin-only: without credentials 401 (never the provider's answer); a connection that is no sandbox is a 404.
        Http anonymous = Http.of(parley.baseUrl());
        Http.Response refused = anonymous.postJson("/api/sandbox/sandbox/customer/" + me + "/text", "{\"text\":\"again\"}");
        assertEquals(401, refused.status(), refused.toString());
        assertTrue(refused.header("WWW-Authenticate").startsWith("Basic"), refused.toString());
        assertEquals(401, anonymous.get("/api/sandbox/sandbox/messages").status());
        // The provider's key is no way in here (it is not the admin's): the sandbox route stays its place.
        assertEquals(200, anonymous.withHeader("Authorization", "App sandbox-key").get("/sandbox/sandbox/messages").status());
        Http.Response real = admin.get("/api/sandbox/sms/messages");
        assertEquals(404, real.status(), real.toString());
        assertTrue(real.body().contains("is not a running sandbox"), real.body());
        assertEquals(404, admin.get("/api/sandbox/nosuchconnection/messages").status());
        InfobipSmsIT.quietly(500);
        assertEquals(2, admin.get("/api/sandbox/sandbox/messages").json().getJsonArray("messages").stream()
                .filter(m -> m.asJsonObject().getString("to").equals(me)).count(), "the refused calls sent nothing");
        String logs = admin.get("/api/connections/sandbox/logs").body();
        assertTrue(logs.contains("SANDBOX: customer SMS message " + messageId), logs);
    }
}
