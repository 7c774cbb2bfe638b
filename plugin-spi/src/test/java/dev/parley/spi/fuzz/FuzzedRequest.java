package dev.parley.spi.fuzz;

import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One generated webhook call, printed readably when a property fails (body as escaped text, then its length).
 * {@link #assertOnlyAllowedOutcomes} is the fuzz oracle: a batch, or a {@link WebhookRejectedException} with a
 * 4xx status and a reason that names no secret and no Java class; any other exception escapes and fails the try.
 */
public record FuzzedRequest(String kind, Map<String, List<String>> headers, Map<String, List<String>> query,
                            byte[] body) {

    private static final Set<Integer> STATUSES = Set.of(400, 401, 403, 404, 413, 415);
    private static final Pattern CLASS_NAME = Pattern.compile(
            "(?s).*(\\b(java|javax|jakarta|org\\.eclipse|dev\\.parley)\\.[a-z]|Exception).*");

    public WebhookRequest toRequest() {
        return new WebhookRequest(kind, headers, query, body);
    }

    /** Checks the outcome and counts it in jqwik's statistics (how many tries got past the authentication). */
    public void assertOnlyAllowedOutcomes(WebhookReceiver receiver, List<String> secrets) {
        WebhookReceiver.WebhookBatch batch;
        try {
            batch = receiver.receive(toRequest());
        } catch (WebhookRejectedException e) {
            assertTrue(STATUSES.contains(e.status()), "status " + e.status());
            assertClean(e.getMessage(), secrets);
            Statistics.collect("rejected " + e.status());
            return;
        }
        assertNotNull(batch);
        for (InboundEvent event : batch.events()) assertNotNull(event);
        for (String line : batch.skipped()) assertClean(line, secrets);
        Statistics.collect(batch.events().isEmpty() ? "batch without events" : "batch with events");
    }

    private static void assertClean(String message, List<String> secrets) {
        assertNotNull(message, "a reason is required");
        for (String secret : secrets) assertFalse(message.contains(secret), "the reason reveals a secret: " + message);
        assertFalse(CLASS_NAME.matcher(message).matches(), "the reason names a Java class: " + message);
    }

    @Override
    public String toString() {
        String text = new String(body, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 4000; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || Character.isSurrogate(c) || c == '\uFEFF') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 4000) sb.append("...");
        return "FuzzedRequest[kind=" + (kind == null ? "null" : "'" + kind + "'") + ", headers=" + headers
                + ", query=" + query + ", body(" + body.length + " bytes)=" + sb + "]";
    }
}
