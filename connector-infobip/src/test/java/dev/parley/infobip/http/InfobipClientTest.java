package dev.parley.infobip.http;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.FakeResponse;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import jakarta.ws.rs.ProcessingException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client layer every Infobip connection type shares: auth header, classification, secrets kept out. */
class InfobipClientTest {

    private static final String KEY = "sk-test-key-123456";
    private static final String PASSWORD = "hook-secret-pw";

    private final FakeContext ctx = FakeContext.valid();
    private final InfobipAccess access = InfobipAccess.from(ctx);
    private final List<Duration> slept = new ArrayList<>();
    private final InfobipClient client = new InfobipClient(ctx, access,
            new RetryLoop(RetryLoop.MAX_INLINE_WAIT, RetryLoop.MAX_429_RETRIES, slept::add, ctx.clock()), PASSWORD, null);

    private static void noSecrets(String text) {
        assertFalse(text.contains(KEY), text);
        assertFalse(text.contains(PASSWORD), text);
    }

    @Test
    void callsWithTheAppKey() {
        List<String> seen = new ArrayList<>();
        InfobipResponse r = client.write("api", (api, auth) -> {
            seen.add(api + " " + auth);
            return new FakeResponse(200, "{}");
        });
        assertEquals(List.of("api App " + KEY), seen);
        assertTrue(r.ok());
    }

    @Test
    void aReadWaitsOutAShortRateLimitAWriteDoesNot() {
        List<FakeResponse> answers = new ArrayList<>(List.of(new FakeResponse(429, "").header("Retry-After", "1"),
                new FakeResponse(200, "{}"), new FakeResponse(429, "").header("Retry-After", "1")));
        assertEquals(200, client.read("api", (api, auth) -> answers.remove(0)).status());
        assertEquals(List.of(Duration.ofSeconds(1)), slept);
        assertEquals(429, client.write("api", (api, auth) -> answers.remove(0)).status());
        assertEquals(List.of(Duration.ofSeconds(1)), slept);
        assertTrue(answers.isEmpty());
    }

    @Test
    void anUnreachableHostIsRetryableAndNamesTheHostNotTheKey() {
        RetryableException e = assertThrows(RetryableException.class, () -> client.read("api", (api, auth) -> {
            throw new ProcessingException("failed for " + auth, new ConnectException("Connection refused " + KEY));
        }));
        assertEquals("could not reach Infobip at acme.api.infobip.com: ConnectException: Connection refused ***",
                e.getMessage());
        assertTrue(e.retryAfter().isEmpty());
        assertNull(e.getCause());
    }

    private ConnectorException failure(int status, String body, String retryAfter) {
        FakeResponse response = new FakeResponse(status, body);
        if (retryAfter != null) response.header("Retry-After", retryAfter);
        return client.failure("doing it", client.write("api", (api, auth) -> response), "x:send or x:manage");
    }

    @Test
    void retryableStatuses() {
        RetryableException limited = assertInstanceOf(RetryableException.class, failure(429,
                "{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\"}", "30"));
        assertEquals("Infobip rate limit hit while doing it (HTTP 429 E429: Too many requests sent.)", limited.getMessage());
        assertEquals(Duration.ofSeconds(30), limited.retryAfter().orElseThrow());
        assertEquals("Infobip server error while doing it (HTTP 503 no error details in the response)",
                failure(503, "", null).getMessage());
        assertEquals(Duration.ofSeconds(2),
                assertInstanceOf(RetryableException.class, failure(500, "", "2")).retryAfter().orElseThrow());
        assertInstanceOf(RetryableException.class, failure(408, "", null));
        assertTrue(failure(408, "", null).getMessage().startsWith("Infobip timed out while doing it (HTTP 408"));
    }

    @Test
    void permanentStatusesInBothErrorStyles() {
        assertEquals("Infobip rejected the API key while doing it (HTTP 401 UNAUTHORIZED: Unauthorized); check api-key "
                        + "and base-url",
                assertInstanceOf(PermanentException.class, failure(401,
                        "{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Unauthorized\"}}}",
                        null)).getMessage());
        assertEquals("Infobip API key lacks permission for doing it (HTTP 403 E403: Insufficient permissions to access "
                        + "the requested resource.); the key needs scope x:send or x:manage",
                assertInstanceOf(PermanentException.class, failure(403, "{\"errorCode\":\"E403\",\"description\":"
                        + "\"Insufficient permissions to access the requested resource.\",\"violations\":[]}", null))
                        .getMessage());
        assertEquals("Infobip refused doing it (HTTP 400 E400: Request cannot be processed.; violations: "
                        + "messages[0].content.text: must not be blank)",
                assertInstanceOf(PermanentException.class, failure(400, "{\"errorCode\":\"E400\",\"description\":"
                        + "\"Request cannot be processed.\",\"violations\":[{\"property\":\"messages[0].content.text\","
                        + "\"violation\":\"must not be blank\"}]}", null)).getMessage());
    }

    @Test
    void providerTextsEchoingSecretsAreRedacted() {
        noSecrets(failure(400, "{\"errorCode\":\"E400\",\"description\":\"bad header App " + KEY + " / " + PASSWORD
                + "\"}", null).getMessage());
        noSecrets(failure(502, "<html>" + KEY + "</html>", null).getMessage());
        assertEquals("a test key", new InfobipClient(ctx, new InfobipAccess("test", access.baseUri(), false),
                RetryLoop.standard(ctx.clock())).redact("a test key")); // too short to protect anything
    }

    @Test
    void accessMasksTheKey() {
        noSecrets(access.toString());
        assertEquals("acme.api.infobip.com", access.host());
    }
}
