package dev.parley.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.Attachment;
import dev.parley.spi.MessageContent;
import dev.parley.spi.Template;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageExtrasTest {

    @Test
    void plainTextHasNoExtras() {
        assertNull(MessageExtras.of(MessageContent.text()));
        assertNull(MessageExtras.of((MessageContent) null));
        assertNull(MessageExtras.parse(null));
    }

    @Test
    void attachmentsRoundTripAndStructuredContentStaysJson() {
        Attachment copied = new Attachment("IMAGE", "m-1", URI.create("https://x.api.infobip.com/whatsapp/1/senders/1/media/2"),
                "image/jpeg", "cat.jpg", 1234L, "my cat", null);
        Attachment kept = new Attachment("DOCUMENT", null, URI.create("https://x/y"), "application/pdf", null, null, null,
                "the provider answered 404");
        String extras = MessageExtras.of(new MessageContent("IMAGE", null, List.of(copied, kept),
                "{\"latitude\":46.2,\"longitude\":6.1}", null));
        assertEquals(List.of(copied, kept), MessageExtras.attachments(extras));
        JsonObject o = MessageExtras.parse(extras);
        assertEquals(46.2, o.getJsonObject("structured").getJsonNumber("latitude").doubleValue());
    }

    @Test
    void structuredTextThatIsNotJsonIsKeptAsText() {
        String extras = MessageExtras.of(new MessageContent("CONTACT", null, List.of(), "not json {", "why"));
        assertEquals("not json {", MessageExtras.parse(extras).getString("structured"));
        assertEquals("why", MessageExtras.parse(extras).getString("unsupported"));
    }

    @Test
    void hugeStructuredContentIsNotedNotKeptHalf() {
        String big = "[" + "1,".repeat(60_000) + "1]";
        String kept = MessageExtras.parse(MessageExtras.of(new MessageContent("CONTACT", null, List.of(), big, null)))
                .getString("structured");
        assertTrue(kept.contains("more than 100000"), kept);
    }

    @Test
    void aTemplateRoundTrips() {
        Template t = new Template("order_update", "en_GB", List.of("Ada", "#42"));
        assertEquals(t, MessageExtras.template(MessageExtras.of(t)).orElseThrow());
        assertTrue(MessageExtras.template(MessageExtras.of(MessageContent.text())).isEmpty());
        assertTrue(MessageExtras.template("{\"attachments\":[]}").isEmpty());
    }
}
