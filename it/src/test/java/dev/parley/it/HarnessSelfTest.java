package dev.parley.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parley.it.support.Await;
import dev.parley.it.support.FreePorts;
import dev.parley.it.support.Http;
import dev.parley.it.support.Logs;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.PropertiesFiles;
import dev.parley.it.support.SharedParley;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness pieces that need no Parley: ports, the properties file, WireMock, Http, Await. */
class HarnessSelfTest {

    @Test
    void freePortsAreFreeAndDistinct() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int p = FreePorts.find();
            assertTrue(p > 0 && p < 65536);
            assertTrue(ports.add(p), "port handed out twice: " + p);
            try (ServerSocket s = new ServerSocket(p)) {
                assertEquals(p, s.getLocalPort());
            }
        }
        int base = FreePorts.findBase();
        assertEquals(0, base % 100);
        assertTrue(FreePorts.isFree(base + 48) && FreePorts.isFree(base + 80));
    }

    @Test
    void propertiesFileRoundTripsTrickyValues(@TempDir Path dir) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("parley.datasource.url", "jdbc:h2:file:/tmp/x y/parley;DB_CLOSE_ON_EXIT=FALSE");
        values.put("parley.public-url", "http://localhost:8080");
        values.put("weird key:with=chars", " leading blank, trailing blank ");
        values.put("secret", "p\u00e4ss#w!rd\\with\\backslashes\u20ac");
        values.put("multi", "line1\nline2\ttab");
        values.put("empty", "");
        Path file = dir.resolve("micro.properties");
        PropertiesFiles.write(file, values, "comment: with = chars\nsecond line");

        Properties asIso = new Properties();
        try (var in = Files.newInputStream(file)) {
            asIso.load(in);
        }
        Properties asUtf8 = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            asUtf8.load(r);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), asIso.getProperty(e.getKey()), e.getKey());
            assertEquals(e.getValue(), asUtf8.getProperty(e.getKey()), e.getKey());
        }
        assertEquals(values.size(), asIso.size());
        assertEquals(new java.util.TreeMap<>(values), new java.util.TreeMap<>(PropertiesFiles.read(file)));
    }

    @Test
    void serverCommandLineAndConfigDefaults() {
        ParleyServer server = ParleyServer.builder().name("selftest-unstarted")
                .property("parley.admin.password", "x").build();
        assertFalse(server.isRunning());
        assertEquals("http://localhost:" + server.port(), server.config().get("parley.public-url"));
        assertTrue(server.config().get("parley.datasource.url").startsWith("jdbc:h2:file:"));
        assertTrue(server.config().get("parley.datasource.url").endsWith("/parley;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;QUERY_CACHE_SIZE=64"));
        assertEquals("x", server.config().get("parley.admin.password"));
        server.stop(); // stopping an unstarted server is a no-op
        ParleyServer overridden = ParleyServer.builder().property("parley.datasource.url", "jdbc:h2:mem:x")
                .property("parley.public-url", null).build();
        assertEquals("jdbc:h2:mem:x", overridden.config().get("parley.datasource.url"));
        assertFalse(overridden.config().containsKey("parley.public-url"));
        overridden.configure("parley.agent.a.bot", "embedded").configure("parley.datasource.url", null);
        assertEquals("embedded", overridden.config().get("parley.agent.a.bot"));
        assertFalse(overridden.config().containsKey("parley.datasource.url"));
    }

    @Test
    void wireMockStartsStubsRecordsAndStops() {
        WireMockServer wm = SharedParley.startWireMock();
        try {
            assertTrue(wm.isRunning());
            wm.stubFor(get(urlEqualTo("/hello")).willReturn(okJson("{\"greeting\":\"hi\"}")));
            wm.stubFor(post(urlEqualTo("/sms/2/text/advanced"))
                    .withHeader("Authorization", equalTo("App k"))
                    .willReturn(okJson("{\"messages\":[{\"messageId\":\"m1\"}]}")));
            Http http = Http.of("http://localhost:" + wm.port());

            JsonObject hello = http.get("/hello").expect(200).json();
            assertEquals("hi", hello.getString("greeting"));

            Http.Response sent = http.withHeader("Authorization", "App k")
                    .postJson("/sms/2/text/advanced", "{\"messages\":[{\"text\":\"x\"}]}").expect(200);
            assertEquals("m1", sent.json().getJsonArray("messages").getJsonObject(0).getString("messageId"));
            assertEquals(404, http.get("/nope").status());
            assertThrows(AssertionError.class, () -> http.get("/nope").expect(200));

            wm.verify(1, postRequestedFor(urlEqualTo("/sms/2/text/advanced"))
                    .withRequestBody(equalToJson("{\"messages\":[{\"text\":\"x\"}]}")));
            // ... and checked against Infobip's published spec, which Parley's SMS API calls (v3) must follow.
            AssertionError offSpec = assertThrows(AssertionError.class, () -> SharedParley.assertInfobipRequestsFollowSpec(wm));
            assertTrue(offSpec.getMessage().contains("POST /sms/2/text/advanced") && offSpec.getMessage().contains("No API path found"),
                    offSpec.getMessage());
            assertTrue(Http.of("http://localhost:" + wm.port()).withBasic("admin", "s").get("/hello")
                    .status() == 200);
        } finally {
            wm.stop();
        }
        assertFalse(wm.isRunning());
    }

    @Test
    void logSummaryFindsSevereRecords(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("micro.log");
        Files.writeString(log, String.join("\n",
                "[2026-01-01T00:00:00.000+0000] [] [\u001B[1;92mINFO\u001B[0m] [] [PayaraMicro] starting",
                "[2026-01-01T00:00:01.000+0000] [] [\u001B[1;91mSEVERE\u001B[0m] [NCLS-CORE-00026] [core] [[",
                "  Exception during lifecycle processing",
                "org.glassfish.deployment.common.DeploymentException: CDI deployment failure: boom",
                "\tat org.example.Foo.bar(Foo.java:1)",
                "line 6", "line 7"));
        String severe = Logs.severe(log, 5);
        assertTrue(severe.contains("[SEVERE] [NCLS-CORE-00026]"), severe);
        assertTrue(severe.contains("CDI deployment failure: boom"), severe);
        assertFalse(severe.contains("Foo.java"), severe);
        assertEquals("line 6\nline 7", Logs.tail(log, 2));
    }

    @Test
    void awaitPollsAndFailsWithTheDescription() {
        AtomicInteger calls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), () -> calls.incrementAndGet() >= 3, "three calls");
        assertEquals(3, calls.get());
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(300), () -> false, "never true"));
        assertTrue(e.getMessage().contains("never true"), e.getMessage());
        AssertionError e2 = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(300), () -> { throw new IllegalStateException("boom"); }, "throws"));
        assertTrue(e2.getMessage().contains("boom"), e2.getMessage());
        assertEquals("v", Await.value(Duration.ofSeconds(1), () -> "v", "value"));
    }
}
