package dev.parley.infobip.sms;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.SendReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code infobip-sms} requests as they go over the wire (a real MicroProfile REST Client against a WireMock
 * stand-in): exact paths, headers and bodies, each also checked against Infobip's published OpenAPI spec.
 */
class SmsWireTest {

    static final InfobipSpecValidator SPEC = new InfobipSpecValidator();

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(SPEC)).build();

    private static final String KEY = "sk-test-key-123456";
    private static final String SENT = """
            {"bulkId":"2034072219640523072","messages":[{"messageId":"ref-1",
              "status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED",
                        "description":"Message sent to next instance"},
              "destination":"41793026727","details":{"messageCount":1}}]}""";

    @AfterEach
    void requestsFollowInfobipsSpec() {
        SPEC.assertNoViolations();
    }

    private static String token(String kind) {
        return WebhookAuth.token("hook-secret-pw", "sms1", kind);
    }

    private SendReceipt send(FakeContext ctx, String text) {
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).willReturn(okJson(SENT)));
        Connection c = new InfobipSmsConnector().open(ctx);
        return ((Channel) c).send(new OutboundMessage("ref-1", "+41793026727", text));
    }

    @Test
    void sendWithoutALink() {
        SendReceipt r = send(FakeContext.against(infobip.baseUrl()), "Hello");
        assertEquals(new SendReceipt("ref-1", DeliveryStatus.SENT, "PENDING_ACCEPTED"), r);
        infobip.verify(1, postRequestedFor(urlEqualTo("/sms/3/messages"))
                .withHeader("Authorization", equalTo("App " + KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"messages":[{"sender":"Parley","destinations":[{"to":"41793026727","messageId":"ref-1"}],
                          "content":{"text":"Hello"},
                          "webhooks":{"delivery":{"url":"https://parley.example/channel/sms1/webhook/dlr?token=%s",
                                                  "intermediateReport":true,"notify":true},
                                      "contentType":"application/json","callbackData":"ref-1"}}]}"""
                        .formatted(token("dlr")))));
    }

    @Test
    void sendWithALinkAsksForTracking() {
        send(FakeContext.against(infobip.baseUrl()).with("env.INFOBIP_SHORT_DOMAIN", "go.example.com"),
                "See https://shop.example/x");
        infobip.verify(1, postRequestedFor(urlEqualTo("/sms/3/messages")).withRequestBody(equalToJson("""
                {"messages":[{"sender":"Parley","destinations":[{"to":"41793026727","messageId":"ref-1"}],
                  "content":{"text":"See https://shop.example/x"},
                  "webhooks":{"delivery":{"url":"https://parley.example/channel/sms1/webhook/dlr?token=%s",
                                          "intermediateReport":true,"notify":true},
                              "contentType":"application/json","callbackData":"ref-1"}}],
                 "options":{"tracking":{"shortenUrl":true,"trackClicks":true,
                   "trackingUrl":"https://parley.example/channel/sms1/webhook/click?token=%s",
                   "removeProtocol":false,"customDomain":"go.example.com"}}}"""
                .formatted(token("dlr"), token("click")))));
    }

    @Test
    void sendWithoutWebhookAuthOrTracking() {
        send(FakeContext.against(infobip.baseUrl()).with("webhook-auth", "none").with("webhook-password", null)
                .with("link-tracking", "false"), "www.example.com and a long text " + "x".repeat(2000));
        infobip.verify(1, postRequestedFor(urlEqualTo("/sms/3/messages")).withRequestBody(equalToJson("""
                {"messages":[{"sender":"Parley","destinations":[{"to":"41793026727","messageId":"ref-1"}],
                  "content":{"text":"${json-unit.any-string}"},
                  "webhooks":{"delivery":{"url":"https://parley.example/channel/sms1/webhook/dlr",
                                          "intermediateReport":true,"notify":true},
                              "contentType":"application/json","callbackData":"ref-1"}}]}""")));
    }

    @Test
    void verifyReadsTheBalanceThenProbesTheSmsLogs() {
        infobip.stubFor(get(urlPathEqualTo("/account/1/balance")).willReturn(okJson("{\"balance\":42.5,\"currency\":\"EUR\"}")));
        infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).willReturn(okJson("{\"results\":[]}")));
        String line = new InfobipSmsConnector().open(FakeContext.against(infobip.baseUrl())).verify();
        assertTrue(line.contains("balance 42.5 EUR"), line);
        infobip.verify(1, getRequestedFor(urlEqualTo("/account/1/balance"))
                .withHeader("Authorization", equalTo("App " + KEY)).withHeader("Accept", equalTo("application/json")));
        infobip.verify(1, getRequestedFor(urlEqualTo("/sms/3/logs?limit=1"))
                .withHeader("Authorization", equalTo("App " + KEY)).withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void verifyWithoutAccountScopeProbesTheSmsLogs() {
        infobip.stubFor(get(urlPathEqualTo("/account/1/balance")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"FORBIDDEN\",\"text\":\"Forbidden\"}}}")));
        infobip.stubFor(get(urlPathEqualTo("/sms/3/logs")).willReturn(okJson("{\"results\":[]}")));
        String line = new InfobipSmsConnector().open(FakeContext.against(infobip.baseUrl())).verify();
        assertTrue(line.contains("SMS logs readable"), line);
        infobip.verify(1, getRequestedFor(urlEqualTo("/sms/3/logs?limit=1")));
    }
}
