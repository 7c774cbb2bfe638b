package dev.parley.infobip.fuzz;

import dev.parley.infobip.http.MediaCopier;

import dev.parley.infobip.conversations.ConversationsWebhooks;
import dev.parley.infobip.whatsapp.WhatsAppWebhooks;
import dev.parley.spi.Attachment;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.fuzz.JsonFuzz;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Property-based fuzzing of the conversation-event webhook parser, seeded with every example of the spec: whatever the
 * body, the only outcomes are a batch or a {@link WebhookRejectedException}, no item needs the parser's catch-all, every
 * event has a dedup key and every message its conversation.
 */
class ConversationsWebhookFuzzTest {

    private static final List<String> EXAMPLES = examples();
    private static final MediaCopier COPIER = (kind, url, caption) ->
            new Attachment(kind, null, null, null, null, null, caption, "not copied in the fuzz test");

    private static List<String> examples() {
        try (InputStream in = ConversationsWebhookFuzzTest.class.getResourceAsStream("/infobip/conversations-webhook-examples.json")) {
            JsonObject all = Jsons.parse(in.readAllBytes()).asJsonObject().getJsonObject("examples");
            List<String> out = new ArrayList<>();
            all.values().forEach(v -> out.add(v.toString()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Body(byte[] bytes, String seed) {
        @Override
        public String toString() {
            return seed + ": " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Body> bodies() {
        return Combinators.combine(JsonFuzz.modes(), Arbitraries.of(EXAMPLES), Arbitraries.longs(), Arbitraries.of(false, true))
                .as((mode, example, seed, asArray) -> {
                    String valid = asArray ? "[" + example + "," + example + "]" : example;
                    return new Body(JsonFuzz.body(mode, valid, new Random(seed)), mode + " seed " + seed);
                });
    }

    @Property(tries = 5_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void onlyABatchOrARejection(@ForAll("bodies") Body body) {
        WebhookBatch batch;
        try {
            batch = ConversationsWebhooks.events(body.bytes(), "fbcfe58e-a5c3-3a80-b569-f631dbb27c41", COPIER);
        } catch (WebhookRejectedException e) {
            return;
        }
        for (String reason : batch.skipped()) { // the parser's catch-all is a safety net, not a code path
            if (reason.contains("malformed: ")) throw new AssertionError("unexpected exception: " + reason);
        }
        for (InboundEvent e : batch.events()) {
            if (e.dedupKey() == null || e.dedupKey().isBlank()) throw new AssertionError("no dedup key: " + e);
            if (e instanceof InboundEvent.MessageReceived m && ConversationsWebhooks.conversationId(m) == null) {
                throw new AssertionError("a message without its conversation: " + m);
            }
        }
    }
}
