package dev.parley.zendesk.fuzz;

import dev.parley.spi.fuzz.FuzzedRequest;
import dev.parley.spi.fuzz.JsonFuzz;

import dev.parley.spi.WebhookReceiver;
import dev.parley.zendesk.DeskTestContext;
import dev.parley.zendesk.ZendeskConnector;
import dev.parley.zendesk.messaging.MessagingTestContext;
import dev.parley.zendesk.messaging.ZendeskMessagingConnector;
import dev.parley.zendesk.webhook.TicketWebhooks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Property-based fuzzing of the Zendesk connections' webhook receivers: the ticket webhook ({@code ticket},
 * {@code assist}; HMAC-SHA256 over timestamp + body) of a {@code zendesk} connection, and the Sunshine messaging
 * webhook ({@code messaging}; X-API-Key) of a {@code zendesk-messaging} connection. Whatever the body, headers,
 * kind and query, the only outcomes are a batch or a {@code WebhookRejectedException}. Most tries carry valid
 * authentication (a signature over the fuzzed body and a fresh timestamp, the right API key).
 */
class ZendeskWebhookFuzzTest {

    /** Zendesk's static test secret, as the unit tests use it. */
    private static final String SIGNING_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    private static final String API_KEY = "hook-SECRET-abc";
    private static final List<String> SECRETS = List.of(SIGNING_SECRET, API_KEY, DeskTestContext.TOKEN,
            "zd-token-SECRET-123", "sc-secret-SECRET-789");

    private static final DeskTestContext DESK = DeskTestContext.against("http://localhost:1")
            .with("webhook-secret", SIGNING_SECRET);
    private static final WebhookReceiver TICKETS = (WebhookReceiver) new ZendeskConnector().open(DESK);
    private static final MessagingTestContext MESSAGING = MessagingTestContext.messaging("http://localhost:1")
            .with("webhook-secret", SIGNING_SECRET);
    private static final WebhookReceiver SUNSHINE = (WebhookReceiver) new ZendeskMessagingConnector().open(MESSAGING);

    /** The bodies Parley's triggers render (WebhookRegistration), as the unit tests send them. */
    static final List<String> TICKET_BODIES = List.of(
            "{\"ticket_id\":\"123\",\"external_id\":\"s-1\",\"status\":\"open\",\"event\":\"agent_comment\"}",
            "{\"ticket_id\":\"9\",\"external_id\":\"sess-42\",\"status\":\"solved\",\"event\":\"solved\"}",
            "{\"ticket_id\":\"77\",\"external_id\":\"\",\"status\":\"new\",\"event\":\"customer_comment\"}",
            "{\"ticket_id\":\"123\"}");

    /** A Sunshine v2 webhook call with every event shape MessagingWebhooksTest uses. */
    static final String SUNSHINE_BODY = """
            {"app":{"id":"app123"},"webhook":{"id":"w1","version":"v2"},"events":[
             {"id":"e1","createdAt":"2026-01-01T10:00:00.000Z","type":"conversation:message",
              "payload":{"conversation":{"id":"conv1","type":"personal"},
                "message":{"id":"msg-e1","author":{"type":"business","displayName":"Sam Agent"},
                  "content":{"type":"text","text":"We sent a new one."},"source":{"type":"zd:agentWorkspace"}}}},
             {"id":"e2","createdAt":"2026-01-01T10:00:01.000Z","type":"conversation:message",
              "payload":{"conversation":{"id":"conv1","type":"personal"},
                "message":{"id":"msg-e2","author":{"type":"user","displayName":"Kim"},
                  "content":{"type":"text","text":"Any news?"},"source":{"type":"api:conversations"},
                  "metadata":{"parley":true}}}},
             {"id":"e30","type":"conversation:message","payload":{"conversation":{"id":"conv1"},
              "message":{"author":{"type":"business","displayName":"Sam"},
                "content":{"type":"image","mediaUrl":"https://x/label.png"},"source":{"type":"zd:agentWorkspace"}}}},
             {"id":"e10","type":"switchboard:releaseControl","payload":{"conversation":{"id":"conv1"}}},
             {"id":"e11","type":"switchboard:passControl","payload":{"conversation":{"id":"conv1",
              "activeSwitchboardIntegration":{"id":"si2","name":"agentWorkspace","integrationType":"zd:agentWorkspace"}}}},
             {"id":"e12","type":"switchboard:passControl","payload":{"conversation":{"id":"conv2",
              "activeSwitchboardIntegration":{"id":"si1","name":"bot","integrationType":"custom"}},"reason":"ticketClosed"}},
             {"id":"e13","type":"conversation:read","payload":{"conversation":{"id":"conv1"}}}]}""";

    /** Single-event calls, so that mutations often hit the only event. */
    static final List<String> SUNSHINE_BODIES = List.of(SUNSHINE_BODY,
            "{\"events\":[{\"id\":\"e1\",\"type\":\"conversation:message\",\"payload\":{\"conversation\":{\"id\":\"c\"},"
                    + "\"message\":{\"author\":{\"type\":\"business\",\"displayName\":\"Sam\"},"
                    + "\"content\":{\"type\":\"text\",\"text\":\"hi\"},\"source\":{\"type\":\"zd:agentWorkspace\"}}}}]}",
            "{\"events\":[{\"id\":\"e12\",\"type\":\"switchboard:passControl\",\"payload\":{\"conversation\":{\"id\":\"c\","
                    + "\"activeSwitchboardIntegration\":{\"integrationType\":\"custom\"}}}}]}");

    enum TicketAuth { SIGNED, SIGNED_OTHER_FORMAT, SIGNED_ODD_TIMESTAMP, SIGNED_STALE, MISSING_SIGNATURE,
        MISSING_TIMESTAMP, OTHER_SECRET, GARBAGE_SIGNATURE, DUPLICATED_VALID_FIRST, DUPLICATED_GARBAGE_FIRST,
        OTHER_BODY }

    enum ApiKeyAuth { VALID, MISSING, EMPTY, WRONG, PREFIX, UPPER_CASE, PADDED, GARBAGE, DUPLICATED_VALID_FIRST,
        DUPLICATED_GARBAGE_FIRST }

    @AfterContainer
    static void shutdown() {
        DESK.shutdown();
        MESSAGING.shutdown();
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void ticketWebhookOnlyReturnsABatchOrRejects(@ForAll("ticketRequests") FuzzedRequest request) {
        request.assertOnlyAllowedOutcomes(TICKETS, SECRETS);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void messagingWebhookOnlyReturnsABatchOrRejects(@ForAll("messagingRequests") FuzzedRequest request) {
        request.assertOnlyAllowedOutcomes(SUNSHINE, SECRETS);
    }

    // ---- the ticket webhook ------------------------------------------------------------------------------

    @Provide
    Arbitrary<FuzzedRequest> ticketRequests() {
        Arbitrary<String> kinds = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(ZendeskConnector.TICKET_WEBHOOK)),
                Tuple.of(8, Arbitraries.just(ZendeskConnector.ASSIST_WEBHOOK)),
                Tuple.of(1, Arbitraries.of("Ticket", "", "messaging", "ticket/", "sms")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<TicketAuth> auth = Arbitraries.frequency(
                Tuple.of(20, TicketAuth.SIGNED), Tuple.of(4, TicketAuth.SIGNED_OTHER_FORMAT),
                Tuple.of(2, TicketAuth.SIGNED_ODD_TIMESTAMP), Tuple.of(1, TicketAuth.SIGNED_STALE),
                Tuple.of(1, TicketAuth.MISSING_SIGNATURE), Tuple.of(1, TicketAuth.MISSING_TIMESTAMP),
                Tuple.of(1, TicketAuth.OTHER_SECRET), Tuple.of(1, TicketAuth.GARBAGE_SIGNATURE),
                Tuple.of(1, TicketAuth.DUPLICATED_VALID_FIRST), Tuple.of(1, TicketAuth.DUPLICATED_GARBAGE_FIRST),
                Tuple.of(1, TicketAuth.OTHER_BODY));
        return Combinators.combine(kinds, Arbitraries.of(TICKET_BODIES), JsonFuzz.modes(), Arbitraries.randoms(),
                        auth, extraHeaders(), extraQuery())
                .as((kind, example, mode, random, a, headers, query) ->
                        signed(kind, JsonFuzz.body(mode, example, random), a, headers, query, random));
    }

    private static FuzzedRequest signed(String kind, byte[] body, TicketAuth auth, Map<String, String> extraHeaders,
                                        Map<String, String> query, Random r) {
        Map<String, List<String>> headers = headers(extraHeaders);
        Instant now = DESK.now;
        Instant fresh = now.minusSeconds(r.nextInt(300)).plusSeconds(r.nextInt(60)).minusMillis(r.nextInt(1000));
        String timestamp = switch (auth) {
            case SIGNED_OTHER_FORMAT -> List.of(
                    fresh.atOffset(ZoneOffset.ofHours(2)).toString(),
                    fresh.atOffset(ZoneOffset.ofHoursMinutes(-5, -30)).toString(),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(fresh.atOffset(ZoneOffset.UTC)),
                    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
                            .format(fresh.atOffset(ZoneOffset.UTC)),
                    " " + fresh + " ").get(r.nextInt(5));
            case SIGNED_ODD_TIMESTAMP -> r.nextBoolean() ? JsonFuzz.dateish(r) : JsonFuzz.randomString(r, 30);
            case SIGNED_STALE -> now.minusSeconds(301 + r.nextInt(1_000_000)).toString();
            default -> fresh.toString();
        };
        String signature = TicketWebhooks.sign(SIGNING_SECRET, timestamp, body);
        String garbage = JsonFuzz.randomString(r, 60);
        String sigHeader = r.nextBoolean() ? TicketWebhooks.SIGNATURE : TicketWebhooks.SIGNATURE.toLowerCase(Locale.ROOT);
        String tsHeader = r.nextBoolean() ? TicketWebhooks.TIMESTAMP : TicketWebhooks.TIMESTAMP.toUpperCase(Locale.ROOT);
        switch (auth) {
            case MISSING_SIGNATURE -> headers.put(tsHeader, List.of(timestamp));
            case MISSING_TIMESTAMP -> headers.put(sigHeader, List.of(signature));
            case OTHER_SECRET -> {
                headers.put(sigHeader, List.of(TicketWebhooks.sign(SIGNING_SECRET + "x", timestamp, body)));
                headers.put(tsHeader, List.of(timestamp));
            }
            case GARBAGE_SIGNATURE -> {
                headers.put(sigHeader, List.of(garbage));
                headers.put(tsHeader, List.of(r.nextBoolean() ? timestamp : garbage));
            }
            case DUPLICATED_VALID_FIRST -> {
                headers.put(sigHeader, List.of(signature, garbage));
                headers.put(tsHeader, List.of(timestamp, JsonFuzz.dateish(r)));
            }
            case DUPLICATED_GARBAGE_FIRST -> {
                headers.put(sigHeader, List.of(garbage, signature));
                headers.put(tsHeader, List.of(timestamp));
            }
            case OTHER_BODY -> {
                headers.put(sigHeader, List.of(TicketWebhooks.sign(SIGNING_SECRET, timestamp, TICKET_BODIES.get(0)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                headers.put(tsHeader, List.of(timestamp));
            }
            default -> {
                headers.put(sigHeader, List.of(signature));
                headers.put(tsHeader, List.of(timestamp));
            }
        }
        return new FuzzedRequest(kind, headers, queries(query), body);
    }

    // ---- the Sunshine messaging webhook ------------------------------------------------------------------

    @Provide
    Arbitrary<FuzzedRequest> messagingRequests() {
        Arbitrary<String> kinds = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(ZendeskMessagingConnector.MESSAGING_WEBHOOK)),
                Tuple.of(1, Arbitraries.of("Messaging", "", "ticket", "assist", "messaging/")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<ApiKeyAuth> auth = Arbitraries.frequency(
                Tuple.of(24, ApiKeyAuth.VALID), Tuple.of(1, ApiKeyAuth.MISSING), Tuple.of(1, ApiKeyAuth.EMPTY),
                Tuple.of(1, ApiKeyAuth.WRONG), Tuple.of(1, ApiKeyAuth.PREFIX), Tuple.of(1, ApiKeyAuth.UPPER_CASE),
                Tuple.of(1, ApiKeyAuth.PADDED), Tuple.of(1, ApiKeyAuth.GARBAGE),
                Tuple.of(1, ApiKeyAuth.DUPLICATED_VALID_FIRST), Tuple.of(1, ApiKeyAuth.DUPLICATED_GARBAGE_FIRST));
        return Combinators.combine(kinds, Arbitraries.of(SUNSHINE_BODIES), JsonFuzz.modes(), Arbitraries.randoms(),
                        auth, extraHeaders(), extraQuery())
                .as((kind, example, mode, random, a, headers, query) ->
                        withApiKey(kind, JsonFuzz.body(mode, example, random), a, headers, query, random));
    }

    private static FuzzedRequest withApiKey(String kind, byte[] body, ApiKeyAuth auth, Map<String, String> extraHeaders,
                                            Map<String, String> query, Random r) {
        Map<String, List<String>> headers = headers(extraHeaders);
        String name = List.of("X-API-Key", "x-api-key", "X-Api-Key").get(r.nextInt(3));
        String garbage = JsonFuzz.randomString(r, 40);
        switch (auth) {
            case VALID -> headers.put(name, List.of(API_KEY));
            case MISSING -> { }
            case EMPTY -> headers.put(name, r.nextBoolean() ? List.of("") : List.of());
            case WRONG -> headers.put(name, List.of(API_KEY + "x"));
            case PREFIX -> headers.put(name, List.of(API_KEY.substring(0, r.nextInt(API_KEY.length()))));
            case UPPER_CASE -> headers.put(name, List.of(API_KEY.toUpperCase(Locale.ROOT)));
            case PADDED -> headers.put(name, List.of(" " + API_KEY + " "));
            case GARBAGE -> headers.put(name, List.of(garbage));
            case DUPLICATED_VALID_FIRST -> headers.put(name, List.of(API_KEY, garbage));
            case DUPLICATED_GARBAGE_FIRST -> headers.put(name, List.of(garbage, API_KEY));
        }
        return new FuzzedRequest(kind, headers, queries(query), body);
    }

    // ---- shared ------------------------------------------------------------------------------------------

    private static Arbitrary<Map<String, String>> extraHeaders() {
        return Arbitraries.maps(Arbitraries.of("Content-Type", "content-type", "User-Agent", "X-Forwarded-For",
                        "X-Zendesk-Webhook-Id", "X-Zendesk-Webhook-Invocation-Id", "Authorization"),
                Arbitraries.strings().ofMaxLength(30)).ofMaxSize(3);
    }

    private static Arbitrary<Map<String, String>> extraQuery() {
        return Arbitraries.maps(Arbitraries.of("token", "kind", "full", "x", ""), Arbitraries.strings().ofMaxLength(40))
                .ofMaxSize(2);
    }

    private static Map<String, List<String>> headers(Map<String, String> extra) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        extra.forEach((k, v) -> headers.put(k, List.of(v)));
        return headers;
    }

    private static Map<String, List<String>> queries(Map<String, String> extra) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        extra.forEach((k, v) -> query.put(k, List.of(v)));
        return query;
    }
}
