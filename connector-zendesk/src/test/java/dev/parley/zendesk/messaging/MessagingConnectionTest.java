package dev.parley.zendesk.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.parley.spi.Connector;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessagingConnectionTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SC_AUTH = "Basic " + Base64.getEncoder().encodeToString("app_key456:sc-secret-SECRET-789".getBytes());
    static final String ZD_AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("bot@acme.com/token:zd-token-SECRET-123".getBytes());
    static final String APP = "/sc/v2/apps/app123";

    /** The connection with the ticket desk's parts replaced: they are built by another feature. */
    static final class TestConnection extends MessagingConnection {
        final List<Handoff> ticketsOpened = new ArrayList<>();

        TestConnection(MessagingTestContext ctx) {
            super(ctx, MessagingSettings.from(ctx), null);
        }

        @Override
        protected String verifySupport() {
            return "Zendesk user bot@acme.com (admin)";
        }

        @Override
        protected DeskTicket openTicket(Handoff handoff) {
            ticketsOpened.add(handoff);
            return new DeskTicket("123", "https://acme.zendesk.com/agent/tickets/123", null);
        }
    }

    private MessagingTestContext ctx() {
        return MessagingTestContext.messaging(zendesk.baseUrl()).with("custom-fields", "order_number=360001");
    }

    private static void json(com.github.tomakehurst.wiremock.client.MappingBuilder m, int status, String body) {
        zendesk.stubFor(m.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    private static void messagingActive() {
        json(get(urlEqualTo(APP + "/switchboards")), 200,
                "{\"switchboards\":[{\"id\":\"sb1\",\"enabled\":true,\"defaultSwitchboardIntegrationId\":\"si1\"}]}");
        json(get(urlEqualTo(APP + "/switchboards/sb1/switchboardIntegrations")), 200, """
                {"switchboardIntegrations":[{"id":"si1","name":"bot","integrationType":"custom"},
                  {"id":"si2","name":"agentWorkspace","integrationType":"zd:agentWorkspace"}]}
                """);
    }

    private static Handoff handoff(String channelType, HandoffContact contact) {
        return new Handoff("h-1", "s-9", "https://parley.example/api/sessions/s-9", "sms", channelType, "refund",
                "Wants a refund for order A-1", Sentiment.NEGATIVE, "en",
                List.of(new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:00:00Z"), TranscriptLine.CUSTOMER, "I want a refund"),
                        new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:00:05Z"), TranscriptLine.BOT, "Let me get a colleague.")),
                contact, Map.of("order_number", "A-1", "unmapped", "x"));
    }

    private static Handoff smsHandoff() {
        return handoff("infobip-sms", new HandoffContact("+4915112345678", "+49 151 12345678", null, "Jane Doe"));
    }

    // --- settings and verify

    @Test
    void aKeyThatIsNotAppLevelIsRefusedWithTheFix() {
        PermanentException e = assertThrows(PermanentException.class,
                () -> MessagingSettings.from(ctx().with("key-id", "int_abc")));
        assertEquals("key-id must be an app-level key (app_...): create one in Admin Center > Apps and integrations > "
                + "APIs > Conversations API", e.getMessage());
    }

    @Test
    void theConnectorIsFoundAndDeclaresItsSecrets() {
        Connector c = ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.type().equals("zendesk-messaging")).findFirst().orElseThrow();
        Map<String, Boolean> secret = c.configFields().stream()
                .collect(Collectors.toMap(f -> f.name(), f -> f.secret()));
        assertTrue(secret.get("key-secret"));
        assertTrue(secret.get("messaging-webhook-secret"));
        assertTrue(secret.get("api-token"));
        assertFalse(secret.get("app-id"));
        assertTrue(c.webhookKinds().contains("messaging"));
        assertFalse(MessagingSettings.from(ctx()).toString().contains("SECRET"));
    }

    @Test
    void theDefaultHostIsTheAccountsSc() {
        assertEquals("https://acme.zendesk.com/sc",
                MessagingSettings.from(ctx().with("messaging-base-url", null)).baseUri().toString());
    }

    @Test
    void verifyChecksTheAppAndThatMessagingIsActive() {
        json(get(urlEqualTo(APP)), 200, "{\"app\":{\"id\":\"app123\",\"displayName\":\"Acme\"}}");
        messagingActive();
        String result = new TestConnection(ctx()).verify();
        assertEquals("Zendesk user bot@acme.com (admin); Conversations app Acme (app123): messaging active", result);
        zendesk.verify(getRequestedFor(urlEqualTo(APP)).withHeader("Authorization", equalTo(SC_AUTH)));
        zendesk.verify(getRequestedFor(urlEqualTo(APP + "/switchboards/sb1/switchboardIntegrations"))
                .withHeader("Authorization", equalTo(SC_AUTH)));
    }

    @Test
    void verifyReportsMessagingNotActive() {
        json(get(urlEqualTo(APP)), 200, "{\"app\":{\"id\":\"app123\",\"displayName\":\"Acme\"}}");
        json(get(urlEqualTo(APP + "/switchboards")), 200, "{\"switchboards\":[{\"id\":\"sb1\",\"enabled\":true}]}");
        json(get(urlEqualTo(APP + "/switchboards/sb1/switchboardIntegrations")), 200,
                "{\"switchboardIntegrations\":[{\"id\":\"si1\",\"integrationType\":\"custom\"}]}");
        assertTrue(new TestConnection(ctx()).verify().endsWith("messaging not active (no switchboard integration of "
                + "type zd:agentWorkspace): handoffs fall back to tickets"));
    }

    @Test
    void verifyNamesTheKeyOnA401AndTheAppIdOnA404() {
        json(get(urlEqualTo(APP)), 401, "{\"errors\":[{\"code\":\"unauthorized\",\"title\":\"Authorization is required\"}]}");
        PermanentException e = assertThrows(PermanentException.class, () -> new TestConnection(ctx()).verify());
        assertTrue(e.getMessage().contains("'key-id' and 'key-secret'"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"));

        json(get(urlEqualTo(APP)), 404, "{\"errors\":[{\"code\":\"app_not_found\",\"title\":\"App not found\"}]}");
        e = assertThrows(PermanentException.class, () -> new TestConnection(ctx()).verify());
        assertTrue(e.getMessage().contains("check 'app-id'"), e.getMessage());
    }

    // --- open

    private void messagingOpenStubs() {
        messagingActive();
        json(post(urlEqualTo("/api/v2/users/create_or_update")), 201, "{\"user\":{\"id\":555}}");
        json(post(urlEqualTo(APP + "/users")), 409, "{\"errors\":[{\"code\":\"conflict\",\"title\":\"User already exists\"}]}");
        json(get(urlEqualTo(APP + "/users/parley-phone-4915112345678")), 200,
                "{\"user\":{\"id\":\"u1\",\"externalId\":\"parley-phone-4915112345678\"}}");
        json(post(urlEqualTo(APP + "/conversations")), 201, "{\"conversation\":{\"id\":\"conv1\",\"type\":\"personal\"}}");
        zendesk.stubFor(post(urlEqualTo(APP + "/conversations/conv1/messages")).inScenario("msgs")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("one")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"id\":\"m1\"}]}")));
        zendesk.stubFor(post(urlEqualTo(APP + "/conversations/conv1/messages")).inScenario("msgs")
                .whenScenarioStateIs("one").willSetStateTo("two")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"id\":\"m2\"}]}")));
    }

    private static List<String> requestLines() {
        // WireMock lists the newest first; timestamps may tie within a millisecond, so reverse, not sort.
        List<String> lines = zendesk.getAllServeEvents().stream().map(e -> e.getRequest())
                .map(r -> r.getMethod() + " " + r.getUrl()).collect(Collectors.toCollection(ArrayList::new));
        java.util.Collections.reverse(lines);
        return lines;
    }

    @Test
    void theMetadataStaysUnderSunshinesFourKilobytes() {
        messagingOpenStubs();
        json(post(urlEqualTo(APP + "/conversations/conv1/passControl")), 200, "{}");
        StringBuilder mapping = new StringBuilder();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            mapping.append(i == 0 ? "" : ",").append("f").append(i).append("=").append(360000 + i);
            fields.put("f" + i, "v".repeat(300));
        }
        MessagingTestContext ctx = MessagingTestContext.messaging(zendesk.baseUrl()).with("custom-fields", mapping.toString());
        Handoff big = new Handoff("h-2", "s-10", "https://parley.example/api/sessions/s-10", "sms", "infobip-sms", "refund",
                null, Sentiment.NEUTRAL, "en", List.of(new TranscriptLine(OffsetDateTime.parse("2026-01-01T09:00:00Z"),
                TranscriptLine.CUSTOMER, "hi")), new HandoffContact("+4915112345678", "+4915112345678", null, null), fields);
        new TestConnection(ctx).open(big);
        String body = zendesk.findAll(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/passControl"))).get(0).getBodyAsString();
        jakarta.json.JsonObject metadata = jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject()
                .getJsonObject("metadata");
        assertTrue(metadata.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096, metadata.toString());
        assertTrue(metadata.containsKey("dataCapture.systemField.tags") && metadata.containsKey("first_message_id"),
                "the important entries come first");
        assertTrue(ctx.allLogs().contains("left out of the messaging metadata"), ctx.allLogs());
    }

    @Test
    void anSmsHandoffBecomesAMessagingConversationPassedToTheAgentWorkspace() {
        messagingOpenStubs();
        json(post(urlEqualTo(APP + "/conversations/conv1/passControl")), 200, "{}");
        MessagingTestContext ctx = ctx();
        TestConnection connection = new TestConnection(ctx);

        DeskTicket ticket = connection.open(smsHandoff());

        assertEquals(new DeskTicket("sc:conv1", null, "Zendesk messaging: conversation passed to the agent workspace"), ticket);
        assertTrue(connection.ticketsOpened.isEmpty());
        assertEquals(List.of("GET " + APP + "/switchboards", "GET " + APP + "/switchboards/sb1/switchboardIntegrations",
                "POST /api/v2/users/create_or_update", "POST " + APP + "/users",
                "GET " + APP + "/users/parley-phone-4915112345678", "POST " + APP + "/conversations",
                "POST " + APP + "/conversations/conv1/messages", "POST " + APP + "/conversations/conv1/messages",
                "POST " + APP + "/conversations/conv1/passControl"), requestLines());
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/users/create_or_update"))
                .withHeader("Authorization", equalTo(ZD_AUTH))
                .withRequestBody(equalToJson("""
                        {"user":{"name":"Jane Doe","external_id":"parley-phone-4915112345678",
                          "phone":"+4915112345678"},"skip_verify_email":true}""")));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/users")).withHeader("Authorization", equalTo(SC_AUTH))
                .withRequestBody(equalToJson("""
                        {"externalId":"parley-phone-4915112345678","profile":{"givenName":"Jane Doe"}}""")));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations")).withHeader("Authorization", equalTo(SC_AUTH))
                .withRequestBody(equalToJson("""
                        {"type":"personal","participants":[{"userExternalId":"parley-phone-4915112345678"}],
                         "metadata":{"parley_handoff":"h-1","parley_session":"s-9"}}""")));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/messages")).withRequestBody(equalToJson("""
                {"author":{"type":"user","userExternalId":"parley-phone-4915112345678"},
                 "content":{"type":"text","text":"I want a refund"},"metadata":{"parley":true}}""")));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/messages")).withRequestBody(equalToJson("""
                {"author":{"type":"business","displayName":"Parley"},
                 "content":{"type":"text","text":"Let me get a colleague."},"metadata":{"parley":true}}""")));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/passControl"))
                .withHeader("Authorization", equalTo(SC_AUTH))
                .withRequestBody(equalToJson("""
                        {"switchboardIntegration":"zd:agentWorkspace","metadata":{"first_message_id":"m1",
                          "dataCapture.ticketField.360001":"A-1",
                          "dataCapture.systemField.tags":"parley_channel_sms parley_sentiment_negative parley_handed_off parley_i_test",
                          "parley_session_url":"https://parley.example/api/sessions/s-9"}}""")));
        assertEquals("conv1", ctx.stored.get("sc.handoff.h-1"));
        assertEquals("passed", ctx.stored.get("sc.handoff.h-1.progress"));

        // Opened again (the outbox retried after a lost answer): nothing is created or posted twice.
        zendesk.resetRequests();
        assertEquals(ticket, connection.open(smsHandoff()));
        assertEquals(List.of(), requestLines());
    }

    @Test
    void aRetryAfterAFailedPassReusesTheConversationAndPostsNothingTwice() {
        messagingOpenStubs();
        zendesk.stubFor(post(urlEqualTo(APP + "/conversations/conv1/passControl")).inScenario("pass")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503)));
        zendesk.stubFor(post(urlEqualTo(APP + "/conversations/conv1/passControl")).inScenario("pass")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200).withBody("{}")));
        MessagingTestContext ctx = ctx();
        TestConnection connection = new TestConnection(ctx);

        assertThrows(RetryableException.class, () -> connection.open(smsHandoff()));
        assertEquals("conv1", ctx.stored.get("sc.handoff.h-1"));
        assertEquals("2|m1", ctx.stored.get("sc.handoff.h-1.progress"));

        zendesk.resetRequests();
        DeskTicket ticket = connection.open(smsHandoff());
        assertEquals("sc:conv1", ticket.ref());
        assertEquals(List.of("POST " + APP + "/conversations/conv1/passControl"), requestLines());
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/passControl"))
                .withRequestBody(equalToJson("{\"metadata\":{\"first_message_id\":\"m1\"}}", true, true)));
    }

    @Test
    void anEmailHandoffFallsBackToATicketWithANote() {
        TestConnection connection = new TestConnection(ctx());
        DeskTicket ticket = connection.open(handoff("web-chat", new HandoffContact("jane@x.com", null, "jane@x.com", "Jane")));
        assertEquals(new DeskTicket("123", "https://acme.zendesk.com/agent/tickets/123",
                "fell back to an email ticket: not a messaging channel"), ticket);
        assertEquals(1, connection.ticketsOpened.size());
        zendesk.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void whenMessagingIsNotActiveTheHandoffFallsBackAndTheStatusIsCachedForAMinute() {
        json(get(urlEqualTo(APP + "/switchboards")), 200, "{\"switchboards\":[]}");
        MessagingTestContext ctx = ctx();
        TestConnection connection = new TestConnection(ctx);

        DeskTicket ticket = connection.open(smsHandoff());
        assertEquals("fell back to an email ticket: messaging not active: the app has no switchboard", ticket.note());
        assertEquals("123", ticket.ref());

        ctx.now = ctx.now.plusSeconds(59);
        connection.open(smsHandoff());
        zendesk.verify(1, getRequestedFor(urlEqualTo(APP + "/switchboards")));
        ctx.now = ctx.now.plusSeconds(2);
        connection.open(smsHandoff());
        zendesk.verify(2, getRequestedFor(urlEqualTo(APP + "/switchboards")));
        assertEquals(3, connection.ticketsOpened.size());
    }

    @Test
    void aRefusedKeyAtHandoffTimeFallsBackInsteadOfLosingTheCustomer() {
        json(get(urlEqualTo(APP + "/switchboards")), 401, "{\"errors\":[{\"code\":\"unauthorized\"}]}");
        DeskTicket ticket = new TestConnection(ctx()).open(smsHandoff());
        assertTrue(ticket.note().startsWith("fell back to an email ticket: messaging not active: read the switchboards: "
                + "the Conversations API refused the key (401)"), ticket.note());
        assertFalse(ticket.note().contains("SECRET"));
    }

    // --- relay and close

    @Test
    void relayPostsTheCustomersMessageOnceAndCloseReleasesControl() {
        MessagingTestContext ctx = ctx();
        ctx.stored.put("sc.conv.conv1.user", "parley-phone-4915112345678");
        json(post(urlEqualTo(APP + "/conversations/conv1/messages")), 201, "{\"messages\":[{\"id\":\"m9\"}]}");
        TestConnection connection = new TestConnection(ctx);
        DeskTicket ticket = new DeskTicket("sc:conv1", null, null);
        TranscriptLine line = new TranscriptLine(OffsetDateTime.parse("2026-01-01T10:00:00Z"), TranscriptLine.CUSTOMER, "Any news?");

        connection.relay(ticket, line, "msg-77");
        connection.relay(ticket, line, "msg-77");

        zendesk.verify(1, postRequestedFor(urlEqualTo(APP + "/conversations/conv1/messages"))
                .withHeader("Authorization", equalTo(SC_AUTH))
                .withRequestBody(equalToJson("""
                        {"author":{"type":"user","userExternalId":"parley-phone-4915112345678"},
                         "content":{"type":"text","text":"Any news?"},
                         "metadata":{"parley":true,"parley_message_key":"msg-77"}}""")));

        json(post(urlEqualTo(APP + "/conversations/conv1/releaseControl")), 200, "{}");
        connection.close(ticket, "customer ended the chat");
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/conversations/conv1/releaseControl"))
                .withHeader("Authorization", equalTo(SC_AUTH))
                .withRequestBody(equalToJson("{\"metadata\":{\"parley_reason\":\"customer ended the chat\"}}")));
        assertEquals(List.of(), connection.activity(ticket));
    }

    @Test
    void aReleaseRefusedWith4xxIsLoggedNotThrown() {
        MessagingTestContext ctx = ctx();
        json(post(urlEqualTo(APP + "/conversations/gone/releaseControl")), 404,
                "{\"errors\":[{\"code\":\"conversation_not_found\",\"title\":\"Conversation not found\"}]}");
        new TestConnection(ctx).close(new DeskTicket("sc:gone", null, null), "done");
        assertTrue(ctx.allLogs().contains("release of messaging conversation gone answered 404 conversation_not_found; ignored"),
                ctx.allLogs());
    }

    @Test
    void relayToAnUnknownConversationNamesTheProblem() {
        PermanentException e = assertThrows(PermanentException.class, () -> new TestConnection(ctx()).relay(
                new DeskTicket("sc:other", null, null), new TranscriptLine(null, TranscriptLine.CUSTOMER, "hi"), "k"));
        assertTrue(e.getMessage().contains("not known to this connection"));
    }

    @Test
    void messagingWebhooksAreRoutedToTheSunshineParser() {
        TestConnection connection = new TestConnection(ctx());
        dev.parley.spi.WebhookRequest request = new dev.parley.spi.WebhookRequest("messaging",
                Map.of("X-API-Key", List.of("hook-SECRET-abc")), Map.of(), ("""
                {"events":[{"id":"e1","type":"switchboard:releaseControl","payload":{"conversation":{"id":"conv1"}}}]}
                """).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(new dev.parley.spi.InboundEvent.ConversationClosed("sc:e1", "sc:conv1")),
                connection.receive(request).events());
        dev.parley.spi.WebhookRequest wrongKey = new dev.parley.spi.WebhookRequest("messaging",
                Map.of("X-API-Key", List.of("zd-token-SECRET-123")), Map.of(), new byte[0]);
        assertEquals(401, assertThrows(dev.parley.spi.WebhookRejectedException.class,
                () -> connection.receive(wrongKey)).status());
    }

    @Test
    void diagnoseAddsTheMessagingIntegrationToZendesksChecks() {
        json(get(urlEqualTo("/api/v2/users/me")), 200,
                "{\"user\":{\"id\":7,\"email\":\"bot@acme.com\",\"role\":\"admin\"}}");
        json(get(urlEqualTo(APP + "/integrations/int1")), 404,
                "{\"errors\":[{\"code\":\"integration_not_found\",\"title\":\"Integration not found\"}]}");
        MessagingTestContext ctx = ctx();
        ctx.stored.put("sc.integration.id", "int1");
        List<dev.parley.spi.Finding> findings = new TestConnection(ctx).diagnose();
        dev.parley.spi.Finding integration = findings.get(findings.size() - 1);
        assertEquals("zendesk.messaging-integration", integration.check());
        assertEquals(dev.parley.spi.Finding.Severity.ERROR, integration.severity());
        assertTrue(integration.cause().contains("int1: missing (deleted in Zendesk)"), integration.cause());
        assertTrue(integration.fix().contains("/setup"), integration.fix());
        assertEquals("zendesk.credentials", findings.get(0).check(), findings.toString());
        assertFalse(findings.toString().contains("SECRET"), findings.toString());
    }
}
