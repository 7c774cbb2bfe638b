package dev.parley.infobip.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.SentMessageLookup;
import dev.parley.spi.SentMessageLookup.Answer;
import dev.parley.spi.SentMessageLookup.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox connection's lookup over real HTTP: a real REST client calls a tiny HTTP server that hands
 * {@code /sandbox/sms1/...} to the connection's {@link SandboxApi}, as the runtime does, so the lookup takes
 * the same path as against Infobip and the sandbox answers from what it "sent".
 */
class SandboxLookupTest {

    private HttpServer server;
    private FakeContext ctx;
    private Connection connection;
    private final List<String> sandboxPaths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            int status = 200;
            String json = "{}";
            if (path.startsWith("/sandbox/sms1/")) {
                String below = path.substring("/sandbox/sms1".length()) + (query == null ? "" : "?" + query);
                sandboxPaths.add(exchange.getRequestMethod() + " " + below);
                SandboxApi.SandboxResponse r = connection.capability(SandboxApi.class).orElseThrow().handle(
                        exchange.getRequestMethod(), below, exchange.getRequestHeaders(),
                        exchange.getRequestBody().readAllBytes());
                status = r.status();
                json = r.json();
            } // anything else: the delivery report webhook, accepted
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        ctx = FakeContext.valid().with("base-url", "sandbox");
        ctx.realClients = true;
        ctx.publicUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        connection = new InfobipSmsConnector().open(ctx);
    }

    @AfterEach
    void stop() {
        if (connection != null) connection.close();
        ctx.shutdown();
        server.stop(0);
    }

    @Test
    void theSandboxKnowsWhatItSent() {
        SentMessageLookup lookup = connection.capability(SentMessageLookup.class).orElseThrow();
        OutboundMessage sent = new OutboundMessage("ref-sent-1", "+41793026727", "Hello");
        SendReceipt receipt = ((Channel) connection).send(sent);
        assertEquals("ref-sent-1", receipt.providerMessageId());

        // Same instant as the send: the sandbox has it, still pending.
        Result now = lookup.lookup(sent, FakeContext.NOW);
        assertEquals(Answer.FOUND, now.answer(), now.reason());
        assertEquals(new SendReceipt("ref-sent-1", DeliveryStatus.SENT, "PENDING_ACCEPTED"), now.receipt());
        assertTrue(sandboxPaths.contains("GET /sms/3/logs?messageId=ref-sent-1"), sandboxPaths.toString());

        // Once its delivery report is due, the log says DELIVERED.
        ctx.now = FakeContext.NOW.plusSeconds(2);
        Result later = lookup.lookup(sent, FakeContext.NOW);
        assertEquals(new SendReceipt("ref-sent-1", DeliveryStatus.DELIVERED, "DELIVERED_TO_HANDSET"), later.receipt());
    }

    @Test
    void whatTheSandboxNeverSentIsNotFoundAfterTheGracePeriod() {
        SentMessageLookup lookup = connection.capability(SentMessageLookup.class).orElseThrow();
        ((Channel) connection).send(new OutboundMessage("ref-other", "+41793026727", "Hello"));
        OutboundMessage never = new OutboundMessage("ref-never", "+41793026727", "Hello");

        Result old = lookup.lookup(never, FakeContext.NOW.minus(Duration.ofMinutes(6)));
        assertEquals(Answer.NOT_FOUND, old.answer(), old.reason());
        // The connection applies the same grace period whoever answers: the sandbox is no special case.
        Result fresh = lookup.lookup(never, FakeContext.NOW.minusSeconds(10));
        assertEquals(Answer.UNKNOWN, fresh.answer(), fresh.reason());
    }

    @Test
    void theSandboxLogsAnswerLikeInfobips() {
        ((Channel) connection).send(new OutboundMessage("ref-a", "+41793026727", "A"));
        ((Channel) connection).send(new OutboundMessage("ref-b", "+41793026728", "B"));
        SandboxApi api = connection.capability(SandboxApi.class).orElseThrow();
        var auth = java.util.Map.of("Authorization", List.of("App sk-test-key-123456"));

        String both = api.handle("GET", "/sms/3/logs?messageId=ref-a%2Cref-b", auth, new byte[0]).json();
        assertTrue(both.indexOf("ref-b") < both.indexOf("ref-a"), "newest first: " + both);
        String one = api.handle("GET", "/sms/3/logs?limit=1", auth, new byte[0]).json();
        assertTrue(one.contains("\"destination\":\"41793026728\"") && !one.contains("ref-a"), one);
        assertEquals(400, api.handle("GET", "/sms/3/logs?limit=5000", auth, new byte[0]).status());
        assertEquals(401, api.handle("GET", "/sms/3/logs?messageId=ref-a", java.util.Map.of(), new byte[0]).status());
    }
}
