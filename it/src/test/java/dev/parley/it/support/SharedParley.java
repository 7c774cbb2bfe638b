package dev.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONE Parley (Payara Micro + the real WAR) and ONE WireMock shared by every test class in the surefire JVM:
 * a Micro start costs 15-20 s. Started on first use, stopped when the JUnit root context closes (and by a
 * shutdown hook in any case).
 *
 * <p>Usage, via the extension (which also injects {@link ParleyServer}, {@link WireMockServer} and the
 * admin-authenticated {@link Http} as test/lifecycle method parameters):
 * <pre>
 * &#64;ExtendWith(SharedParleyExtension.class)
 * class SmsInboundIT {
 *     &#64;BeforeEach void stubs() { SharedParley.resetWireMock(); }
 *     &#64;Test void replies(ParleyServer parley, WireMockServer infobip, Http admin) { ... }
 * }
 * </pre>
 * or statically from anywhere: {@link #server()}, {@link #wireMock()}, {@link #admin()}, {@link #anonymous()}.
 *
 * <p><b>The shared server's config is assembled here, in {@link #config(String)}, and only here</b>: every
 * scenario class that needs a connection adds it to that method (distinct connection ids per scenario), and
 * its default provider stubs to {@link #defaultStubs(WireMockServer)}. A test that needs a config of its own
 * starts a private {@code ParleyServer.builder().config(SharedParley.config(url))...} and stops it itself.
 */
public final class SharedParley {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-secret";
    /** Default patience for {@link Await} in scenario tests (asynchronous bot turns, outbox sends). */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static Handle handle;
    private static RuntimeException startupFailure;

    private SharedParley() {
    }

    /**
     * The shared server's Parley properties. {@code wireMockUrl} (e.g. {@code http://localhost:12345}) is where
     * every provider API is stood in. The harness adds {@code parley.public-url} and the file H2 URL itself.
     */
    public static Map<String, String> config(String wireMockUrl) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("parley.admin.password", ADMIN_PASSWORD);
        // Scenario classes: add connections below, one block per scenario, e.g.
        // c.put("parley.connection.sms.type", "infobip-sms");
        // c.put("parley.connection.sms.base-url", wireMockUrl);
        // c.put("parley.connection.sms.api-key", "it-infobip-key");
        return c;
    }

    /**
     * Stubs the shared WireMock answers with after every {@link #resetWireMock()} (e.g. the provider calls a
     * connection makes when it starts or verifies). Test-specific stubs go in the tests.
     */
    public static void defaultStubs(WireMockServer wireMock) {
        // e.g. wireMock.stubFor(get(urlPathEqualTo("/account/1/balance")).willReturn(okJson("{...}")));
    }

    /** Forgets all stubs and recorded requests, then re-applies {@link #defaultStubs}. */
    public static void resetWireMock() {
        WireMockServer wm = wireMock();
        wm.resetAll();
        defaultStubs(wm);
    }

    public static ParleyServer server() {
        return handle().server;
    }

    public static WireMockServer wireMock() {
        return handle().wireMock;
    }

    /** {@code http://localhost:<port>} of the shared WireMock. */
    public static String wireMockUrl() {
        return "http://localhost:" + wireMock().port();
    }

    /** HTTP against the shared Parley with Basic admin:it-secret. */
    public static Http admin() {
        return anonymous().withBasic(ADMIN_USER, ADMIN_PASSWORD);
    }

    /** HTTP against the shared Parley without credentials. */
    public static Http anonymous() {
        return Http.of(server().baseUrl());
    }

    /** Starts (once) or returns the running pair. A failed start is remembered and rethrown, not retried. */
    static synchronized Handle handle() {
        if (handle != null) {
            return handle;
        }
        if (startupFailure != null) {
            throw new IllegalStateException("the shared Parley failed to start earlier in this JVM", startupFailure);
        }
        WireMockServer wm = startWireMock();
        try {
            ParleyServer server = ParleyServer.builder()
                    .name("shared-micro")
                    .config(config("http://localhost:" + wm.port()))
                    .build();
            server.start();
            handle = new Handle(server, wm);
            return handle;
        } catch (RuntimeException e) {
            wm.stop();
            startupFailure = e;
            throw e;
        }
    }

    /** A WireMock on a free port with the default stubs; the caller stops it. */
    public static WireMockServer startWireMock() {
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options()
                .port(FreePorts.find())
                .bindAddress("127.0.0.1")
                .containerThreads(20)
                .jettyStopTimeout(1000L));
        wm.start();
        defaultStubs(wm);
        return wm;
    }

    static synchronized void shutdown() {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }

    /** Lives in the JUnit root store, so JUnit closes it once, after the last test class of the JVM. */
    static final class Handle implements ExtensionContext.Store.CloseableResource {
        final ParleyServer server;
        final WireMockServer wireMock;

        Handle(ParleyServer server, WireMockServer wireMock) {
            this.server = server;
            this.wireMock = wireMock;
        }

        @Override
        public void close() {
            try {
                server.stop();
            } finally {
                wireMock.stop();
            }
        }

        @Override
        public String toString() {
            return "shared Parley " + server + " + WireMock :" + wireMock.port();
        }
    }
}
