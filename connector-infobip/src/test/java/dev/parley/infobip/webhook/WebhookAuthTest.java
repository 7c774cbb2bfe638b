package dev.parley.infobip.webhook;

import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookAuthTest {

    private final WebhookAuth auth = WebhookAuth.basic("infobip", "s3cret-pw", "sms1");

    private static WebhookRequest req(String kind, String authorization, String token) {
        Map<String, List<String>> headers = authorization == null ? Map.of() : Map.of("authorization", List.of(authorization));
        Map<String, List<String>> query = token == null ? Map.of() : Map.of("token", List.of(token));
        return new WebhookRequest(kind, headers, query, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void rejected(WebhookRequest r) {
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> auth.check(r));
        assertEquals(401, e.status());
        assertEquals("missing or wrong webhook credentials", e.getMessage());
    }

    @Test
    void goodBasicIsAcceptedForEveryKind() {
        for (String kind : List.of("sms", "dlr", "click")) {
            assertDoesNotThrow(() -> auth.check(req(kind, basic("infobip", "s3cret-pw"), null)));
        }
        assertDoesNotThrow(() -> auth.check(req("sms", "basic " + basic("infobip", "s3cret-pw").substring(6), null)));
    }

    @Test
    void wrongOrMissingCredentialsAreRejected() {
        rejected(req("sms", basic("infobip", "wrong"), null));
        rejected(req("sms", basic("someone", "s3cret-pw"), null));
        rejected(req("sms", null, null));
        rejected(req("sms", "Basic !!!not-base64", null));
        rejected(req("sms", "Bearer s3cret-pw", null));
        rejected(req("dlr", null, null));
    }

    @Test
    void tokenIsAcceptedForReportKindsOnly() {
        String dlr = WebhookAuth.token("s3cret-pw", "sms1", "dlr");
        String click = WebhookAuth.token("s3cret-pw", "sms1", "click");
        assertDoesNotThrow(() -> auth.check(req("dlr", null, dlr)));
        assertDoesNotThrow(() -> auth.check(req("click", null, click)));
        rejected(req("sms", null, WebhookAuth.token("s3cret-pw", "sms1", "sms")));
        rejected(req("sms", null, dlr));
        rejected(req("click", null, dlr)); // a token is bound to its kind
        rejected(req("dlr", null, dlr + "x"));
        rejected(req("dlr", null, ""));
    }

    @Test
    void tokenIsUrlSafeAndBoundToConnectionAndPassword() {
        String t = WebhookAuth.token("s3cret-pw", "sms1", "dlr");
        assertTrue(t.matches("[A-Za-z0-9_-]{43}"), t);
        assertNotEquals(t, WebhookAuth.token("s3cret-pw", "sms2", "dlr"));
        assertNotEquals(t, WebhookAuth.token("other", "sms1", "dlr"));
    }

    @Test
    void noneAcceptsEverything() {
        WebhookAuth none = WebhookAuth.none();
        assertFalse(none.enabled());
        assertDoesNotThrow(() -> none.check(req("sms", null, null)));
        assertDoesNotThrow(() -> none.check(req("dlr", "Basic garbage", "x")));
    }
}
