package dev.parley.it;

import dev.parley.it.support.Http;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.PayaraServerDomain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * parley.ear on a private Payara Server domain: deploys, answers, and survives a domain restart (PLATFORM.md
 * gotchas 4-6: config defaults from EAR lib jars, @RestClient after restart, file H2 schema after restart).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EarSmokeIT {

    private static final String PASSWORD = "ear-secret";
    private static PayaraServerDomain server;

    @BeforeAll
    static void deploy() {
        assumeFalse(ItPaths.serverSkipped(), "Payara Server not unpacked (-Dparley.it.skipServer=true)");
        server = PayaraServerDomain.builder().name("parleyit").property("parley.admin.password", PASSWORD).build();
        server.createAndStart();
        server.deploy(ItPaths.ear());
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
    void survivesDomainRestart() {
        server.restart();
        server.awaitPing(Duration.ofSeconds(120));
        Http.of(server.baseUrl()).withBasic("admin", PASSWORD).get("/api/connections").expect(200);
    }
}
