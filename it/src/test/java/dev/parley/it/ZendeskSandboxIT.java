package dev.parley.it;

import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's walk-through with no provider account at all: the SMS sandbox's customer asks for a human,
 * the built-in Zendesk sandbox gets the ticket (its webhook and triggers registered by Parley at start), an
 * agent replies from the sandbox's console, and the reply reaches the customer in the SMS sandbox. The agent plays
 * both ways in: with the Zendesk credentials at {@code /sandbox/...} and as Parley's signed-in admin at
 * {@code /api/sandbox/...} (the server adds the credentials; the webhook's signing secret is not shown there).
 */
@ExtendWith(SharedParleyExtension.class)
class ZendeskSandboxIT {

    @Test
    void aHandoffBecomesASandboxTicketAndTheAgentsReplyReachesTheSmsSandbox(ParleyServer parley, Http admin) {
        JsonObject desk = ConnectionLifecycleIT.awaitState(admin, "zsandbox", "RUNNING");
        assertTrue(desk.getBoolean("sandbox"), desk.toString());
        ConnectionLifecycleIT.awaitState(admin, "zsbsms", "RUNNING");
        JsonObject setup = admin.get("/api/connections/zsandbox/setup").expect(200).json();
        assertTrue(setup.getBoolean("complete"), "auto-register created the webhook and triggers: " + setup);

        Http anonymous = Http.of(parley.baseUrl());
        String me = "41790020077";
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:sandbox-hook".getBytes(StandardCharsets.UTF_8));
        anonymous.post("/channel/zsbsms/webhook/sms", InfobipSmsIT.inboundJson("zsb-1", me,
                "I want to talk to a human, my email is kim@example.com"), "application/json", Map.of("Authorization", basic)).expect(200);

        Http zendesk = anonymous.withHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("bot@sandbox.test/token:sandbox-token".getBytes(StandardCharsets.UTF_8)));
        JsonObject ticket = Await.value(SharedParley.PATIENCE, () -> admin.get("/api/sandbox/zsandbox/agent/tickets").expect(200)
                .json().getJsonArray("tickets").stream().map(JsonValue::asJsonObject)
                .filter(t -> t.toString().contains("kim@example.com") || t.toString().contains("talk to a human"))
                .findFirst().orElse(null), "a ticket in the Zendesk sandbox");
        long ticketId = ticket.getJsonNumber("id").longValue();

        // The ticket link the session shows opens that ticket in the sandbox (with the connection's credentials;
        // without them a browser is asked for them).
        Conversations sessions = new Conversations("zsbsms");
        String link = Await.value(SharedParley.PATIENCE, () -> sessions.session(me).getJsonArray("handoffs").stream()
                .map(JsonValue::asJsonObject).filter(h -> h.containsKey("ticketUrl") && !h.isNull("ticketUrl"))
                .map(h -> h.getString("ticketUrl")).findFirst().orElse(null), "the handoff's ticket link");
        assertTrue(link.endsWith("/sandbox/zsandbox/agent/tickets/" + ticketId), link);
        JsonObject opened = zendesk.get(link).expect(200).json().getJsonObject("ticket");
        assertEquals(ticketId, opened.getJsonNumber("id").longValue());
        assertTrue(opened.getJsonArray("comments").toString().contains("talk to a human"), opened.toString());
        Http.Response prompt = anonymous.get(link).expect(401);
        assertTrue(prompt.header("WWW-Authenticate").startsWith("Basic "), prompt.toString());

        assertEquals(zendesk.get("/sandbox/zsandbox/agent/tickets").expect(200).json(),
                admin.get("/api/sandbox/zsandbox/agent/tickets").expect(200).json(), "both ways in see the same desk");
        admin.postJson("/api/sandbox/zsandbox/agent/tickets/" + ticketId + "/reply",
                "{\"text\":\"Hi Kim, Dana here. Your order ships today.\",\"public\":true,\"agent\":\"Dana\"}").expect(200, 201);
        zendesk.postJson("/sandbox/zsandbox/agent/tickets/" + ticketId + "/reply",
                "{\"text\":\"internal: check stock\",\"public\":false,\"agent\":\"Dana\"}").expect(200, 201);
        Http smsSandbox = anonymous.withHeader("Authorization", "App sandbox-key");
        Await.until(SharedParley.PATIENCE, () -> texts(smsSandbox, me).contains("Hi Kim, Dana here. Your order ships today."),
                "the agent's reply reached the SMS sandbox");
        ZendeskIT.sleep(1000);
        assertTrue(texts(smsSandbox, me).stream().noneMatch(t -> t.contains("check stock")), "internal notes stay internal");

        admin.postJson("/api/sandbox/zsandbox/agent/tickets/" + ticketId + "/solve", "{}").expect(200, 201);
        Await.until(SharedParley.PATIENCE, () -> "RESOLVED".equals(sessions.session(me).getJsonObject("session").getString("state")), "resolved");
        assertEquals(1, texts(smsSandbox, me).stream().filter(t -> t.startsWith("Hi Kim")).count());

        // The admin's way in never shows the webhook's signing secret (Parley checks the sandbox's webhooks with it).
        String webhook = admin.get("/api/sandbox/zsandbox/api/v2/webhooks").expect(200).json().getJsonArray("webhooks")
                .getJsonObject(0).getString("id");
        String secret = zendesk.get("/sandbox/zsandbox/api/v2/webhooks/" + webhook + "/signing_secret").expect(200).json()
                .getJsonObject("signing_secret").getString("secret");
        Http.Response refused = admin.get("/api/sandbox/zsandbox/api/v2/webhooks/" + webhook + "/signing_secret").expect(403);
        assertFalse(refused.body().contains(secret), refused.body());
        assertEquals(401, anonymous.get("/api/sandbox/zsandbox/agent/tickets").status(), "admin-only");
    }

    private static List<String> texts(Http smsSandbox, String to) {
        JsonArray all = smsSandbox.get("/sandbox/zsbsms/messages").expect(200).json().getJsonArray("messages");
        return all.stream().map(JsonValue::asJsonObject).filter(m -> m.getString("to").equals(to))
                .map(m -> m.getString("text")).toList();
    }
}
