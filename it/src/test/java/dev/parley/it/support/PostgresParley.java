package dev.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Up to two Parley instances on ONE PostgreSQL database ({@link Postgres}), with their own WireMock, shared by
 * the PostgreSQL test classes of the JVM so the suite pays for as few server starts as possible:
 * {@code PostgresIT} runs on {@link #first()}, {@code TwoInstancesIT} on {@link #both()}. Both have
 * {@link SharedParley#config}'s connections (and the it-desk drop-in jar), the same secrets key, clustering off,
 * and agent {@code it} also answers {@code alpha}, {@code bravo} and {@code charlie} with {@code reply-<word>}.
 * As an extension ({@code @ExtendWith(PostgresParley.class)}) it stops them once, when the JUnit root context
 * closes after the last class of the JVM (the harness's shutdown hook kills them in any case).
 */
public final class PostgresParley implements BeforeAllCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresParley.class);

    private static WireMockServer wireMock;
    private static Postgres.Database database;
    private static ParleyServer first;
    private static ParleyServer second;

    public PostgresParley() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent(PostgresParley.class, k -> (ExtensionContext.Store.CloseableResource)
                PostgresParley::shutdown, ExtensionContext.Store.CloseableResource.class);
    }

    /** Fails the test when a request to this WireMock's Infobip stand-in broke Infobip's published OpenAPI spec. */
    @Override
    public void afterEach(ExtensionContext context) {
        WireMockServer wm;
        synchronized (PostgresParley.class) {
            wm = wireMock;
        }
        if (wm != null) {
            SharedParley.assertInfobipRequestsFollowSpec(wm);
        }
    }

    static synchronized void shutdown() {
        try {
            for (ParleyServer s : new ParleyServer[] {first, second}) {
                if (s != null) {
                    s.stop();
                }
            }
        } finally {
            first = null;
            second = null;
            if (wireMock != null) {
                wireMock.stop();
                wireMock = null;
            }
        }
    }

    /** Instance {@code pg-a}, started if needed. */
    public static synchronized ParleyServer first() {
        startMissing(1);
        return first;
    }

    /** Instances {@code pg-a} and {@code pg-b} on the same database; the missing ones are started together. */
    public static synchronized List<ParleyServer> both() {
        startMissing(2);
        return List.of(first, second);
    }

    public static synchronized WireMockServer wireMock() {
        if (wireMock == null) {
            wireMock = SharedParley.startWireMock();
            zendeskStubs(wireMock);
        }
        return wireMock;
    }

    public static synchronized Postgres.Database database() {
        if (database == null) {
            database = Postgres.newDatabase();
        }
        return database;
    }

    /** Basic admin:it-secret against {@code server}. */
    public static Http admin(ParleyServer server) {
        return Http.of(server.baseUrl()).withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
    }

    private static void startMissing(int wanted) {
        List<ParleyServer> toStart = new ArrayList<>();
        if (first == null) {
            first = build("pg-a");
            toStart.add(first);
        }
        if (wanted > 1 && second == null) {
            second = build("pg-b");
            toStart.add(second);
        }
        long t0 = System.nanoTime();
        // Together, as a rolling deploy would: both run the migrations (Flyway's lock serialises them).
        try {
            CompletableFuture.allOf(toStart.stream().map(s -> CompletableFuture.runAsync(s::start)).toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // nothing half-started stays behind; the next class tries again
            toStart.forEach(ParleyServer::stop);
            first = toStart.contains(first) ? null : first;
            second = toStart.contains(second) ? null : second;
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (!toStart.isEmpty()) {
            System.out.printf("[it] %s on PostgreSQL ready in %.1f s%n",
                    toStart.stream().map(ParleyServer::name).toList(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** A Zendesk connection whose requests share a budget of 3 per 3 s on both instances (WireMock /zrl). */
    public static final String ZSHARE = "zshare";
    /** A Zendesk connection on another account (WireMock /zrp): its 429 pauses both instances. */
    public static final String ZPAUSE = "zpause";

    private static void zendesk(Map<String, String> c, String id, String subdomain, String path, int limit, int windowSeconds) {
        String p = "parley.connection." + id + ".";
        c.put(p + "type", "zendesk");
        c.put(p + "subdomain", subdomain);
        c.put(p + "base-url", "http://localhost:" + wireMock().port() + path);
        c.put(p + "email", SharedParley.ZENDESK_EMAIL);
        c.put(p + "api-token", SharedParley.ZENDESK_TOKEN);
        c.put(p + "webhook-secret", SharedParley.ZENDESK_HOOK_SECRET);
        c.put(p + "knowledge", "false");
        c.put(p + "rate-limit", Integer.toString(limit));
        c.put(p + "rate-window-seconds", Integer.toString(windowSeconds));
    }

    /** What the Zendesk connections above call at start and on verify: the API user, no webhook yet. */
    private static void zendeskStubs(WireMockServer wm) {
        for (String path : List.of("/zrl", "/zrp")) {
            wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                            com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path + "/api/v2/users/me")).atPriority(5)
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"user\":{\"id\":9003,\"name\":\"Parley Bot\","
                            + "\"email\":\"" + SharedParley.ZENDESK_EMAIL + "\",\"role\":\"admin\",\"restricted_agent\":false}}")));
            wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                            com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path + "/api/v2/webhooks")).atPriority(9)
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"webhooks\":[]}")));
        }
    }

    private static ParleyServer build(String name) {
        Map<String, String> config = new LinkedHashMap<>(SharedParley.config("http://localhost:" + wireMock().port()));
        for (String word : List.of("alpha", "bravo", "charlie")) {
            config.put("parley.agent.it.keyword." + word, "reply-" + word);
        }
        config.putAll(database().parleyConfig());
        // TwoInstancesIT's shared rate limit: two Zendesk accounts of their own (their own buckets and WireMock paths),
        // one with a tiny limit (3 requests per 3 s between both instances), one whose 429 pauses both instances.
        zendesk(config, ZSHARE, "sharedacct", "/zrl", 3, 3);
        zendesk(config, ZPAUSE, "pauseacct", "/zrp", 100, 60);
        // TwoInstancesIT's crash: a send the provider cannot find yet is sent after 5 s, not 2 minutes.
        config.put("parley.outbox.lookup-patience-ms", "5000");
        return ParleyServer.builder()
                .name(name)
                .config(config)
                // the it-desk connector of HandoffIT; the PostgreSQL driver is NOT added: it ships in the WAR
                .addLib(ItPaths.spiJar(), dev.parley.it.echo.EchoConnectorJar.build())
                .build();
    }
}
