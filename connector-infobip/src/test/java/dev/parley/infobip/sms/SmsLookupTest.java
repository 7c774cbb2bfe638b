package dev.parley.infobip.sms;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.SentMessageLookup;
import dev.parley.spi.SentMessageLookup.Answer;
import dev.parley.spi.SentMessageLookup.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SentMessageLookup} of {@code infobip-sms} against a WireMock stand-in of Infobip, through a real
 * MicroProfile REST Client (RESTEasy), so the request is what Infobip would see. The bodies follow the
 * {@code GET /sms/3/logs} examples and error responses of Infobip's SMS OpenAPI spec (3.210.0).
 */
class SmsLookupTest {

    /** Every request the tests make is checked against Infobip's published spec. */
    static final InfobipSpecValidator SPEC = new InfobipSpecValidator();

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(SPEC)).build();

    @AfterEach
    void requestsFollowInfobipsSpec() {
        SPEC.assertNoViolations();
    }

    private static final String KEY = "sk-test-key-123456";
    private static final String REF = "7d9f5c1e-2b4a-4c7e-9a31-0c5e8f2d1b6a";
    private static final OutboundMessage MESSAGE = new OutboundMessage(REF, "+41793026727", "Hello");
    /** The last attempt 10 minutes before "now": past the logs' grace period. */
    private static final Instant LONG_AGO = FakeContext.NOW.minus(Duration.ofMinutes(10));

    private static String log(String messageId, String destination, int groupId, String group, String name) {
        return """
                {"destination":"%s","bulkId":"BULK-1","messageId":"%s",
                 "sentAt":"2024-01-01T09:50:00.000+0000","doneAt":"2024-01-01T09:50:05.000+0000","messageCount":1,
                 "price":{"pricePerMessage":0.01,"currency":"EUR"},
                 "status":{"groupId":%d,"groupName":"%s","id":5,"name":"%s","description":"x"},
                 "error":{"groupId":0,"groupName":"OK","id":0,"name":"NO_ERROR","description":"No Error","permanent":false},
                 "platform":{"entityId":"e","applicationId":"a"},"content":{"text":"Hello"},"mccMnc":"22801"}"""
                .formatted(destination, messageId, groupId, group, name);
    }

    private static String results(String... logs) {
        return "{\"results\":[" + String.join(",", logs) + "]}";
    }


    private SentMessageLookup open() {
        FakeContext ctx = FakeContext.against(infobip.baseUrl());
        Connection c = new InfobipSmsConnector().open(ctx);
        return c.capability(SentMessageLookup.class).orElseThrow();
    }

    private void stubLogs(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).willReturn(response));
    }

    private static void noSecret(Result r) {
        assertFalse(r.reason().contains(KEY), r.reason());
        assertFalse(r.reason().contains("hook-secret-pw"), r.reason());
    }

    // ---- the request ----------------------------------------------------------------------------

    @Test
    void asksTheV3LogsByParleysMessageIdWithTheAppKey() {
        stubLogs(okJson(results(log(REF, "41793026727", 3, "DELIVERED", "DELIVERED_TO_HANDSET"))));
        open().lookup(MESSAGE, LONG_AGO);
        infobip.verify(1, getRequestedFor(urlPathEqualTo("/sms/3/logs"))
                .withQueryParam("messageId", equalTo(REF))
                .withHeader("Authorization", equalTo("App " + KEY))
                .withHeader("Accept", equalTo("application/json")));
        // Nothing else: no limit, no other filter, and never the once-only reports endpoints.
        assertEquals("/sms/3/logs?messageId=" + REF, infobip.getAllServeEvents().get(0).getRequest().getUrl());
    }

    @Test
    void aReferenceIsSentEncoded() {
        stubLogs(okJson(results()));
        String odd = "ref 1&limit=1000/ü";
        open().lookup(new OutboundMessage(odd, "+41793026727", "x"), LONG_AGO);
        infobip.verify(1, getRequestedFor(urlPathEqualTo("/sms/3/logs")).withQueryParam("messageId", equalTo(odd)));
        assertEquals(1, infobip.getAllServeEvents().get(0).getRequest().getQueryParams().size());
    }

    // ---- FOUND ----------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "1, PENDING,       PENDING_ACCEPTED,           SENT",
            "1, ACCEPTED,      PENDING_ACCEPTED,           SENT",
            "3, DELIVERED,     DELIVERED_TO_HANDSET,       DELIVERED",
            "2, UNDELIVERABLE, UNDELIVERABLE_NOT_DELIVERED, UNDELIVERABLE",
            "4, EXPIRED,       EXPIRED_EXPIRED,            EXPIRED",
            "5, REJECTED,      REJECTED_NETWORK,           REJECTED",
            "3, SOMETHING_NEW, X,                          DELIVERED",
            "9, SOMETHING_NEW, X,                          SENT"})
    void foundWithTheStatusMapped(int groupId, String group, String name, DeliveryStatus expected) {
        stubLogs(okJson(results(log(REF, "41793026727", groupId, group, name))));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.FOUND, r.answer(), r.reason());
        assertEquals(new SendReceipt(REF, expected, name), r.receipt());
        assertNull(r.retryAfter());
        assertTrue(r.reason().contains("Infobip's SMS logs have message " + REF), r.reason());
    }

    @Test
    void foundEvenWithinTheGracePeriod() {
        stubLogs(okJson(results(log(REF, "41793026727", 1, "PENDING", "PENDING_ACCEPTED"))));
        Result r = open().lookup(MESSAGE, FakeContext.NOW.minusSeconds(5));
        assertEquals(Answer.FOUND, r.answer(), r.reason());
    }

    @Test
    void onlyAnExactIdCounts() {
        // As if the filter were ignored: Infobip's latest logs, none of them ours.
        stubLogs(okJson(results(log(REF + "-2", "41793026727", 3, "DELIVERED", "D"),
                log("12db39c3-7822", "41793026834", 3, "DELIVERED", "D"))));
        assertEquals(Answer.NOT_FOUND, open().lookup(MESSAGE, LONG_AGO).answer());
    }

    @Test
    void sameIdToAnotherNumberIsUnknown() {
        stubLogs(okJson(results(log(REF, "41790000000", 3, "DELIVERED", "D"))));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("another number"), r.reason());
    }

    // ---- NOT_FOUND and the grace period ---------------------------------------------------------

    @Test
    void emptyLogsAfterTheGracePeriodAreNotFound() {
        stubLogs(okJson(results()));
        Result r = open().lookup(MESSAGE, FakeContext.NOW.minus(SmsConnection.LOG_GRACE));
        assertEquals(Answer.NOT_FOUND, r.answer(), r.reason());
        assertEquals("no message " + REF + " in Infobip's SMS logs 5 minutes after the last attempt", r.reason());
        assertNull(r.receipt());
    }

    @Test
    void emptyLogsWithinTheGracePeriodAreUnknownUntilItEnds() {
        stubLogs(okJson(results()));
        Result r = open().lookup(MESSAGE, FakeContext.NOW.minusSeconds(60));
        assertEquals(Answer.UNKNOWN, r.answer());
        assertEquals(SmsConnection.LOG_GRACE.minusSeconds(60), r.retryAfter());
        assertTrue(r.reason().contains("may lag"), r.reason());

        // An attempt time ahead of this instance's clock (another instance's clock) is "just now".
        Result ahead = open().lookup(MESSAGE, FakeContext.NOW.plusSeconds(30));
        assertEquals(Answer.UNKNOWN, ahead.answer());
        assertEquals(SmsConnection.LOG_GRACE, ahead.retryAfter());
    }

    @Test
    void emptyLogsWithoutAnAttemptTimeAreUnknown() {
        stubLogs(okJson(results()));
        Result r = open().lookup(MESSAGE, null);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("not known"), r.reason());
    }

    @Test
    void emptyLogsBeyondTheirFortyEightHoursAreUnknown() {
        stubLogs(okJson(results()));
        Result r = open().lookup(MESSAGE, FakeContext.NOW.minus(Duration.ofHours(50)));
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("48 hours"), r.reason());
        assertNull(r.retryAfter());
    }

    @Test
    void aBodyWithoutResultsIsUnknown() {
        stubLogs(okJson("{\"unexpected\":true}"));
        assertEquals(Answer.UNKNOWN, open().lookup(MESSAGE, LONG_AGO).answer());
        infobip.resetAll();
        stubLogs(aResponse().withStatus(200).withBody("<html>not json</html>"));
        assertEquals(Answer.UNKNOWN, open().lookup(MESSAGE, LONG_AGO).answer());
    }

    // ---- failures are UNKNOWN -------------------------------------------------------------------

    @Test
    void unauthorizedIsUnknownAndNamesTheScope() {
        stubLogs(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody("""
                {"errorCode":"E401","description":"The request lacks valid authentication credentials for the requested resource.",
                 "action":"Check the resources and adjust authentication credentials.","violations":[],"resources":[]}"""));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("HTTP 401 E401"), r.reason());
        assertTrue(r.reason().contains("sms:logs:read"), r.reason());
        noSecret(r);
    }

    @Test
    void forbiddenIsUnknownAndSaysWhichScopeToAdd() {
        // The body echoes the key, as a misbehaving proxy might: it must not reach the reason.
        stubLogs(aResponse().withStatus(403).withHeader("Content-Type", "application/json").withBody("""
                {"errorCode":"E403","description":"Insufficient permissions for key %s","action":"x","violations":[],
                 "resources":[{"name":"API Scopes","url":"https://www.infobip.com/docs/essentials/api-authentication/api-scopes"}]}"""
                .formatted(KEY)));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("HTTP 403 E403"), r.reason());
        assertTrue(r.reason().contains("add scope sms:logs:read (or sms:manage)"), r.reason());
        noSecret(r);
    }

    @Test
    void rateLimitedIsUnknownWithItsRetryAfter() {
        stubLogs(aResponse().withStatus(429).withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                .withBody("{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\",\"action\":\"x\","
                        + "\"violations\":[],\"resources\":[]}"));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertEquals(Duration.ofSeconds(7), r.retryAfter());
        assertTrue(r.reason().contains("HTTP 429 E429: Too many requests sent."), r.reason());
        noSecret(r);
    }

    @Test
    void aShortRateLimitIsWaitedOutInLine() {
        infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).inScenario("throttled")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).inScenario("throttled").whenScenarioStateIs("open")
                .willReturn(okJson(results(log(REF, "41793026727", 3, "DELIVERED", "DELIVERED_TO_HANDSET")))));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.FOUND, r.answer(), r.reason());
        infobip.verify(2, getRequestedFor(urlPathEqualTo("/sms/3/logs")));
    }

    @Test
    void rateLimitedWithoutRetryAfterLeavesTheWaitToTheRuntime() {
        stubLogs(aResponse().withStatus(429));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertNull(r.retryAfter());
    }

    @Test
    void serverErrorIsUnknown() {
        stubLogs(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"errorCode\":\"E500\",\"description\":\"Something went wrong.\",\"action\":\"x\","
                        + "\"violations\":[],\"resources\":[]}"));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("Infobip server error") && r.reason().contains("HTTP 500 E500"), r.reason());
        noSecret(r);
    }

    @Test
    void otherClientErrorsAreUnknownToo() {
        stubLogs(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errorCode\":\"E400\",\"description\":\"Request cannot be processed.\",\"action\":\"x\","
                        + "\"violations\":[{\"property\":\"messageId\",\"violation\":\"too long\"}],\"resources\":[]}"));
        Result r = open().lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("HTTP 400 E400"), r.reason());
    }

    @Test
    void networkFailureIsUnknown() {
        FakeContext c = FakeContext.against("http://127.0.0.1:9"); // discard port: refused
        SentMessageLookup lookup = new InfobipSmsConnector().open(c).capability(SentMessageLookup.class).orElseThrow();
        Result r = lookup.lookup(MESSAGE, LONG_AGO);
        assertEquals(Answer.UNKNOWN, r.answer());
        assertTrue(r.reason().contains("could not reach Infobip at 127.0.0.1:9"), r.reason());
        noSecret(r);
    }
}
