package dev.parley.infobip.sandbox;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.FakeResponse;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.infobip.sms.FakeApi;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.SendReceipt;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection in sandbox mode talking to its own sandbox, with the HTTP hop replaced by a direct call. */
class SandboxRoundTripTest {

    private final FakeContext ctx = FakeContext.valid().with("base-url", "sandbox");
    private final AtomicReference<SandboxApi> sandbox = new AtomicReference<>();
    private Connection connection;

    private volatile String forcedAuthorization;

    private Response route(String method, String path, String authorization, String body) {
        String auth = forcedAuthorization != null ? forcedAuthorization : authorization;
        SandboxApi.SandboxResponse r = sandbox.get().handle(method, path, Map.of("Authorization", List.of(auth)),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        return new FakeResponse(r.status(), r.json());
    }

    private void open() {
        ctx.publicUrl = "http://127.0.0.1:9"; // reports to a closed port fail fast if one fires
        new FakeApi() {
            @Override
            public Response balance(String authorization) {
                return route("GET", "/account/1/balance", authorization, null);
            }

            @Override
            public Response logs(String authorization, int limit) {
                return route("GET", "/sms/3/logs?limit=" + limit, authorization, null);
            }

            @Override
            public Response logsOf(String authorization, String messageId) {
                return route("GET", "/sms/3/logs?messageId="
                        + java.net.URLEncoder.encode(messageId, StandardCharsets.UTF_8), authorization, null);
            }

            @Override
            public Response send(String authorization, String body) {
                return route("POST", "/sms/3/messages", authorization, body);
            }
        }.into(ctx);
        connection = new InfobipSmsConnector().open(ctx);
        sandbox.set(connection.capability(SandboxApi.class).orElseThrow());
    }

    @AfterEach
    void tearDown() {
        if (connection != null) connection.close();
        ctx.shutdown();
    }

    @Test
    void verifyAndSendAgainstTheSandbox() {
        open();
        assertEquals("SANDBOX: Infobip account reachable at 127.0.0.1:9; balance 100.0 EUR", connection.verify());
        SendReceipt receipt = ((Channel) connection).send(new OutboundMessage("ref-9", "+41793026727", "Hello"));
        assertEquals(new SendReceipt("ref-9", DeliveryStatus.SENT, "PENDING_ACCEPTED"), receipt);
        JsonObject list = (JsonObject) Jsons.parse(sandbox.get().handle("GET", "/messages",
                Map.of("Authorization", List.of("App sk-test-key-123456")), new byte[0]).json());
        assertEquals("41793026727", list.getJsonArray("messages").getJsonObject(0).getString("to"));
        assertTrue(list.getJsonArray("messages").getJsonObject(0).getString("deliveryUrl").contains("?token="));
    }

    @Test
    void sandboxRejectsAnotherKey() {
        open();
        assertEquals(401, sandbox.get().handle("GET", "/account/1/balance", Map.of(), new byte[0]).status());
        forcedAuthorization = "App another-key";
        PermanentException e = assertThrows(PermanentException.class, connection::verify);
        assertTrue(e.getMessage().startsWith("Infobip rejected the API key (401 E401:"), e.getMessage());
        PermanentException send = assertThrows(PermanentException.class,
                () -> ((Channel) connection).send(new OutboundMessage("r", "41793026727", "x")));
        assertTrue(send.getMessage().contains("HTTP 401 E401"), send.getMessage());
    }

    @Test
    void anAdminsCallCarriesTheConnectionsKeyInsteadOfTheAdminsCredentials() {
        open();
        ((Channel) connection).send(new OutboundMessage("ref-7", "+41793026727", "Hello"));
        Map<String, List<String>> adminsHeaders = Map.of("Authorization", List.of("Basic YWRtaW46ZGVtby1hZG1pbg=="));
        assertEquals(401, sandbox.get().handle("GET", "/messages", adminsHeaders, new byte[0]).status());
        SandboxApi.SandboxResponse listed = sandbox.get().handleForAdmin("GET", "/messages", adminsHeaders, new byte[0]);
        assertEquals(200, listed.status(), listed.json());
        assertEquals("Hello", ((JsonObject) Jsons.parse(listed.json())).getJsonArray("messages").getJsonObject(0).getString("text"));

        // The customer side posts to this connection's inbound SMS webhook (a closed port here: 502, with where it went).
        SandboxApi.SandboxResponse customer = sandbox.get().handleForAdmin("POST", "/customer/41793026727/text",
                adminsHeaders, "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
        JsonObject answer = (JsonObject) Jsons.parse(customer.json());
        assertEquals(502, customer.status(), customer.json());
        assertEquals("http://127.0.0.1:9/channel/sms1/webhook/sms", answer.getString("webhook"));
    }

    @Test
    void sandboxValidationErrorsSurfaceAsPermanent() {
        open();
        PermanentException e = assertThrows(PermanentException.class,
                () -> ((Channel) connection).send(new OutboundMessage("r", "41793026727", " ")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
