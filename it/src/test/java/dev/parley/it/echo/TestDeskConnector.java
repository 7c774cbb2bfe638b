package dev.parley.it.echo;

import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A help desk built against plugin-spi alone (dropped in with the echo connector): tickets go to a plain
 * JSON API at {@code base-url} (WireMock in the tests, which checks what the desk was given), and humans
 * answer through this connection's webhook:
 * {@code {"id":"e1","ticket":"T-1","text":"..","agent":"Ann"}} or {@code {"id":"e2","ticket":"T-1","solved":true}}.
 * 5xx from the API is retryable, 4xx permanent, like a real desk.
 */
public class TestDeskConnector implements Connector {

    @Override
    public String type() {
        return "it-desk";
    }

    @Override
    public String description() {
        return "test help desk";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(ConfigField.required("base-url", "the desk API"));
    }

    @Override
    public Connection open(ConnectionContext context) {
        return new Desk(URI.create(context.config().require("base-url")));
    }

    /** The running desk connection. */
    public static final class Desk implements Connection, HandoffDesk, WebhookReceiver {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        Desk(URI base) {
            this.base = base;
        }

        @Override
        public String verify() {
            return "test desk at " + base;
        }

        @Override
        public DeskTicket open(Handoff h) {
            JsonArrayBuilder transcript = Json.createArrayBuilder();
            h.transcript().forEach(l -> transcript.add(l.author() + ": " + l.text()));
            JsonObjectBuilder fields = Json.createObjectBuilder();
            h.fields().forEach(fields::add);
            JsonObjectBuilder body = Json.createObjectBuilder()
                    .add("key", h.key()).add("sessionId", h.sessionId()).add("sessionUrl", h.sessionUrl())
                    .add("channel", h.channel()).add("channelType", String.valueOf(h.channelType()))
                    .add("reason", h.reason()).add("summary", String.valueOf(h.summary()))
                    .add("sentiment", h.sentiment().tag()).add("language", String.valueOf(h.language()))
                    .add("phone", String.valueOf(h.contact().phone())).add("transcript", transcript).add("fields", fields);
            JsonObject answer = post("/tickets", body.build().toString(), h.key());
            return new DeskTicket(answer.getString("id"), answer.getString("url", null), null);
        }

        @Override
        public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
            post("/tickets/" + ticket.ref() + "/comments",
                    Json.createObjectBuilder().add("text", line.text()).add("author", line.author()).build().toString(), messageKey);
        }

        @Override
        public void close(DeskTicket ticket, String reason) {
            post("/tickets/" + ticket.ref() + "/close", Json.createObjectBuilder().add("reason", reason).build().toString(), null);
        }

        private JsonObject post(String path, String json, String idempotencyKey) {
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (idempotencyKey != null) {
                req.header("Idempotency-Key", idempotencyKey);
            }
            HttpResponse<String> res;
            try {
                res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new RetryableException("desk unreachable: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableException("interrupted");
            }
            if (res.statusCode() >= 500) {
                throw new RetryableException("desk answered " + res.statusCode());
            }
            if (res.statusCode() >= 400) {
                throw new PermanentException("desk refused (" + res.statusCode() + "): " + res.body());
            }
            return res.body().isBlank() ? Json.createObjectBuilder().build()
                    : Json.createReader(new StringReader(res.body())).readObject();
        }

        @Override
        public WebhookBatch receive(WebhookRequest request) {
            JsonObject o;
            try {
                o = Json.createReader(new StringReader(request.bodyText())).readObject();
            } catch (RuntimeException e) {
                throw new WebhookRejectedException(400, "not a JSON object");
            }
            InboundEvent event = o.getBoolean("solved", false)
                    ? new InboundEvent.ConversationClosed(o.getString("id"), o.getString("ticket"))
                    : new InboundEvent.AgentReplied(o.getString("id"), o.getString("ticket"), o.getString("text"),
                            o.getString("agent", null));
            return new WebhookBatch(List.of(event), List.of());
        }

        @Override
        public void close() {
        }
    }
}
