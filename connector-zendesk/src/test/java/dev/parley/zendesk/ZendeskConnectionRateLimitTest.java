package dev.parley.zendesk;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.RateLimits;
import dev.parley.spi.RetryableException;
import dev.parley.spi.util.LocalRateLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A Zendesk connection spends the budget the host lends ({@code ctx.rateLimits()}), under its account's bucket. */
class ZendeskConnectionRateLimitTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Records what the connection asks of the host's limits, and keeps them in a LocalRateLimits. */
    static final class Recording implements RateLimits {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final LocalRateLimits local;

        Recording(DeskTestContext ctx) {
            local = new LocalRateLimits(ctx.clock());
        }

        @Override
        public Duration tryTake(String bucket, int limit, Duration window) {
            calls.add("take " + bucket + " " + limit + "/" + window);
            return local.tryTake(bucket, limit, window);
        }

        @Override
        public void pauseUntil(String bucket, Instant until) {
            calls.add("pause " + bucket + " until " + until);
            local.pauseUntil(bucket, until);
        }
    }

    @Test
    void everyCallTakesFromTheAccountsSharedBucketAndAnAccount429PausesIt() {
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/5")).willReturn(okJson("{\"ticket\":{\"id\":5}}")));
        zendesk.stubFor(get(urlEqualTo("/api/v2/tickets/6")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "45").withHeader("X-Rate-Limit-Remaining", "0")));
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl()).with("rate-limit", "7").with("rate-window-seconds", "30");
        Recording limits = new Recording(ctx);
        ctx.rateLimits = limits;
        ZendeskConnection connection = (ZendeskConnection) new ZendeskConnector().open(ctx);

        connection.client.ok("read", (api, auth) -> api.ticket(auth, 5));
        assertEquals(List.of("take zendesk:acme 7/PT30S"), limits.calls);

        Instant now = ctx.clock().instant();
        RetryableException e = assertThrows(RetryableException.class,
                () -> connection.client.call("read", (api, auth) -> api.ticket(auth, 6)));
        assertEquals(Duration.ofSeconds(45), e.retryAfter().orElseThrow());
        assertEquals(List.of("take zendesk:acme 7/PT30S", "take zendesk:acme 7/PT30S",
                "pause zendesk:acme until " + now.plusSeconds(45)), limits.calls);
        assertEquals(Duration.ofSeconds(45), limits.local.tryTake("zendesk:acme", 7, Duration.ofSeconds(30)),
                "every instance sharing the limits is paused");
    }
}
