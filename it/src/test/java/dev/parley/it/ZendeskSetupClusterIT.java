package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parley.it.support.Await;
import dev.parley.it.support.FreePorts;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.Postgres;
import dev.parley.it.support.SharedParley;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances behind one public URL (as behind a load balancer), on one PostgreSQL database, start together with a
 * Zendesk connection that sets itself up ({@code auto-register=true}). Zendesk's create answers slowly, so the
 * second instance comes while the first is at it: only the claim in the database keeps it from making a second
 * webhook. Both end with the setup complete (the second by looking again).
 */
class ZendeskSetupClusterIT {

    private static final String HOOK = "01HCLUSTERHOOK";
    // Longer than any gap between the two boots seen (under 1 s), so the second always meets the first at work.
    private static final Duration CREATE_TAKES = Duration.ofSeconds(15);

    private static WireMockServer zendesk;
    private static ParleyServer a;
    private static ParleyServer b;
    private static String endpoint;

    @BeforeAll
    static void start() {
        zendesk = new WireMockServer(WireMockConfiguration.options().port(FreePorts.find()).bindAddress("127.0.0.1"));
        zendesk.start();
        int portA = FreePorts.find();
        int portB = FreePorts.find();
        String publicUrl = "http://localhost:" + portA;
        endpoint = publicUrl + "/channel/zd/webhook/ticket";
        stubZendesk();

        Postgres.Database db = Postgres.newDatabase();
        Map<String, String> config = new LinkedHashMap<>(db.parleyConfig());
        config.put("parley.public-url", publicUrl);
        config.put("parley.admin.password-hash", SharedParley.ADMIN_PASSWORD_HASH);
        config.put("parley.secrets.key", SharedParley.SECRETS_KEY);
        config.put("parley.connection.zd.type", "zendesk");
        config.put("parley.connection.zd.subdomain", "acme");
        config.put("parley.connection.zd.base-url", zendesk.baseUrl());
        config.put("parley.connection.zd.email", SharedParley.ZENDESK_EMAIL);
        config.put("parley.connection.zd.api-token", SharedParley.ZENDESK_TOKEN);
        config.put("parley.connection.zd.installation", "cluster");
        config.put("parley.connection.zd.knowledge", "false");
        config.put("parley.connection.zd.auto-register", "true");
        a = ParleyServer.builder().name("zd-cluster-a").port(portA).config(config).build();
        b = ParleyServer.builder().name("zd-cluster-b").port(portB).config(config).build();
        try {
            CompletableFuture.allOf(CompletableFuture.runAsync(a::start), CompletableFuture.runAsync(b::start)).join();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (ParleyServer s : new ParleyServer[] {a, b}) {
            if (s != null) s.stop();
        }
        if (zendesk != null) zendesk.stop();
    }

    /** The Zendesk API as the setup reads and writes it; the webhook's create takes {@link #CREATE_TAKES}. */
    private static void stubZendesk() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/me")).willReturn(okJson("{\"user\":{\"id\":9003,\"name\":\"Parley Bot\","
                + "\"email\":\"" + SharedParley.ZENDESK_EMAIL + "\",\"role\":\"admin\",\"restricted_agent\":false}}")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/webhooks")).willReturn(okJson("{\"webhooks\":[]}")));
        String webhook = "{\"webhook\":{\"id\":\"" + HOOK + "\",\"endpoint\":\"" + endpoint + "\",\"status\":\"active\"}}";
        zendesk.stubFor(post(urlPathEqualTo("/api/v2/webhooks")).willReturn(aResponse().withStatus(201)
                .withFixedDelay((int) CREATE_TAKES.toMillis()).withHeader("Content-Type", "application/json").withBody(webhook)));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/webhooks/" + HOOK)).willReturn(okJson(webhook)));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/webhooks/" + HOOK + "/signing_secret"))
                .willReturn(okJson("{\"signing_secret\":{\"algorithm\":\"sha256\",\"secret\":\"zd-cluster-secret\"}}")));
        zendesk.stubFor(post(urlPathEqualTo("/api/v2/triggers")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"trigger\":{\"id\":41}}")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/triggers/41")).willReturn(okJson("{\"trigger\":{\"id\":41,\"active\":true,"
                + "\"actions\":[{\"field\":\"notification_webhook\",\"value\":[\"" + HOOK + "\",\"{}\"]}]}}")));
    }

    @Test
    void instancesStartingTogetherSetUpZendeskOnceAndBothEndComplete() {
        for (ParleyServer s : List.of(a, b)) {
            Http admin = Http.of(s.baseUrl()).withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
            InfobipSmsIT.awaitRunning(admin, "zd");
            Await.until(Duration.ofSeconds(60), () -> admin.get("/api/connections/zd/setup").expect(200).json()
                    .getBoolean("complete", false), s.name() + ": webhook and triggers complete");
        }
        assertEquals(1, zendesk.findAll(postRequestedFor(urlPathEqualTo("/api/v2/webhooks"))).size(), "webhooks created");
        assertEquals(2, zendesk.findAll(postRequestedFor(urlPathEqualTo("/api/v2/triggers"))).size(),
                "triggers created (agent reply, solved)");
        // The race did happen: one instance met the other's claim, then found the setup done on its second look.
        assertTrue((a.log() + b.log()).contains("being set up by another Parley instance"), "no instance met the other's claim");
        Await.until(Duration.ofSeconds(30), () -> (a.log() + b.log()).contains("Zendesk setup: webhook " + HOOK + ": active"),
                "the blocked instance's second look, in its log");
        assertEquals(1, zendesk.findAll(postRequestedFor(urlPathEqualTo("/api/v2/webhooks"))).size(), "webhooks after the second look");
        assertEquals(2, zendesk.findAll(postRequestedFor(urlPathEqualTo("/api/v2/triggers"))).size(), "triggers after the second look");
    }
}
