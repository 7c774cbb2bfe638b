package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.FreePorts;
import dev.parley.it.support.Http;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.Logs;
import dev.parley.it.support.PropertiesFiles;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one-file server as an operator runs it: {@code java -jar parley.jar --port .. --systemProperties ..} (parley-war
 * builds it with Micro's {@code --outputUberJar}). One start: ready, the admin API, an SMS through the built-in Infobip
 * sandbox answered and recorded, then SIGTERM and a clean exit.
 */
class UberJarIT {

    private static final String ADMIN_PASSWORD = "uber-admin-pw";
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void runsFromOneFileAnswersAnSmsAndStopsCleanlyOnSigterm() throws Exception {
        Path dir = ItPaths.targetDir().resolve("uber-jar-it");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port = FreePorts.find();
        String base = "http://localhost:" + port;
        Path properties = dir.resolve("parley.properties");
        PropertiesFiles.write(properties, config(base, dir.resolve("db")), "UberJarIT");
        Path log = dir.resolve("parley.log");

        List<String> command = List.of(ItPaths.javaExecutable().toString(), "-Xmx512m", "-Dsun.net.http.retryPost=false",
                "-jar", ItPaths.uberJar().toString(),
                "--port", String.valueOf(port), "--rootDir", dir.resolve("root").toString(),
                "--systemProperties", properties.toString());
        long t0 = System.nanoTime();
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();

        Http anonymous = Http.of(base);
        long deadline = t0 + STARTUP.toNanos();
        while (status(anonymous, "/health/ready") != 200) {
            assertTrue(process.isAlive(), () -> "parley.jar exited with " + process.exitValue()
                    + " before /health/ready answered 200:\n" + Logs.tail(log, 60));
            assertTrue(System.nanoTime() < deadline, () -> "/health/ready not 200 within " + STARTUP.toSeconds()
                    + " s:\n" + Logs.tail(log, 60));
            Thread.sleep(500);
        }
        System.out.printf("[it] parley.jar ready in %.1f s (log %s)%n", (System.nanoTime() - t0) / 1e9, log);

        // The admin API: credentials required.
        assertEquals(401, anonymous.get("/api/connections").status());
        assertEquals(401, anonymous.withBasic("admin", "wrong").get("/api/connections").status());
        Http admin = anonymous.withBasic("admin", ADMIN_PASSWORD);
        assertTrue(admin.get("/api/connections").expect(200).body().contains("\"sms\""));

        // The jar carries the post-boot command: Parley's /openapi (YAML as application/yaml), Swagger UI, the console.
        Http.Response openapi = anonymous.send("GET", "/openapi", null, null, Map.of("Accept", "*/*")).expect(200);
        assertTrue(openapi.header("Content-Type").startsWith("application/yaml"), openapi.header("Content-Type"));
        assertTrue(openapi.body().contains("/api/sessions/{id}/reply"), "the document of the admin API");
        assertTrue(anonymous.get("/openapi/ui/").expect(200).body().contains("swagger-ui-bundle.js"));
        assertTrue(admin.get("/console/").expect(200).body().contains("console.js"));

        // A customer's SMS, as Infobip forwards it, answered through the built-in sandbox.
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:uber-hook".getBytes(StandardCharsets.UTF_8));
        anonymous.post("/channel/sms/webhook/sms", InfobipSmsIT.inboundJson("uber-1", "41790030001", "your hours?"),
                "application/json", Map.of("Authorization", basic)).expect(200);
        Http sandbox = anonymous.withHeader("Authorization", "App uber-key");
        Await.until(Duration.ofSeconds(30), () -> sandbox.get("/sandbox/sms/messages").expect(200).json()
                .getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("to").equals("41790030001")).count() == 2, "two replies sent to the sandbox");
        long session = admin.get("/api/sessions?contact=%2B41790030001").expect(200).jsonArray()
                .getJsonObject(0).getJsonNumber("id").longValue();
        List<JsonObject> out = Await.value(Duration.ofSeconds(30), () -> {
            List<JsonObject> replies = admin.get("/api/sessions/" + session).expect(200).json().getJsonArray("messages")
                    .stream().map(JsonValue::asJsonObject).filter(m -> m.getString("direction").equals("OUT")).toList();
            return replies.size() == 2 && replies.stream().allMatch(m -> m.getString("status").equals("DELIVERED"))
                    ? replies : null;
        }, "both replies DELIVERED in the session");
        assertTrue(out.stream().anyMatch(m -> m.getString("text").equals("We are open 9-17.")), out.toString());

        // SIGTERM (what `docker stop` and systemd send): Payara's shutdown hook undeploys Parley and the JVM exits.
        long logBeforeStop = Logs.read(log).replaceAll("\u001B\\[[0-9;]*m", "").length();
        process.destroy();
        long stopAt = System.nanoTime();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "parley.jar still running 30 s after SIGTERM");
        System.out.printf("[it] parley.jar exited %d, %.1f s after SIGTERM%n", process.exitValue(),
                (System.nanoTime() - stopAt) / 1e9);
        // 143 = 128 + SIGTERM: the JVM's orderly exit on the signal, shutdown hooks run (a kill -9 gives 137).
        assertEquals(143, process.exitValue(), "exit code");

        // Payara colours its level names (ANSI escapes) when it thinks it writes to a terminal: compare without them.
        String text = Logs.read(log).replaceAll("\u001B\\[[0-9;]*m", "");
        String stopping = text.substring((int) Math.min(logBeforeStop, text.length()));
        assertTrue(text.contains("Parley started"), "started: " + log);
        assertFalse(text.contains("[SEVERE]"), "SEVERE records in " + log + ":\n" + Logs.severe(log, 5));
        assertFalse(stopping.contains("Stream closed"), "'Stream closed' while stopping: " + stopping);
        assertFalse(stopping.contains("\tat "), "a stack trace while stopping: " + stopping);
        // The trust store baked into the jar has no expired certificates, and Flyway knows Payara's H2.
        assertFalse(text.contains("NCLS-SECURITY-05054"), "an expired-certificate warning in " + log);
        assertFalse(text.contains("newer than this version of Flyway"), "Flyway's version warning in " + log);
        // No warning at all while it started and served: each one Payara printed was avoidable (the PostgreSQL
        // driver on Micro's class path, the trust store, Flyway, the runtime directory, the secrets key).
        List<String> warnings = text.substring(0, (int) Math.min(logBeforeStop, text.length())).lines()
                .filter(line -> line.contains("[WARNING]")).toList();
        assertEquals(List.of(), warnings, "warnings in " + log);
        assertFalse(text.contains(ADMIN_PASSWORD), "the admin password in " + log);

        // Nothing was lost: the database the server left behind opens and holds the conversation, replies DELIVERED.
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").resolve("parley"), "parley", "parley");
             ResultSet r = db.createStatement().executeQuery("SELECT direction, status FROM chat_message WHERE session_id = "
                     + session + " ORDER BY created_at, id")) {
            List<String> rows = new java.util.ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2));
            }
            assertEquals(3, rows.size(), rows.toString());
            assertEquals(2, rows.stream().filter(row -> row.equals("OUT DELIVERED")).count(), rows.toString());
        }
    }

    private static Map<String, String> config(String base, Path db) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("parley.admin.password", ADMIN_PASSWORD);
        c.put("parley.secrets.key", Base64.getEncoder().encodeToString("uber-jar-it-key-uber-jar-it-key!".getBytes(StandardCharsets.UTF_8)));
        c.put("parley.public-url", base);
        // As the default URL (ConfiguredDataSource): H2 closes with the server, not in its own shutdown hook.
        c.put("parley.datasource.url", "jdbc:h2:file:" + db.resolve("parley") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        // The demo's SMS connection (demo/parley-demo.properties): Infobip's built-in sandbox, no account needed.
        c.put("parley.connection.sms.type", "infobip-sms");
        c.put("parley.connection.sms.base-url", "sandbox");
        c.put("parley.connection.sms.api-key", "uber-key");
        c.put("parley.connection.sms.sender", "Parley");
        c.put("parley.connection.sms.webhook-username", "infobip");
        c.put("parley.connection.sms.webhook-password", "uber-hook");
        c.put("parley.agent.uber.bot", "embedded");
        c.put("parley.agent.uber.inbound", "sms");
        c.put("parley.agent.uber.greeting", "Hi from the one-file server.");
        c.put("parley.agent.uber.fallback", "Thanks, we got your message.");
        c.put("parley.agent.uber.keyword.hours", "We are open 9-17.");
        c.put("parley.agent.uber.handoff", "console");
        return c;
    }

    private static int status(Http http, String path) {
        try {
            return http.get(path).status();
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
