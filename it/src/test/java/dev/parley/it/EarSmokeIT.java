package dev.parley.it;

import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.PayaraServerDomain;
import dev.parley.it.support.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * parley.ear on a private Payara Server domain: deploys, answers an inbound SMS (sandbox connection), and survives a domain restart (PLATFORM.md
 * gotchas 4-6: config defaults from EAR lib jars, @RestClient after restart, file H2 schema after restart).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EarSmokeIT {

    private static final String PASSWORD = "ear-secret";
    private static PayaraServerDomain server;

    @BeforeAll
    static void deploy() {
        assumeFalse(ItPaths.serverSkipped(), "Payara Server not unpacked (-Dparley.it.skipServer=true)");
        server = PayaraServerDomain.builder().name("parleyit").property("parley.admin.password", PASSWORD)
                // An SMS connection on the built-in Infobip sandbox, answered by the embedded bot.
                .property("parley.connection.sms.type", "infobip-sms")
                .property("parley.connection.sms.base-url", "sandbox")
                .property("parley.connection.sms.api-key", "ear-api-key")
                .property("parley.connection.sms.sender", "Parley")
                .property("parley.connection.sms.webhook-password", "ear-hook")
                .property("parley.agent.ear.inbound", "sms")
                .property("parley.agent.ear.keyword.hours", "We are open 9-17.")
                .config(database())
                .build();
        server.createAndStart();
        server.deploy(ItPaths.ear());
    }

    /**
     * The file H2 the harness sets by default, or with {@code -Dparley.it.earDatabase=postgres} a database on the
     * embedded PostgreSQL (the driver then comes from the EAR's lib/): an opt-in check, not run by default, so the
     * suite keeps one Payara Server domain.
     */
    private static Map<String, String> database() {
        return "postgres".equals(System.getProperty("parley.it.earDatabase")) ? Postgres.newDatabase().parleyConfig() : Map.of();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void pingAndAdminApi() {
        Http http = Http.of(server.baseUrl());
        assertEquals("pong", http.get("/ping").expect(200).body().trim());
        http.get("/api/connections").expect(401);
        http.withBasic("admin", PASSWORD).get("/api/connections").expect(200).jsonArray();
    }

    @Test
    @Order(2)
    void anInboundSmsGetsItsReplyThroughTheEar() {
        Http admin = Http.of(server.baseUrl()).withBasic("admin", PASSWORD);
        Await.until(Duration.ofSeconds(90), () -> "RUNNING".equals(admin.get("/api/connections/sms").json().getString("state")),
                "the sandbox connection RUNNING (connector found by ServiceLoader in the EAR's lib/)");
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:ear-hook".getBytes(StandardCharsets.UTF_8));
        Http.of(server.baseUrl()).post("/channel/sms/webhook/sms", InfobipSmsIT.inboundJson("ear-1", "41790040001", "hours?"),
                "application/json", Map.of("Authorization", basic)).expect(200);
        Http sandbox = Http.of(server.baseUrl()).withHeader("Authorization", "App ear-api-key");
        Await.until(Duration.ofSeconds(60), () -> sandbox.get("/sandbox/sms/messages").json().getJsonArray("messages").stream()
                .anyMatch(m -> m.asJsonObject().getString("to").equals("41790040001")
                        && m.asJsonObject().getString("text").equals("We are open 9-17.")), "the reply sent through the sandbox");
    }

    @Test
    @Order(3)
    void survivesDomainRestart() {
        server.restart();
        server.awaitPing(Duration.ofSeconds(120));
        Http admin = Http.of(server.baseUrl()).withBasic("admin", PASSWORD);
        Await.until(Duration.ofSeconds(90), () -> "RUNNING".equals(admin.get("/api/connections/sms").json().getString("state")),
                "RUNNING again after the restart");
        // The file database kept the session across the restart.
        assertEquals(1, admin.get("/api/sessions?contact=%2B41790040001").expect(200).jsonArray().size());
    }
}
