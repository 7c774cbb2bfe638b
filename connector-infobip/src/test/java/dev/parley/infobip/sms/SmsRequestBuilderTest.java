package dev.parley.infobip.sms;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsRequestBuilderTest {

    private static final String DLR = "https://parley.example/channel/sms1/webhook/dlr?token=abc";
    private static final String CLICK = "https://parley.example/channel/sms1/webhook/click?token=def";

    @Test
    void plainTextHasNoTracking() {
        JsonObject body = SmsRequestBuilder.build("Parley", "41793026727", "ref-1", "Hello", DLR, true, CLICK, null);
        assertEquals(Jsons.parse("""
                {"messages":[{"sender":"Parley",
                  "destinations":[{"to":"41793026727","messageId":"ref-1"}],
                  "content":{"text":"Hello"},
                  "webhooks":{"delivery":{"url":"%s","intermediateReport":true,"notify":true},
                              "contentType":"application/json","callbackData":"ref-1"}}]}
                """.formatted(DLR)), body);
    }

    @Test
    void linkAddsTracking() {
        JsonObject body = SmsRequestBuilder.build("Parley", "41793026727", "ref-1", "See https://x.example/a", DLR,
                true, CLICK, null);
        assertEquals(Jsons.parse("""
                {"tracking":{"shortenUrl":true,"trackClicks":true,"trackingUrl":"%s","removeProtocol":false}}
                """.formatted(CLICK)), body.getJsonObject("options"));
    }

    @Test
    void customDomainOnlyWhenSet() {
        JsonObject body = SmsRequestBuilder.build("Parley", "41793026727", "ref-1", "Go to www.example.com", DLR,
                true, CLICK, "go.example.com");
        assertEquals("go.example.com", body.getJsonObject("options").getJsonObject("tracking").getString("customDomain"));
        JsonObject without = SmsRequestBuilder.build("Parley", "41793026727", "ref-1", "http://a.example", DLR,
                true, CLICK, null);
        assertFalse(without.getJsonObject("options").getJsonObject("tracking").containsKey("customDomain"));
    }

    @Test
    void noTrackingWhenDisabled() {
        JsonObject body = SmsRequestBuilder.build("Parley", "41793026727", "ref-1", "See https://x.example/a", DLR,
                false, CLICK, "go.example.com");
        assertFalse(body.containsKey("options"));
    }

    @Test
    void linkDetection() {
        assertTrue(SmsRequestBuilder.containsLink("HTTPS://A.EXAMPLE"));
        assertTrue(SmsRequestBuilder.containsLink("visit www.example.com"));
        assertTrue(SmsRequestBuilder.containsLink("http://a"));
        assertFalse(SmsRequestBuilder.containsLink("example.com and ftp://x"));
    }

    @Test
    void textIsEscaped() {
        JsonObject body = SmsRequestBuilder.build("Parley", "41793026727", "r", "quote \" and \\ and \u00e9 \uD83D\uDE00",
                DLR, true, CLICK, null);
        JsonObject roundTrip = (JsonObject) Jsons.parse(body.toString());
        assertEquals("quote \" and \\ and \u00e9 \uD83D\uDE00", roundTrip.getJsonArray("messages").getJsonObject(0)
                .getJsonObject("content").getString("text"));
    }
}
