package dev.parley.zendesk.setup;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.ProviderSetup;
import dev.parley.zendesk.DeskTestContext;
import dev.parley.zendesk.ZendeskSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookRegistrationTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String ENDPOINT = "https://parley.example/channel/desk/webhook/ticket";
    static final String HOOK = "01HWEBHOOK";

    private DeskTestContext ctx;

    private WebhookRegistration registration(boolean assist) {
        ctx = DeskTestContext.against(zendesk.baseUrl()).with("assist", String.valueOf(assist));
        ZendeskSettings s = ctx.zendeskSettings();
        return new WebhookRegistration(ctx.client(s), s, ctx);
    }

    private static void json(com.github.tomakehurst.wiremock.client.MappingBuilder m, int status, String body) {
        zendesk.stubFor(m.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    private static String trigger(String label, String event, String conditions) {
        return "{\"trigger\":{\"title\":\"Parley test desk: " + label + "\",\"active\":true,"
                + "\"conditions\":{\"all\":[" + conditions + "],\"any\":[]},"
                + "\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + HOOK + "\","
                + "\"{\\\"ticket_id\\\":\\\"{{ticket.id}}\\\",\\\"external_id\\\":\\\"{{ticket.external_id}}\\\","
                + "\\\"status\\\":\\\"{{ticket.status}}\\\",\\\"event\\\":\\\"" + event + "\\\"}\"]}]}}";
    }

    static final String AGENT_REPLY = trigger("agent reply", "agent_comment",
            "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                    + "{\"field\":\"comment_is_public\",\"operator\":\"is\",\"value\":\"true\"},"
                    + "{\"field\":\"current_tags\",\"operator\":\"includes\",\"value\":\"parley_i_test\"},"
                    + "{\"field\":\"role\",\"operator\":\"is\",\"value\":\"agent\"},"
                    + "{\"field\":\"status\",\"operator\":\"less_than\",\"value\":\"solved\"},"
                    + "{\"field\":\"current_tags\",\"operator\":\"not_includes\",\"value\":\"parley_customer_closed\"}");
    static final String SOLVED = trigger("solved", "solved",
            "{\"field\":\"status\",\"operator\":\"value\",\"value\":\"solved\"},"
                    + "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                    + "{\"field\":\"current_tags\",\"operator\":\"includes\",\"value\":\"parley_i_test\"}");
    static final String ASSIST = trigger("customer comment", "customer_comment",
            "{\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"Change\"},"
                    + "{\"field\":\"comment_is_public\",\"operator\":\"is\",\"value\":\"true\"},"
                    + "{\"field\":\"role\",\"operator\":\"is\",\"value\":\"end_user\"},"
                    + "{\"field\":\"current_tags\",\"operator\":\"not_includes\",\"value\":\"parley_handed_off\"},"
                    + "{\"field\":\"status\",\"operator\":\"less_than\",\"value\":\"solved\"}");

    private static String existingTrigger(long id, boolean active, String webhook) {
        return "{\"trigger\":{\"id\":" + id + ",\"active\":" + active + ",\"actions\":[{\"field\":\"notification_webhook\","
                + "\"value\":[\"" + webhook + "\",\"{}\"]}]}}";
    }

    @Test
    void registerCreatesTheWebhookReadsItsSecretThenCreatesTheTriggers() {
        json(post(urlEqualTo("/api/v2/webhooks")), 201, "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\"" + ENDPOINT
                + "\",\"status\":\"active\"}}");
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret")), 200,
                "{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-secret-xyz\"}}");
        json(post(urlEqualTo("/api/v2/triggers")).withRequestBody(matchingJsonPath("$.trigger.title", equalTo(
                "Parley test desk: agent reply"))), 201, "{\"trigger\":{\"id\":11}}");
        json(post(urlEqualTo("/api/v2/triggers")).withRequestBody(matchingJsonPath("$.trigger.title", equalTo(
                "Parley test desk: solved"))), 201, "{\"trigger\":{\"id\":12}}");
        json(post(urlEqualTo("/api/v2/triggers")).withRequestBody(matchingJsonPath("$.trigger.title", equalTo(
                "Parley test desk: customer comment"))), 201, "{\"trigger\":{\"id\":13}}");
        WebhookRegistration reg = registration(true);

        ProviderSetup.SetupStatus status = reg.register();

        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/webhooks"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth()))
                .withRequestBody(equalToJson("{\"webhook\":{\"name\":\"Parley test desk\",\"description\":\"${json-unit.any-string}\","
                        + "\"status\":\"active\",\"endpoint\":\"" + ENDPOINT + "\",\"http_method\":\"POST\","
                        + "\"request_format\":\"json\",\"subscriptions\":[\"conditional_ticket_events\"]}}")));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/triggers")).withRequestBody(equalToJson(AGENT_REPLY)));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/triggers")).withRequestBody(equalToJson(SOLVED)));
        zendesk.verify(postRequestedFor(urlEqualTo("/api/v2/triggers")).withRequestBody(equalToJson(ASSIST)));
        List<String> order = zendesk.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).stream().map(r -> r.getMethod() + " " + r.getUrl()).toList();
        assertTrue(order.get(0).startsWith("GET /api/v2/webhooks?filter"), "first a look for an own webhook: " + order);
        assertEquals(List.of("POST /api/v2/webhooks", "GET /api/v2/webhooks/" + HOOK + "/signing_secret",
                "POST /api/v2/triggers", "POST /api/v2/triggers", "POST /api/v2/triggers"), order.subList(1, order.size()));

        assertEquals(Map.of("webhook.id", HOOK, "webhook.signing-secret", "zd-secret-xyz", "trigger.agent-reply.id", "11",
                "trigger.solved.id", "12", "trigger.assist.id", "13"), ctx.stored);
        assertTrue(status.complete());
        assertEquals(List.of("webhook " + HOOK + ": active -> " + ENDPOINT, "trigger 11 agent reply: active",
                "trigger 12 solved: active", "trigger 13 customer comment: active"), status.items());
        assertFalse(status.ids().containsValue("zd-secret-xyz"));
        assertEquals(List.of("zd-secret-xyz"), reg.signingSecrets());
    }

    /** Instances starting together: the one holding the claim sets up; a claim whose instance died is taken over. */
    @Test
    void anotherInstanceSettingUpRightNowIsLeftToItAndAStaleClaimIsTakenOver() {
        WebhookRegistration reg = registration(false);
        ctx.stored.put(WebhookRegistration.CLAIM, "registering@" + ctx.now.minusSeconds(10));

        ProviderSetup.SetupStatus status = reg.register();

        assertFalse(status.complete());
        assertTrue(status.items().get(0).contains("being set up by another Parley instance"), status.items().toString());
        assertEquals(0, zendesk.getAllServeEvents().size(), "no call to Zendesk");
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(50)), reg.blockedFor());

        json(post(urlEqualTo("/api/v2/webhooks")), 201, "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\"" + ENDPOINT
                + "\",\"status\":\"active\"}}");
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret")), 200,
                "{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-secret-xyz\"}}");
        json(post(urlEqualTo("/api/v2/triggers")), 201, "{\"trigger\":{\"id\":21}}");
        ctx.now = ctx.now.plusSeconds(51);
        assertEquals(java.util.Optional.of(java.time.Duration.ZERO), reg.blockedFor(), "a minute old: stale, look again at once");
        assertTrue(reg.register().complete());
        assertEquals(1, zendesk.findAll(postRequestedFor(urlEqualTo("/api/v2/webhooks"))).size());
        assertFalse(ctx.stored.containsKey(WebhookRegistration.CLAIM), "given up when done: " + ctx.stored);
    }

    /** Two instances (one store, as one database) registering at the same moment: one webhook, and both end complete. */
    @Test
    void twoInstancesRegisteringTogetherCreateOneWebhook() throws Exception {
        // The create answers slowly, so the second instance comes while the first is at it.
        zendesk.stubFor(post(urlEqualTo("/api/v2/webhooks")).willReturn(aResponse().withStatus(201).withFixedDelay(700)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\"" + ENDPOINT + "\",\"status\":\"active\"}}")));
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK)), 200, "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\""
                + ENDPOINT + "\",\"status\":\"active\"}}");
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret")), 200,
                "{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-secret-xyz\"}}");
        json(post(urlEqualTo("/api/v2/triggers")), 201, "{\"trigger\":{\"id\":31}}");
        json(get(urlEqualTo("/api/v2/triggers/31")), 200, existingTrigger(31, true, HOOK));
        WebhookRegistration first = registration(false);
        DeskTestContext firstCtx = ctx;
        WebhookRegistration second = registration(false);
        ctx.stored = firstCtx.stored;

        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<ProviderSetup.SetupStatus> a = two.submit(first::register);
            long deadline = System.nanoTime() + 5_000_000_000L; // until the first holds the claim (it waits for Zendesk)
            while (!firstCtx.stored.containsKey(WebhookRegistration.CLAIM) && System.nanoTime() < deadline) Thread.sleep(10);
            java.util.concurrent.Future<ProviderSetup.SetupStatus> b = two.submit(second::register);
            assertTrue(a.get().complete());
            ProviderSetup.SetupStatus blocked = b.get();
            assertFalse(blocked.complete());
            assertTrue(blocked.items().get(0).contains("being set up by another Parley instance"), blocked.items().toString());
        } finally {
            two.shutdownNow();
        }
        // The first gave the claim up; the second looks again and finds what the first made.
        assertFalse(firstCtx.stored.containsKey(WebhookRegistration.CLAIM), "given up when done");
        assertTrue(second.register().complete());
        assertEquals(1, zendesk.findAll(postRequestedFor(urlEqualTo("/api/v2/webhooks"))).size(), "webhooks created");
        assertEquals(2, zendesk.findAll(postRequestedFor(urlEqualTo("/api/v2/triggers"))).size(), "triggers created");
    }

    @Test
    void registerAdoptsThisInstallationsWebhookWhenTheStoredIdsWereLost() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/webhooks")).withQueryParam("filter[name_contains]", equalTo("Parley test desk"))
                .willReturn(okJson("{\"webhooks\":[{\"id\":\"01HOTHER\",\"name\":\"Parley test desk\",\"endpoint\":\"https://elsewhere.example/x\",\"status\":\"active\"},"
                        + "{\"id\":\"" + HOOK + "\",\"name\":\"Parley test desk\",\"endpoint\":\"" + ENDPOINT + "\",\"status\":\"active\"}]}")));
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK)), 200, "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\"" + ENDPOINT
                + "\",\"status\":\"active\"}}");
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret")), 200,
                "{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-secret-xyz\"}}");
        json(post(urlEqualTo("/api/v2/triggers")), 201, "{\"trigger\":{\"id\":21}}");
        registration(false).register();
        zendesk.verify(0, postRequestedFor(urlEqualTo("/api/v2/webhooks")));
        assertEquals(HOOK, ctx.stored.get("webhook.id"));
        assertEquals("zd-secret-xyz", ctx.stored.get("webhook.signing-secret"));
        assertTrue(ctx.secretKeys.contains("webhook.signing-secret"), "stored as a secret (sealed by the runtime)");
    }

    @Test
    void checkReportsMissingDriftedAndPresentObjects() {
        WebhookRegistration reg = registration(false);
        ProviderSetup.SetupStatus none = reg.check();
        assertFalse(none.complete());
        assertEquals(List.of("webhook: missing", "trigger agent reply: missing", "trigger solved: missing"), none.items());

        ctx.stored.putAll(Map.of("webhook.id", HOOK, "trigger.agent-reply.id", "11", "trigger.solved.id", "12"));
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK)), 200, "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\""
                + ENDPOINT + "\",\"status\":\"active\"}}");
        json(get(urlEqualTo("/api/v2/triggers/11")), 200, existingTrigger(11, true, HOOK));
        json(get(urlEqualTo("/api/v2/triggers/12")), 404, "{\"error\":\"RecordNotFound\"}");
        ProviderSetup.SetupStatus s = reg.check();
        assertFalse(s.complete());
        assertEquals(List.of("webhook " + HOOK + ": active -> " + ENDPOINT, "trigger 11 agent reply: active",
                "trigger 12 solved: missing (deleted in Zendesk)"), s.items());

        json(get(urlEqualTo("/api/v2/triggers/12")), 200, existingTrigger(12, true, HOOK));
        assertTrue(reg.check().complete());

        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK)), 200, "{\"webhook\":{\"id\":\"" + HOOK
                + "\",\"endpoint\":\"https://old.example/hook\",\"status\":\"active\"}}");
        s = reg.check();
        assertFalse(s.complete());
        assertTrue(s.items().get(0).startsWith("webhook " + HOOK + ": drifted -> https://old.example/hook"), s.items().get(0));
    }

    @Test
    void registerRecreatesADriftedWebhookAndRepairsTriggersThatCallTheOldOne() {
        WebhookRegistration reg = registration(false);
        ctx.stored.putAll(Map.of("webhook.id", "01HOLD", "webhook.signing-secret", "old-secret",
                "trigger.agent-reply.id", "11", "trigger.solved.id", "12", "trigger.assist.id", "13"));
        json(get(urlEqualTo("/api/v2/webhooks/01HOLD")), 200, "{\"webhook\":{\"id\":\"01HOLD\","
                + "\"endpoint\":\"https://old.example/hook\",\"status\":\"active\"}}");
        zendesk.stubFor(delete(urlEqualTo("/api/v2/webhooks/01HOLD")).willReturn(aResponse().withStatus(204)));
        json(post(urlEqualTo("/api/v2/webhooks")), 201, "{\"webhook\":{\"id\":\"" + HOOK + "\"}}");
        json(get(urlEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret")), 200,
                "{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"new-secret\"}}");
        json(get(urlEqualTo("/api/v2/triggers/11")), 200, existingTrigger(11, true, "01HOLD"));
        json(get(urlEqualTo("/api/v2/triggers/12")), 200, existingTrigger(12, true, HOOK));
        json(put(urlEqualTo("/api/v2/triggers/11")), 200, "{\"trigger\":{\"id\":11}}");
        zendesk.stubFor(delete(urlEqualTo("/api/v2/triggers/13")).willReturn(aResponse().withStatus(404)));

        ProviderSetup.SetupStatus s = reg.register();

        zendesk.verify(deleteRequestedFor(urlEqualTo("/api/v2/webhooks/01HOLD")));
        zendesk.verify(putRequestedFor(urlEqualTo("/api/v2/triggers/11")).withRequestBody(equalToJson(AGENT_REPLY)));
        zendesk.verify(0, putRequestedFor(urlEqualTo("/api/v2/triggers/12")));
        zendesk.verify(deleteRequestedFor(urlEqualTo("/api/v2/triggers/13"))); // assist is off; 404 is fine
        assertEquals(Map.of("webhook.id", HOOK, "webhook.signing-secret", "new-secret", "trigger.agent-reply.id", "11",
                "trigger.solved.id", "12"), ctx.stored);
        assertTrue(s.complete());
    }

    @Test
    void unregisterDeletesTriggersThenTheWebhookAndForgetsThem() {
        WebhookRegistration reg = registration(true);
        ctx.stored.putAll(Map.of("webhook.id", HOOK, "webhook.signing-secret", "s",
                "trigger.agent-reply.id", "11", "trigger.solved.id", "12"));
        zendesk.stubFor(delete(urlEqualTo("/api/v2/triggers/11")).willReturn(aResponse().withStatus(204)));
        zendesk.stubFor(delete(urlEqualTo("/api/v2/triggers/12")).willReturn(aResponse().withStatus(404)));
        zendesk.stubFor(delete(urlEqualTo("/api/v2/webhooks/" + HOOK)).willReturn(aResponse().withStatus(204)));

        ProviderSetup.SetupStatus s = reg.unregister();

        List<String> order = zendesk.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).stream().map(r -> r.getMethod() + " " + r.getUrl()).toList();
        assertEquals(List.of("DELETE /api/v2/triggers/11", "DELETE /api/v2/triggers/12", "DELETE /api/v2/webhooks/" + HOOK), order);
        zendesk.verify(deleteRequestedFor(urlEqualTo("/api/v2/webhooks/" + HOOK))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth())));
        assertEquals(Map.of(), ctx.stored);
        assertEquals(List.of("trigger 11 agent reply: deleted", "trigger 12 solved: deleted", "webhook " + HOOK + ": deleted"),
                s.items());
        assertEquals(List.of(), reg.signingSecrets());
    }

    @Test
    void signingSecretsAreTheConfiguredAndTheStoredOnes() {
        ctx = DeskTestContext.against(zendesk.baseUrl()).with("webhook-secret", "by-hand");
        ZendeskSettings s = ctx.zendeskSettings();
        WebhookRegistration reg = new WebhookRegistration(ctx.client(s), s, ctx);
        assertEquals(List.of("by-hand"), reg.signingSecrets());
        ctx.stored.put("webhook.signing-secret", "registered");
        assertEquals(List.of("by-hand", "registered"), reg.signingSecrets());
    }
}
