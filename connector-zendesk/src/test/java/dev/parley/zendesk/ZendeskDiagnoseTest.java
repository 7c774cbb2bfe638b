package dev.parley.zendesk;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.Finding;
import dev.parley.spi.Finding.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ZendeskConnection#diagnose()}: the credentials, then the webhook and each trigger, every finding Zendesk's
 * answers can produce (in order, missing, deleted, inactive, pointing elsewhere, refused), read-only.
 */
class ZendeskDiagnoseTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String ENDPOINT = "https://parley.example/channel/desk/webhook/ticket";
    static final String HOOK = "01HWEBHOOK";
    static final String ADMIN = "{\"user\":{\"id\":123,\"email\":\"bot@acme.com\",\"role\":\"admin\",\"restricted_agent\":false}}";

    private DeskTestContext ctx;

    /** A connection whose setup registered webhook 01HWEBHOOK and triggers 11 (agent reply) and 12 (solved). */
    private List<Finding> diagnose() {
        ctx = DeskTestContext.against(zendesk.baseUrl()).with("assist", "false");
        ctx.stored.put("webhook.id", HOOK);
        ctx.stored.put("trigger.agent-reply.id", "11");
        ctx.stored.put("trigger.solved.id", "12");
        List<Finding> findings = ((ZendeskConnection) new ZendeskConnector().open(ctx)).diagnose();
        findings.forEach(f -> {
            assertFalse(f.toString().contains(DeskTestContext.TOKEN), "no secret: " + f);
            if (f.severity() != Severity.OK) {
                assertFalse(f.symptom().isBlank() || f.cause().isBlank() || f.fix().isBlank(), "symptom, cause, fix: " + f);
            }
        });
        zendesk.findAll(anyRequestedFor(anyUrl())).forEach(r -> assertEquals("GET", r.getMethod().getName(),
                "the doctor only reads: " + r.getUrl()));
        return findings;
    }

    private static void me() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/users/me")).willReturn(okJson(ADMIN)));
    }

    private static void webhook(String status, String endpoint) {
        zendesk.stubFor(get(urlEqualTo("/api/v2/webhooks/" + HOOK)).willReturn(okJson("{\"webhook\":{\"id\":\"" + HOOK
                + "\",\"status\":\"" + status + "\",\"endpoint\":\"" + endpoint + "\"}}")));
    }

    private static void trigger(long id, boolean active, String webhook) {
        zendesk.stubFor(get(urlEqualTo("/api/v2/triggers/" + id)).willReturn(okJson("{\"trigger\":{\"id\":" + id
                + ",\"active\":" + active + ",\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + webhook
                + "\",\"{}\"]}]}}")));
    }

    private static void notFound(String path) {
        zendesk.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"RecordNotFound\"}")));
    }

    private static List<String> checks(List<Finding> findings) {
        return findings.stream().map(f -> f.severity() + " " + f.check()).toList();
    }

    @Test
    void everythingInOrderIsOkFindingsForCredentialsWebhookAndEachTrigger() {
        me();
        webhook("active", ENDPOINT);
        trigger(11, true, HOOK);
        trigger(12, true, HOOK);
        List<Finding> f = diagnose();
        assertEquals(List.of("OK zendesk.credentials", "OK zendesk.webhook", "OK zendesk.trigger", "OK zendesk.trigger"),
                checks(f));
        assertEquals("Zendesk acme: signed in as bot@acme.com (admin, user 123)", f.get(0).symptom());
        assertEquals("webhook " + HOOK + " is active and calls " + ENDPOINT, f.get(1).symptom());
        assertTrue(f.get(2).symptom().startsWith("trigger 11 'Parley test desk: agent reply' is active"), f.get(2).symptom());
        assertTrue(f.get(3).symptom().startsWith("trigger 12 'Parley test desk: solved' is active"), f.get(3).symptom());
    }

    @Test
    void refusedCredentialsAreOneErrorAndNothingElseIsAsked() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/users/me")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Couldn't authenticate you\"}")));
        List<Finding> f = diagnose();
        assertEquals(List.of("ERROR zendesk.credentials"), checks(f));
        assertTrue(f.get(0).symptom().contains("handoffs fail"), f.get(0).symptom());
        assertTrue(f.get(0).cause().startsWith("Zendesk refused the credentials (401)"), f.get(0).cause());
        assertTrue(f.get(0).fix().contains("/api/connections/desk/verify"), f.get(0).fix());
        zendesk.verify(0, getRequestedFor(urlPathMatching("/api/v2/(webhooks|triggers)/.*")));
    }

    @Test
    void anUnreachableZendeskIsAWarning() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/users/me")).willReturn(aResponse().withFault(
                com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        List<Finding> f = diagnose();
        assertEquals(List.of("WARNING zendesk.credentials"), checks(f));
        assertEquals("Parley cannot reach Zendesk just now", f.get(0).symptom());
    }

    @Test
    void nothingRegisteredNamesTheSetupCall() {
        me();
        DeskTestContext fresh = DeskTestContext.against(zendesk.baseUrl()).with("assist", "true");
        List<Finding> f = ((ZendeskConnection) new ZendeskConnector().open(fresh)).diagnose();
        assertEquals(List.of("OK zendesk.credentials", "ERROR zendesk.webhook", "ERROR zendesk.trigger",
                "ERROR zendesk.trigger", "ERROR zendesk.trigger"), checks(f), "assist adds its trigger");
        assertTrue(f.get(1).symptom().startsWith("Zendesk does not call Parley"), f.get(1).symptom());
        assertTrue(f.get(1).cause().startsWith("no Zendesk webhook is registered"), f.get(1).cause());
        assertTrue(f.get(1).fix().startsWith("POST /api/connections/desk/setup creates it"), f.get(1).fix());
        assertTrue(f.get(2).symptom().startsWith("agents' public replies"), f.get(2).symptom());
        assertTrue(f.get(3).symptom().startsWith("solving a handed-off ticket does not end its handoff"), f.get(3).symptom());
        assertTrue(f.get(4).symptom().contains("assist"), f.get(4).symptom());
        assertTrue(f.get(4).cause().contains("'Parley test desk: customer comment' is not registered"), f.get(4).cause());
    }

    @Test
    void aWebhookDeletedInZendeskIsMissing() {
        me();
        notFound("/api/v2/webhooks/" + HOOK);
        trigger(11, true, HOOK);
        trigger(12, true, HOOK);
        List<Finding> f = diagnose();
        assertEquals(Severity.ERROR, f.get(1).severity());
        assertEquals("the webhook " + HOOK + " Parley registered was deleted in Zendesk", f.get(1).cause());
        // The triggers call a webhook that is gone: setup repoints them.
        assertEquals(Severity.ERROR, f.get(2).severity());
        assertTrue(f.get(2).cause().contains("Parley's webhook is missing"), f.get(2).cause());
        assertTrue(f.get(2).fix().contains("points it at Parley's webhook"), f.get(2).fix());
    }

    @Test
    void anInactiveWebhookSaysWhoMayHaveDeactivatedItAndIsReportedOnce() {
        me();
        webhook("inactive", ENDPOINT);
        trigger(11, true, HOOK);
        trigger(12, true, HOOK);
        List<Finding> f = diagnose();
        assertEquals(List.of("OK zendesk.credentials", "ERROR zendesk.webhook", "OK zendesk.trigger", "OK zendesk.trigger"),
                checks(f), "the triggers still call the stored webhook: only the webhook is wrong");
        assertTrue(f.get(1).cause().startsWith("the webhook " + HOOK + " is inactive in Zendesk"), f.get(1).cause());
        assertTrue(f.get(1).fix().contains("webhook.rejected") && f.get(1).fix().contains("/setup"), f.get(1).fix());
    }

    @Test
    void aWebhookPointingElsewhereNamesBothAddressesAndThePublicUrl() {
        me();
        webhook("active", "https://old.example/channel/desk/webhook/ticket");
        trigger(11, true, HOOK);
        trigger(12, true, HOOK);
        List<Finding> f = diagnose();
        assertEquals(Severity.ERROR, f.get(1).severity());
        assertEquals("the webhook " + HOOK + " calls https://old.example/channel/desk/webhook/ticket, not this Parley's "
                + ENDPOINT + " (it was edited in Zendesk, or Parley's public URL changed since setup)", f.get(1).cause());
        assertTrue(f.get(1).fix().startsWith("check parley.public-url"), f.get(1).fix());
    }

    @Test
    void triggersDeletedInactiveOrCallingAnotherWebhook() {
        me();
        webhook("active", ENDPOINT);
        trigger(11, false, HOOK);
        trigger(12, true, "01HSOMEONEELSE");
        List<Finding> f = diagnose();
        assertEquals(List.of("OK zendesk.credentials", "OK zendesk.webhook", "ERROR zendesk.trigger", "ERROR zendesk.trigger"),
                checks(f));
        assertTrue(f.get(2).cause().contains("trigger 11 'Parley test desk: agent reply' is deactivated in Zendesk"),
                f.get(2).cause());
        assertTrue(f.get(2).fix().startsWith("activate it there"), f.get(2).fix());
        assertTrue(f.get(3).cause().contains("does not call Parley's webhook " + HOOK), f.get(3).cause());

        notFound("/api/v2/triggers/12");
        Finding deleted = diagnose().get(3);
        assertEquals("the trigger 12 'Parley test desk: solved' was deleted in Zendesk", deleted.cause());
        assertTrue(deleted.symptom().contains("the bot stays silent"), deleted.symptom());
    }

    @Test
    void aRefusedReadOfTheWebhookIsOneErrorNamingTheAdminRole() {
        me();
        zendesk.stubFor(get(urlEqualTo("/api/v2/webhooks/" + HOOK)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Forbidden\",\"description\":"
                        + "\"You do not have access to this page\"}")));
        List<Finding> f = diagnose();
        assertEquals(List.of("OK zendesk.credentials", "ERROR zendesk.setup"), checks(f));
        assertTrue(f.get(1).cause().contains("403"), f.get(1).cause());
        assertTrue(f.get(1).fix().contains("admin"), f.get(1).fix());
    }
}
