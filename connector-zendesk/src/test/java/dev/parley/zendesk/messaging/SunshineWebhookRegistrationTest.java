package dev.parley.zendesk.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
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
import dev.parley.spi.ConfigField;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.ProviderSetup.SetupStatus;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Sunshine webhook that brings agents' messages back: created, checked, deleted, and its secret accepted. */
class SunshineWebhookRegistrationTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String APP = MessagingConnectionTest.APP;
    static final String SC_AUTH = MessagingConnectionTest.SC_AUTH;
    static final String TARGET = "https://parley.example/channel/zd1/webhook/messaging";
    static final String HOOK_SECRET = "sc-hook-SECRET-xyz";
    static final String CREATE_BODY = """
            {"type":"custom","status":"active","displayName":"Parley test zd1",
             "webhooks":[{"target":"https://parley.example/channel/zd1/webhook/messaging",
               "triggers":["conversation:message","switchboard:passControl","switchboard:releaseControl"],
               "includeFullUser":false,"includeFullSource":true}]}
            """;

    private static MessagingTestContext ctx() {
        return MessagingTestContext.messaging(zendesk.baseUrl());
    }

    private static SunshineWebhookRegistration registration(MessagingTestContext ctx) {
        MessagingSettings settings = MessagingSettings.from(ctx);
        SunshineApi api = ctx.restClients().create(SunshineApi.class, settings.baseUri());
        return new SunshineWebhookRegistration(new SunshineClient(api, settings, 0, d -> { }, ctx.clock()), settings, ctx);
    }

    private static void json(com.github.tomakehurst.wiremock.client.MappingBuilder m, int status, String body) {
        zendesk.stubFor(m.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    private static void created() {
        json(post(urlEqualTo(APP + "/integrations")), 201, """
                {"integration":{"id":"int1","type":"custom","status":"active","displayName":"Parley test zd1",
                  "webhooks":[{"id":"wh1","version":"v2","target":"%s","secret":"%s",
                    "triggers":["conversation:message","switchboard:passControl","switchboard:releaseControl"],
                    "includeFullUser":false,"includeFullSource":true}]}}
                """.formatted(TARGET, HOOK_SECRET));
    }

    private static void existing(String id, String target) {
        json(get(urlEqualTo(APP + "/integrations/" + id)), 200, """
                {"integration":{"id":"%s","type":"custom","status":"active","displayName":"Parley test zd1",
                  "webhooks":[{"id":"wh1","version":"v2","target":"%s",
                    "triggers":["conversation:message","switchboard:passControl","switchboard:releaseControl"],
                    "includeFullUser":false,"includeFullSource":true}]}}
                """.formatted(id, target));
    }

    private static void stored(MessagingTestContext ctx) {
        ctx.stored.put("sc.integration.id", "int1");
        ctx.stored.put("sc.webhook.id", "wh1");
        ctx.stored.put("sc.webhook.secret", HOOK_SECRET);
    }

    private static void assertNoSecret(MessagingTestContext ctx, SetupStatus s) {
        assertFalse(s.toString().contains("SECRET"), s.toString());
        assertFalse(ctx.allLogs().contains("SECRET"), ctx.allLogs());
    }

    // --- register

    @Test
    void registerCreatesTheIntegrationWithTheExactBodyAndStoresIdsAndSecret() {
        MessagingTestContext ctx = ctx();
        created();
        SetupStatus s = registration(ctx).register();
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/integrations"))
                .withHeader("Authorization", equalTo(SC_AUTH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(CREATE_BODY)));
        assertEquals(1, zendesk.findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(Map.of("sc.integration.id", "int1", "sc.webhook.id", "wh1", "sc.webhook.secret", HOOK_SECRET),
                ctx.stored);
        assertEquals(java.util.Set.of("sc.webhook.secret"), ctx.secretKeys, "stored as a secret (sealed by the runtime)");
        assertTrue(s.complete());
        assertEquals(List.of("messaging integration int1 webhook wh1: created -> " + TARGET), s.items());
        assertEquals(Map.of("sc.integration.id", "int1", "sc.webhook.id", "wh1"), s.ids());
        assertNoSecret(ctx, s);
    }

    /** Another instance setting the integration up right now: left to it; a claim whose instance died is taken over. */
    @Test
    void anotherInstancesFreshClaimIsLeftToItAndAStaleOneTakenOver() {
        MessagingTestContext ctx = ctx();
        ctx.stored.put(SunshineWebhookRegistration.CLAIM, "registering@" + ctx.now.minusSeconds(3));
        SunshineWebhookRegistration registration = registration(ctx);
        SetupStatus blocked = registration.register();
        assertFalse(blocked.complete());
        assertTrue(blocked.items().get(0).contains("being set up by another Parley instance"), blocked.items().toString());
        assertEquals(0, zendesk.findAll(anyRequestedFor(anyUrl())).size(), "no call to Zendesk");
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(57)), registration.blockedFor());

        created();
        ctx.now = ctx.now.plusSeconds(58);
        assertTrue(registration.register().complete());
        assertEquals(1, zendesk.findAll(postRequestedFor(urlEqualTo(APP + "/integrations"))).size());
        assertFalse(ctx.stored.containsKey(SunshineWebhookRegistration.CLAIM), "given up when done");
    }

    @Test
    void aSecondRegisterWithEverythingInPlaceOnlyReads() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        existing("int1", TARGET);
        SetupStatus s = registration(ctx).register();
        assertTrue(s.complete());
        assertEquals(List.of("messaging integration int1 webhook wh1: active -> " + TARGET), s.items());
        zendesk.verify(getRequestedFor(urlEqualTo(APP + "/integrations/int1")).withHeader("Authorization", equalTo(SC_AUTH)));
        assertEquals(1, zendesk.findAll(anyRequestedFor(anyUrl())).size(), "no POST, no DELETE");
        assertEquals(HOOK_SECRET, ctx.stored.get("sc.webhook.secret"));
    }

    @Test
    void anIntegrationDeletedInZendeskIsRecreated() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        ctx.stored.put("sc.webhook.secret", "old-SECRET");
        json(get(urlEqualTo(APP + "/integrations/int1")), 404,
                "{\"errors\":[{\"code\":\"integration_not_found\",\"title\":\"Integration not found\"}]}");
        created();
        registration(ctx).register();
        zendesk.verify(1, postRequestedFor(urlEqualTo(APP + "/integrations")).withRequestBody(equalToJson(CREATE_BODY)));
        zendesk.verify(0, deleteRequestedFor(anyUrl()));
        assertEquals(HOOK_SECRET, ctx.stored.get("sc.webhook.secret"));
    }

    @Test
    void aDriftedTargetIsRepairedByRecreatingTheIntegration() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        ctx.stored.put("sc.integration.id", "int0");
        existing("int0", "https://old.example/hook");
        json(delete(urlEqualTo(APP + "/integrations/int0")), 200, "{}");
        created();
        SetupStatus before = registration(ctx).check();
        assertFalse(before.complete());
        assertEquals(List.of("messaging integration int0 webhook wh1: drifted -> https://old.example/hook (expected "
                + TARGET + ")"), before.items());
        SetupStatus s = registration(ctx).register();
        zendesk.verify(deleteRequestedFor(urlEqualTo(APP + "/integrations/int0")).withHeader("Authorization", equalTo(SC_AUTH)));
        zendesk.verify(postRequestedFor(urlEqualTo(APP + "/integrations")).withRequestBody(equalToJson(CREATE_BODY)));
        assertEquals("int1", ctx.stored.get("sc.integration.id"));
        assertTrue(s.complete());
    }

    @Test
    void aCreateAnswerWithoutSecretKeepsTheIdsAndNamesTheFix() {
        MessagingTestContext ctx = ctx();
        json(post(urlEqualTo(APP + "/integrations")), 201,
                "{\"integration\":{\"id\":\"int1\",\"webhooks\":[{\"id\":\"wh1\",\"target\":\"" + TARGET + "\"}]}}");
        dev.parley.spi.PermanentException e = assertThrows(dev.parley.spi.PermanentException.class,
                () -> registration(ctx).register());
        assertTrue(e.getMessage().contains("set 'messaging-webhook-secret'"), e.getMessage());
        assertEquals(Map.of("sc.integration.id", "int1", "sc.webhook.id", "wh1"), ctx.stored);
    }

    // --- check and unregister

    @Test
    void checkReportsMissingWithoutCalling() {
        MessagingTestContext ctx = ctx();
        SetupStatus s = registration(ctx).check();
        assertFalse(s.complete());
        assertEquals(List.of("messaging integration: missing"), s.items());
        assertEquals(Map.of(), s.ids());
        assertEquals(0, zendesk.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void theConnectionsCheckMergesTheTicketAndMessagingParts() {
        MessagingTestContext ctx = ctx();
        SetupStatus s = new MessagingConnectionTest.TestConnection(ctx).check();
        assertFalse(s.complete());
        assertTrue(s.items().contains("webhook: missing"), s.items().toString());
        assertEquals("messaging integration: missing", s.items().get(s.items().size() - 1));

        stored(ctx);
        existing("int1", TARGET);
        SetupStatus ok = registration(ctx).check();
        assertTrue(ok.complete());
        assertNoSecret(ctx, ok);
        // Complete only when both parts are: the ticket webhook is still missing here.
        SetupStatus merged = new MessagingConnectionTest.TestConnection(ctx).check();
        assertFalse(merged.complete());
        assertEquals("int1", merged.ids().get("sc.integration.id"));
        assertFalse(merged.ids().containsKey("sc.webhook.secret"));
    }

    @Test
    void unregisterDeletesTheIntegrationAndForgetsIt() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        json(delete(urlEqualTo(APP + "/integrations/int1")), 200, "{}");
        SetupStatus s = new MessagingConnectionTest.TestConnection(ctx).unregister();
        zendesk.verify(deleteRequestedFor(urlEqualTo(APP + "/integrations/int1")).withHeader("Authorization", equalTo(SC_AUTH)));
        assertEquals(Map.of(), ctx.stored);
        assertTrue(s.items().contains("messaging integration int1: deleted"), s.items().toString());
        assertFalse(s.complete());
    }

    @Test
    void unregisterOfAnIntegrationAlreadyGoneIsFine() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        json(delete(urlEqualTo(APP + "/integrations/int1")), 404,
                "{\"errors\":[{\"code\":\"integration_not_found\",\"title\":\"Integration not found\"}]}");
        registration(ctx).unregister();
        assertEquals(Map.of(), ctx.stored);
    }

    // --- the receiver's secrets

    private static WebhookRequest call(String apiKey) {
        Map<String, List<String>> headers = apiKey == null ? Map.of() : Map.of("X-API-Key", List.of(apiKey));
        return new WebhookRequest("messaging", headers, Map.of(), """
                {"events":[{"id":"e1","type":"switchboard:releaseControl","payload":{"conversation":{"id":"conv1"}}}]}
                """.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theReceiverAcceptsTheStoredSecretAndRefusesOthers() {
        MessagingTestContext ctx = ctx().with("messaging-webhook-secret", null);
        MessagingConnection connection = new MessagingConnectionTest.TestConnection(ctx);
        stored(ctx); // stored after the connection started: read per call
        assertEquals(List.of(new InboundEvent.ConversationClosed("sc:e1", "sc:conv1")),
                connection.receive(call(HOOK_SECRET)).events());
        for (String wrong : new String[] {null, "", "hook-SECRET-abc", HOOK_SECRET + "x", "zd-token-SECRET-123"}) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> connection.receive(call(wrong)));
            assertEquals(401, e.status());
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        }
    }

    @Test
    void theConfiguredAndTheStoredSecretAreBothAccepted() {
        MessagingTestContext ctx = ctx();
        stored(ctx);
        MessagingConnection connection = new MessagingConnectionTest.TestConnection(ctx);
        assertEquals(1, connection.receive(call("hook-SECRET-abc")).events().size());
        assertEquals(1, connection.receive(call(HOOK_SECRET)).events().size());
    }

    @Test
    void withNoSecretAtAllEveryCallIsRefusedWithTheFix() {
        MessagingTestContext ctx = ctx().with("messaging-webhook-secret", null);
        MessagingConnection connection = new MessagingConnectionTest.TestConnection(ctx);
        for (String key : new String[] {null, "", "anything"}) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> connection.receive(call(key)));
            assertEquals(401, e.status());
            assertEquals("no messaging webhook secret: set messaging-webhook-secret or POST /api/connections/zd1/setup",
                    e.getMessage());
        }
    }

    @Test
    void theWebhookSecretSettingIsAnOptionalSecret() {
        ConfigField f = MessagingSettings.fields().stream().filter(x -> x.name().equals("messaging-webhook-secret"))
                .findFirst().orElseThrow();
        assertFalse(f.required());
        assertTrue(f.secret());
        assertEquals(null, MessagingSettings.from(ctx().with("messaging-webhook-secret", null)).webhookSecret());
    }
}
