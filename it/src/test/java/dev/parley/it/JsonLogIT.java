package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.ItPaths;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's JSON logging: Parley started with {@code --logProperties demo/logging-json.properties} writes one JSON
 * object per line, and a record written while a connection's webhook is handled has the connection as a field.
 */
@ExtendWith(SharedParleyExtension.class)
class JsonLogIT {

    @Test
    void withTheJsonLogPropertiesRecordsAreJsonAndCarryTheConnection() {
        Path properties = ItPaths.targetDir().toAbsolutePath().getParent().getParent().resolve("demo/logging-json.properties");
        try (ParleyServer parley = ParleyServer.builder().name("jsonlog").config(SharedParley.config(SharedParley.wireMockUrl()))
                .microArg("--logProperties", properties.toString()).build().start()) {
            InfobipSmsIT.awaitRunning(Conversations.on(parley, SharedParley.wireMock(), "sms").admin(), "sms");
            // A webhook with a wrong password: the connection logs the rejection at WARNING (no secret in it).
            String wrong = "Basic " + Base64.getEncoder().encodeToString("infobip:wrong".getBytes(StandardCharsets.UTF_8));
            int status = dev.parley.it.support.Http.of(parley.baseUrl()).post("/channel/sms/webhook/sms",
                    Conversations.inboundJson("jsonlog-1", "41790140001", "hi"), "application/json",
                    Map.of("Authorization", wrong)).status();
            assertEquals(401, status);
            JsonObject record = Await.value(Duration.ofSeconds(10), () -> jsonLines(parley.log()).stream()
                    .filter(r -> r.getString("LogMessage", "").contains("webhook 'sms' rejected")).findFirst().orElse(null),
                    "the rejection's record in " + parley.logTail(20));
            assertEquals("sms", record.getString("connection"), record.toString());
            assertTrue(record.getString("LogMessage").startsWith("[connection=sms] "), record.toString());
            assertEquals("WARNING", record.getString("Level"), record.toString());
            assertTrue(record.getString("LoggerName").startsWith("dev.parley."), record.toString());
        }
    }

    /** Every line of the log that is a JSON object (Payara Micro prints its banner before logging is set up). */
    static List<JsonObject> jsonLines(String log) {
        return log.lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return Optional.of(Json.createReader(new StringReader(l)).readObject());
            } catch (RuntimeException notJson) {
                return Optional.<JsonObject>empty();
            }
        }).flatMap(Optional::stream).toList();
    }
}
