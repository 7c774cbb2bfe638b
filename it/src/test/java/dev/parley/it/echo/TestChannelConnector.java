package dev.parley.it.echo;

import dev.parley.spi.Channel;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;
import dev.parley.spi.ConversationCloser;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A channel that keeps conversations of its own at the provider (like Infobip Conversations), built against
 * plugin-spi alone and dropped in with the echo connector. It is a {@link ConversationCloser}, so the runtime asks it
 * to close the provider's conversation when the bot resolves a session. Every provider call goes to a plain JSON API
 * at {@code base-url} (WireMock in the tests, whose request journal is how a test sees the calls, in order):
 * {@code POST /send {"ref","to","text"}} answers {@code {"id"}}; {@code POST /close {"to","reason"}} answers
 * {@code {"line"}} (the timeline line). 5xx is retryable, 4xx permanent, like a real provider.
 *
 * <p>Customers write through this connection's webhook: {@code {"id":"m1","from":"+447700900001","text":".."}}.
 */
public class TestChannelConnector implements Connector {

    @Override
    public String type() {
        return "it-channel";
    }

    @Override
    public String description() {
        return "test channel with provider-side conversations";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(ConfigField.required("base-url", "the provider API"));
    }

    @Override
    public Connection open(ConnectionContext context) {
        return new Chan(URI.create(context.config().require("base-url")));
    }

    /** The running channel connection. */
    public static final class Chan implements Connection, Channel, WebhookReceiver, ConversationCloser {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        Chan(URI base) {
            this.base = base;
        }

        @Override
        public String verify() {
            return "test channel at " + base;
        }

        @Override
        public String normalizeAddress(String address) {
            String digits = address == null ? "" : address.strip().replaceFirst("^\\+", "");
            if (!digits.matches("\\d{6,15}")) {
                throw new PermanentException("an address is + and 6 to 15 digits");
            }
            return "+" + digits;
        }

        @Override
        public SendReceipt send(OutboundMessage message) {
            JsonObject answer = post("/send", Json.createObjectBuilder().add("ref", message.reference())
                    .add("to", message.to()).add("text", message.text()).build().toString());
            return new SendReceipt(answer.getString("id", message.reference()), DeliveryStatus.SENT, null);
        }

        @Override
        public String closeResolved(String address, String reason) {
            JsonObject answer = post("/close", Json.createObjectBuilder().add("to", address).add("reason", reason)
                    .build().toString());
            return answer.getString("line", "closed the conversation with " + address);
        }

        private JsonObject post(String path, String json) {
            HttpRequest req = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            HttpResponse<String> res;
            try {
                res = http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new RetryableException("provider unreachable: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableException("interrupted");
            }
            if (res.statusCode() >= 500) {
                throw new RetryableException("provider answered " + res.statusCode());
            }
            if (res.statusCode() >= 400) {
                throw new PermanentException("provider refused (" + res.statusCode() + "): " + res.body());
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
            return new WebhookBatch(List.of(new InboundEvent.MessageReceived(o.getString("id"), o.getString("from"),
                    "parley", o.getString("text"), null, null)), List.of());
        }

        @Override
        public void close() {
        }
    }
}
