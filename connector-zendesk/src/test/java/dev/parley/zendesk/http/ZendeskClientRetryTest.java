package dev.parley.zendesk.http;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.parley.spi.RetryableException;
import dev.parley.zendesk.DeskTestContext;
import dev.parley.zendesk.ZendeskSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskClientRetryTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void a429WaitsItsRetryAfterThenSucceeds() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/5")).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/5")).inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ticket\":{\"id\":5}}")));
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl());
        ZendeskSettings s = ctx.zendeskSettings();
        ZendeskClient client = ctx.client(s);

        assertEquals(5, client.ok("read", (api, auth) -> api.ticket(auth, 5)).getJsonObject("ticket").getInt("id"));
        assertEquals(List.of(Duration.ofSeconds(1)), ctx.sleeps);
        zendesk.verify(2, getRequestedFor(urlEqualTo("/api/v2/tickets/5")));
    }

    @Test
    void fiveHundredsAreRetriedThenThrownAsRetryable() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/5")).willReturn(aResponse().withStatus(503)));
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl()).with("max-retries", "2");
        ZendeskSettings s = ctx.zendeskSettings();
        ZendeskClient client = ctx.client(s);

        RetryableException e = assertThrows(RetryableException.class,
                () -> client.call("read the ticket", (api, auth) -> api.ticket(auth, 5)));
        assertTrue(e.getMessage().contains("read the ticket: Zendesk answered 503"), e.getMessage());
        zendesk.verify(3, getRequestedFor(urlEqualTo("/api/v2/tickets/5")));
        assertEquals(2, ctx.sleeps.size());
    }

    @Test
    void aWriteWithoutIdempotencyKeyIsNotRepeatedAfterAFiveHundred() {
        zendesk.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo("/api/v2/tickets/6"))
                .willReturn(aResponse().withStatus(502)));
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl());
        ZendeskClient client = ctx.client(ctx.zendeskSettings());
        assertThrows(RetryableException.class, () -> client.write("add a comment", (api, auth) -> api.updateTicket(auth, 6, "{}")));
        zendesk.verify(1, com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/api/v2/tickets/6")));
    }

    @Test
    void aPerEndpoint429DoesNotPauseTheConnectionButAnAccount429Does() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/7")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withHeader("X-Rate-Limit-Remaining", "150")));
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/8")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withHeader("X-Rate-Limit-Remaining", "0")));
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl());
        ZendeskClient client = ctx.client(ctx.zendeskSettings());
        RetryableException one = assertThrows(RetryableException.class, () -> client.call("read", (api, auth) -> api.ticket(auth, 7)));
        assertEquals(Duration.ofSeconds(30), one.retryAfter().orElseThrow());
        client.limiter().acquire(Duration.ZERO); // one busy ticket leaves the others alone
        assertThrows(RetryableException.class, () -> client.call("read", (api, auth) -> api.ticket(auth, 8)));
        assertThrows(RetryableException.class, () -> client.limiter().acquire(Duration.ofSeconds(1)),
                "the account's budget is spent: every caller waits");
    }
}
