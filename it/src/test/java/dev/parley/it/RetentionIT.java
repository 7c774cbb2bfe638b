package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parley.it.support.Await;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded storage in a real server: with every retention at 3 s (ISO-8601 {@code PT3S}) and a purge every second,
 * a resolved session goes with its messages, events, turns, outbox entries and handoff, old connection log
 * lines go, and so does a stored media copy (its link then answers 404); a session still open and a resolved session whose reply is still PENDING (the provider answers 503,
 * the next attempt is 10 minutes away) stay, as old as the rest.
 */
class RetentionIT {

    static final Duration KEEP = Duration.ofSeconds(3);
    static final String RESOLVED = "447911123291";
    static final String PENDING = "447911123292";
    static final String OPEN = "447911123293";
    static final Map<String, String> INFOBIP_BASIC = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("infobip:it-hook-secret".getBytes(StandardCharsets.UTF_8)));

    static WireMockServer wm;
    static ParleyServer parley;
    static Http admin;

    @BeforeAll
    static void start() {
        wm = SharedParley.startWireMock();
        Map<String, String> config = SharedParley.config("http://localhost:" + wm.port());
        config.put("parley.retention.connection-log", "PT3S");
        config.put("parley.retention.sessions", "PT3S");
        config.put("parley.retention.outbox", "PT3S");
        config.put("parley.retention.bot-turns", "PT3S");
        config.put("parley.retention.media", "PT3S");
        config.put("parley.retention.interval", "PT1S");
        // A refused send waits 10 minutes for its next attempt: it stays PENDING for the whole test.
        config.put("parley.outbox.backoff-base-ms", "600000");
        config.put("parley.outbox.backoff-max-ms", "600000");
        config.put("parley.outbox.max-attempts", "8");
        parley = ParleyServer.builder().name("retention").config(config).build();
        parley.start();
        admin = Http.of(parley.baseUrl()).withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
    }

    @AfterEach
    void requestsFollowInfobipsSpec() {
        SharedParley.assertInfobipRequestsFollowSpec(wm);
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.stop();
        }
        if (wm != null) {
            wm.stop();
        }
    }

    @Test
    void endedIdleSessionsAndOldLogLinesGoUnfinishedWorkAndOpenSessionsStay() throws Exception {
        InfobipSmsIT.awaitRunning(admin, "night"); // its console handoff is always "outside office hours"
        Await.until(SharedParley.PATIENCE, () -> parley.log().contains("retention: connection log PT3S, ended sessions PT3S"),
                "the settings logged (on the first sweep)");

        // A session handed off to the console and resolved there: everything finished.
        writes(RESOLVED, "can I talk to a person");
        awaitSends(RESOLVED, 1);
        long resolved = latestSession(RESOLVED);
        admin.post("/api/sessions/" + resolved + "/resolve").expect(204);

        // The same, but the provider refuses the reply (503): its outbox entry stays PENDING.
        wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(PENDING)))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "600")));
        writes(PENDING, "can I talk to a person");
        awaitSends(PENDING, 1);
        long pending = latestSession(PENDING);
        admin.post("/api/sessions/" + pending + "/resolve").expect(204);

        // A session that stays open with the bot.
        writes(OPEN, "hello");
        Await.until(SharedParley.PATIENCE, () -> !admin.get("/api/sessions/" + latestSession(OPEN)).json()
                .getJsonArray("timeline").isEmpty(), "the open session");
        long open = latestSession(OPEN);
        // A stored media copy (an operator's upload), reachable by id until its retention passes.
        MediaIT.Fetched media = MediaIT.upload(parley.baseUrl(), "old picture".getBytes(StandardCharsets.UTF_8), "image/png",
                "old.png", true);
        assertEquals(201, media.status(), media.toString());
        String mediaId = media.json().getString("id");
        Instant setUp = Instant.now();

        Await.until(Duration.ofSeconds(30), () -> admin.get("/api/sessions/" + resolved).status() == 404,
                "the resolved session is purged");
        long purgedAfter = Duration.between(setUp, Instant.now()).toMillis();
        // Let a few more purges pass the other rows by, each older than the retention by now.
        Thread.sleep(KEEP.toMillis() + 3000);

        assertEquals(404, MediaIT.admin(parley.baseUrl(), "GET", "/api/media/" + mediaId).status(), "the media copy is purged");
        assertEquals(404, MediaIT.fetch("GET", media.json().getString("link")).status(), "its link answers 404");
        assertEquals("RESOLVED", admin.get("/api/sessions/" + pending).expect(200).json().getJsonObject("session").getString("state"));
        assertEquals("BOT", admin.get("/api/sessions/" + open).expect(200).json().getJsonObject("session").getString("state"));
        assertEquals(1, wm.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(PENDING)))).size(),
                "the pending reply was not retried (so it stayed PENDING rather than being re-sent)");
        System.out.printf("[it] the resolved session was purged %d ms after the set-up%n", purgedAfter);

        parley.stop(); // the H2 file can be read once the server has let go of it
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + parley.dbDir().resolve("parley"), "parley", "parley")) {
            for (String table : new String[] {"chat_message", "session_event", "bot_turn", "outbox_entry", "handoff"}) {
                assertEquals(0, count(db, "SELECT COUNT(*) FROM " + table + " WHERE session_id = ?", resolved),
                        table + " rows of the resolved session");
            }
            assertEquals(1, count(db, "SELECT COUNT(*) FROM outbox_entry WHERE session_id = ? AND state = 'PENDING'", pending),
                    "the unfinished send of a resolved session");
            assertTrue(count(db, "SELECT COUNT(*) FROM chat_message WHERE session_id = ?", pending) >= 2,
                    "the messages of a session with unfinished work");
            assertTrue(count(db, "SELECT COUNT(*) FROM chat_message WHERE session_id = ?", open) >= 1, "the open session's messages");
            assertTrue(count(db, "SELECT COUNT(*) FROM bot_turn WHERE session_id = ?", open) >= 1,
                    "the open session keeps its first turn");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM stored_media WHERE id = ?", mediaId), "the media row");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM connection_log WHERE logged_at < ?",
                    OffsetDateTime.ofInstant(setUp, ZoneOffset.UTC)), "log lines from before the set-up (start-up) are gone");
        }
    }

    static long count(Connection db, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void writes(String from, String text) {
        String json = Json.createObjectBuilder().add("results", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("messageId", "retention-" + from + "-" + System.nanoTime())
                        .add("from", from).add("to", "447491163443").add("text", text).add("cleanText", text)
                        .add("keyword", "").add("receivedAt", "2026-11-21T16:00:00.000+0000").add("smsCount", 1)))
                .add("messageCount", 1).add("pendingMessageCount", 0).build().toString();
        Http.of(parley.baseUrl()).post("/channel/night/webhook/sms", json, "application/json", INFOBIP_BASIC).expect(200);
    }

    static void awaitSends(String to, int n) {
        Await.until(SharedParley.PATIENCE, () -> wm.findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(to)))).size() >= n,
                n + " sends to " + to);
    }

    static long latestSession(String digits) {
        return Await.value(SharedParley.PATIENCE, () -> admin.get("/api/sessions?connection=night&contact=%2B" + digits)
                .expect(200).jsonArray().stream().map(v -> v.asJsonObject().getJsonNumber("id").longValue())
                .max(Long::compare).orElse(null), "a session of +" + digits);
    }
}
