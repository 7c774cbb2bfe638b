package dev.parley.infobip.openapi;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec check itself: the trimmed specs are what they say, a request that breaks them is reported (through a
 * real WireMock, as the tests use it), and what is not Infobip's is left alone.
 */
class InfobipSpecValidatorTest {

    private final InfobipSpecValidator validator = new InfobipSpecValidator();

    @RegisterExtension
    final WireMockExtension infobip = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(validator)).build();

    private static final String GOOD = """
            {"messages":[{"sender":"Parley","destinations":[{"to":"41793026727","messageId":"ref-1"}],
              "content":{"text":"Hello"},
              "webhooks":{"delivery":{"url":"https://parley.example/dlr","intermediateReport":true,"notify":true},
                          "contentType":"application/json","callbackData":"ref-1"}}]}""";

    @AfterEach
    void nothingLeftOver() {
        validator.clear();
    }

    private void post(String path, String authorization, String body) throws IOException, InterruptedException {
        infobip.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(infobip.baseUrl() + path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) r.header("Authorization", authorization);
        HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void theTrimmedSpecsSayWhatTheyAreAndWhereTheyComeFrom() {
        for (String file : List.of("/openapi/infobip-sms.json", "/openapi/infobip-account-management.json")) {
            JsonObject spec = Jsons.parseObjectOrNull(InfobipSpecValidator.spec(file));
            assertEquals("3.0.3", spec.getString("openapi"), file);
            JsonObject info = spec.getJsonObject("info");
            assertEquals("3.210.0", info.getString("version"), file);
            String note = info.getString("description");
            assertTrue(note.startsWith("TRIMMED COPY") && note.contains("Trimmed 2026-11-30")
                    && note.contains("api-evangelist/infobip") && note.contains("info.version 3.210.0"), note);
            assertTrue(!spec.containsKey("webhooks"), file);
        }
        assertEquals(List.of("/sms/3/messages", "/sms/3/logs"), List.copyOf(Jsons.parseObjectOrNull(
                InfobipSpecValidator.spec("/openapi/infobip-sms.json")).getJsonObject("paths").keySet()));
    }

    @Test
    void aValidSendPasses() throws Exception {
        post("/sms/3/messages", "App key-1", GOOD);
        infobip.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl()));
        validator.assertNoViolations();
    }

    /** The proof: a deliberately wrong body sent to the validated stub is reported, with what is wrong. */
    @Test
    void aWrongBodyIsReported() throws Exception {
        // "txt" instead of "text", and a number where a string belongs.
        post("/sms/3/messages", "App key-1", """
                {"messages":[{"destinations":[{"to":41793026727}],"content":{"txt":"Hello"}}]}""");
        AssertionError e = assertThrows(AssertionError.class, validator::assertNoViolations);
        String m = e.getMessage();
        assertTrue(m.contains("POST /sms/3/messages violates Infobip's published spec (/openapi/infobip-sms.json)"), m);
        assertTrue(m.contains("/messages/0/destinations/0/to") && m.contains("allowed: [\"string\"]"), m);
        assertTrue(m.contains("/messages/0/content") && m.contains("missing required properties ([\"text\"])"), m);
        assertTrue(m.contains("body: {\"messages\""), m);
        validator.assertNoViolations(); // reported once, then forgotten
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"messages\":\"x\"}",                                                            // wrong type
            "{\"messages\":[{\"destinations\":[{\"to\":\"41793026727\"}]}]}",                   // content missing
            "{\"messages\":[{\"destinations\":[{\"to\":\"1\"}],\"content\":{\"text\":\"x\"}}],\"option\":{}}", // unknown field
            "{\"messages\":[{\"destinations\":[{\"to\":\"1\"}],\"content\":{\"text\":\"x\"},"
                    + "\"webhooks\":{\"delivery\":{\"url\":\"u\",\"intermediateReports\":true}}}]}"}) // misspelt field
    void otherBreachesAreReportedToo(String body) {
        assertTrue(InfobipSpecValidator.check("POST", "/sms/3/messages", Map.of("Authorization", List.of("App k"),
                "Content-Type", List.of("application/json")), body).isPresent(), body);
    }

    @Test
    void theApiKeySchemeIsChecked() throws Exception {
        post("/sms/3/messages", null, GOOD);
        post("/sms/3/messages", "Basic dXNlcjpwdw==", GOOD);
        AssertionError e = assertThrows(AssertionError.class, validator::assertNoViolations);
        assertTrue(e.getMessage().startsWith("2 request(s)") && e.getMessage().contains("'App <key>'"), e.getMessage());
    }

    @Test
    void queryParametersAreChecked() {
        Map<String, List<String>> h = Map.of("Authorization", List.of("App k"), "Accept", List.of("application/json"));
        assertTrue(InfobipSpecValidator.check("GET", "/sms/3/logs?messageId=a%2Cb", h, "").isEmpty());
        assertTrue(InfobipSpecValidator.check("GET", "/sms/3/logs?limit=1", h, "").isEmpty());
        assertTrue(InfobipSpecValidator.check("GET", "/sms/3/logs?limit=many", h, "").isPresent());
        assertTrue(InfobipSpecValidator.check("GET", "/account/1/balance", h, "").isEmpty());
    }

    @Test
    void anInfobipPathTheSpecsLackIsReported() {
        Map<String, List<String>> h = Map.of("Authorization", List.of("App k"));
        String m = InfobipSpecValidator.check("POST", "/sms/2/text/advanced", h, "{}").orElseThrow();
        assertTrue(m.contains("No API path found"), m);
    }

    @Test
    void whatIsNotInfobipsIsLeftAlone() throws Exception {
        post("/zd/api/v2/tickets", "Basic x", "{\"not\":\"infobip\"}");
        post("/rasa/webhooks/rest/webhook", null, "{}");
        validator.assertNoViolations();
        assertTrue(InfobipSpecValidator.covers("/sms/3/logs") && InfobipSpecValidator.covers("/account/1/balance"));
        assertTrue(!InfobipSpecValidator.covers("/smsx") && !InfobipSpecValidator.covers("/desk/sms/3/messages"));
    }
}
