package dev.parley.infobip.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfobipErrorTest {

    @Test
    void newStyle() {
        InfobipError e = InfobipError.parse("""
                {"errorCode":"E401","description":"The request lacks valid authentication credentials for the requested resource.",
                 "action":"Check the resources and adjust authentication credentials.","violations":[],
                 "resources":[{"name":"API Authentication","url":"https://www.infobip.com/docs/essentials/api-authentication"}]}
                """);
        assertEquals("E401", e.code());
        assertNull(e.details());
        assertEquals("E401: The request lacks valid authentication credentials for the requested resource.", e.summary());
    }

    @Test
    void newStyleWithViolations() {
        InfobipError e = InfobipError.parse("""
                {"errorCode":"E400","description":"Request cannot be processed.","action":"x",
                 "violations":[{"property":"messages[0].content.text","violation":"must not be blank"},
                               {"property":"messages[0].destinations[0].to","violation":"size must be between 1 and 64"}],
                 "resources":[]}""");
        assertEquals("E400: Request cannot be processed.; violations: messages[0].content.text: must not be blank, "
                + "messages[0].destinations[0].to: size must be between 1 and 64", e.summary());
    }

    @Test
    void legacyStyle() {
        InfobipError e = InfobipError.parse(
                "{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Unauthorized\"}}}");
        assertEquals("UNAUTHORIZED: Unauthorized", e.summary());
    }

    @Test
    void legacyStyleWithValidationErrors() {
        InfobipError e = InfobipError.parse("""
                {"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request",
                 "validationErrors":{"content.text":["size must be between 1 and 4096"]}}}}""");
        assertEquals("BAD_REQUEST: Bad request; validationErrors: content.text: size must be between 1 and 4096",
                e.summary());
    }

    @Test
    void nonJsonBodies() {
        assertEquals("no error details in the response", InfobipError.parse("").summary());
        assertEquals("no error details in the response", InfobipError.parse(null).summary());
        assertEquals("<html> Bad Gateway </html>", InfobipError.parse("<html>\n Bad Gateway\n</html>").summary());
        String longBody = "x".repeat(500);
        assertTrue(InfobipError.parse(longBody).summary().length() <= 203);
        assertEquals("{\"foo\":1}", InfobipError.parse("{\"foo\":1}").summary());
    }
}
