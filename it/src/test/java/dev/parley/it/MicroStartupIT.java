package dev.parley.it;

import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flat WAR boots on Payara Micro and answers the unauthenticated and admin basics. */
@ExtendWith(SharedParleyExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MicroStartupIT {

    @Test
    @Order(1)
    void pingAnswersPong(ParleyServer parley) {
        Http.Response ping = Http.of(parley.baseUrl()).get("/ping").expect(200);
        assertEquals("pong", ping.body().trim());
    }

    @Test
    @Order(2)
    void healthAnswers(ParleyServer parley) {
        Http.Response health = Http.of(parley.baseUrl()).get("/health");
        assertTrue(health.status() == 200 || health.status() == 503, health.toString());
    }

    @Test
    @Order(3)
    void adminApiNeedsBasicAuth(ParleyServer parley, Http admin) {
        Http anonymous = Http.of(parley.baseUrl());
        anonymous.get("/api/connections").expect(401);
        anonymous.withBasic("admin", "wrong").get("/api/connections").expect(401);
        admin.get("/api/connections").expect(200).jsonArray();
    }

    @Test
    @Order(4)
    void secretsStayOutOfTheLog(ParleyServer parley) {
        assertTrue(!parley.log().contains(SharedParley.ADMIN_PASSWORD), "the admin password appears in " + parley.logFile());
    }

    /** Same port, same file database: the schema migration must cope with an existing database. */
    @Test
    @Order(5)
    void restartKeepsPortAndDatabase(ParleyServer parley, Http admin) {
        int port = parley.port();
        parley.restart();
        assertEquals(port, parley.port());
        Http.of(parley.baseUrl()).get("/ping").expect(200);
        admin.get("/api/connections").expect(200);
    }
}
