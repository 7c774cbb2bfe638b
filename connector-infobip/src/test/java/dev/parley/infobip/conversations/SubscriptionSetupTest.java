package dev.parley.infobip.conversations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.webhook.WebhookSettings;
import dev.parley.infobip.InfobipConversationsConnector;
import dev.parley.spi.Connection;
import dev.parley.spi.ProviderSetup;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The subscription's claim in the connection store: who creates, and when a claim no longer stands. */
class SubscriptionSetupTest {

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT";

    private final FakeContext ctx = FakeContext.against(infobip.baseUrl());
    private SubscriptionSetup setup;

    @BeforeEach
    void setUp() {
        ctx.settings.put("webhook-password", "hook-secret-pw");
        InfobipClient client = InfobipClient.of(ctx, InfobipAccess.from(ctx), "hook-secret-pw");
        setup = new SubscriptionSetup(ctx, client, WebhookSettings.from(ctx.config()));
        // Infobip never lists it (a sandbox restarted, or someone deleted it): only the claim decides.
        infobip.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("{\"results\":[],\"paging\":{\"page\":0,\"size\":100}}")));
        infobip.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"subscriptionId\":\"parley-conv\"}")));
    }

    private int creates() {
        return infobip.findAll(postRequestedFor(urlPathEqualTo(PATH))).size();
    }

    @Test
    void anotherInstancesFreshClaimIsLeftToIt() {
        ctx.store().put(SubscriptionSetup.CLAIM, SubscriptionSetup.CREATING + ctx.now);
        ProviderSetup.SetupStatus s = setup.register();
        assertFalse(s.complete());
        assertTrue(s.items().get(0).contains("being created by another Parley instance"), s.items().toString());
        assertEquals(0, creates());
    }

    @Test
    void aStaleCreatingClaimIsTakenOver() {
        ctx.store().put(SubscriptionSetup.CLAIM, SubscriptionSetup.CREATING + ctx.now.minusSeconds(61));
        assertTrue(setup.register().complete());
        assertEquals(1, creates());
        assertTrue(ctx.store().get(SubscriptionSetup.CLAIM).orElseThrow().startsWith(SubscriptionSetup.CREATED));
    }

    @Test
    void rightAfterACreateAListWithoutItDoesNotMakeASecond() {
        assertTrue(setup.register().complete());
        assertEquals(1, creates());
        // Another instance a moment later: Infobip's list may not show the new subscription yet.
        ctx.now = ctx.now.plusSeconds(5);
        assertFalse(setup.register().complete());
        assertEquals(1, creates());
    }

    @Test
    void aRefusedRegisterSaysWhenToLookAgain() {
        assertTrue(setup.blockedFor().isEmpty(), "not refused yet");
        ctx.store().put(SubscriptionSetup.CLAIM, SubscriptionSetup.CREATED + ctx.now.minusSeconds(20));
        assertFalse(setup.register().complete());
        assertEquals(Duration.ofSeconds(40), setup.blockedFor().orElseThrow());
        ctx.now = ctx.now.plusSeconds(41);
        assertEquals(Duration.ZERO, setup.blockedFor().orElseThrow(), "stale by now: look again at once");
        assertTrue(setup.register().complete());
        assertTrue(setup.blockedFor().isEmpty(), "this register got the claim");
        assertEquals(1, creates());
    }

    @Test
    void anUnreadableClaimCountsAsStale() {
        ctx.store().put(SubscriptionSetup.CLAIM, "garbage");
        assertTrue(setup.register().complete());
        assertEquals(1, creates());
    }

    /**
     * The case seen when an instance restarted 36 s after creating the subscription against a sandbox that forgot it:
     * the claim blocked the create and the connection ran without events. Now it looks again once the claim is stale.
     */
    @Test
    void aConnectionBlockedByAClaimCreatesTheSubscriptionOnceTheClaimIsStale() throws Exception {
        ctx.settings.put("ai-agent-id", "parley-ai");
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/conversations")).willReturn(okJson("{\"conversations\":[]}")));
        infobip.stubFor(get(urlPathEqualTo("/ccaas/1/agents/parley-ai")).willReturn(okJson("{\"id\":\"parley-ai\",\"displayName\":\"AI\"}")));
        ctx.store().put(SubscriptionSetup.CLAIM, SubscriptionSetup.CREATED + ctx.now.minusSeconds(59));
        Connection connection = new InfobipConversationsConnector().open(ctx);
        try {
            assertTrue(connection.verify().contains("event subscription incomplete"));
            assertEquals(0, creates());
            ctx.now = ctx.now.plusSeconds(5); // the claim is stale by the time the second look runs (in about 2 s)
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (creates() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(1, creates(), "created on the second look");
            while (ctx.logs.stream().noneMatch(l -> l.startsWith("INFO event subscription:")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(ctx.logs.stream().anyMatch(l -> l.startsWith("INFO event subscription: subscription parley-")
                    && l.contains("active")), ctx.logs.toString());
        } finally {
            connection.close();
            ctx.shutdown();
        }
    }

    @Test
    void aSubscriptionStillMissingAMinuteAfterItsCreateIsCreatedAgain() {
        assertTrue(setup.register().complete());
        // Deleted at Infobip, or a sandbox that restarted: once the claim is old, the next registration creates it.
        ctx.now = ctx.now.plusSeconds(61);
        assertTrue(setup.register().complete());
        assertEquals(2, creates());
    }
}
