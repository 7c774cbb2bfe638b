package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.MediaCopier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.Attachment;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.MessageContent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every inbound, delivery and seen example of Infobip's published WhatsApp spec, and the edges around them. */
class WhatsAppWebhooksTest {

    private static final JsonObject EXAMPLES = examples();
    private final List<String> copied = new ArrayList<>();
    private final MediaCopier copier = (kind, url, caption) -> {
        copied.add(kind + " " + url);
        return new Attachment(kind, "media-" + copied.size(), URI.create("https://example.invalid/x"), "image/jpeg", null, 10L,
                caption, null);
    };

    private static JsonObject examples() {
        try (InputStream in = WhatsAppWebhooksTest.class.getResourceAsStream("/infobip/whatsapp-webhook-examples.json")) {
            return Jsons.parse(in.readAllBytes()).asJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private InboundEvent.MessageReceived inbound(String example) {
        WebhookBatch batch = WhatsAppWebhooks.inbound(bytes(EXAMPLES.getJsonObject("inbound").getJsonObject(example)), copier);
        assertEquals(List.of(), batch.skipped(), example);
        assertEquals(1, batch.events().size(), example);
        return (InboundEvent.MessageReceived) batch.events().get(0);
    }

    private static byte[] bytes(JsonValue v) {
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyDocumentedInboundExampleIsAcceptedAsAMessageOfItsType() {
        JsonObject inbound = EXAMPLES.getJsonObject("inbound");
        assertEquals(22, inbound.size(), "the spec's 22 examples");
        for (Map.Entry<String, JsonValue> e : inbound.entrySet()) {
            InboundEvent.MessageReceived m = inbound(e.getKey());
            String type = e.getValue().asJsonObject().getJsonArray("results").getJsonObject(0).getJsonObject("message").getString("type");
            assertEquals("385919998888", m.from(), e.getKey());
            assertEquals("Frank", m.contactName(), e.getKey());
            assertNotNull(m.receivedAt(), e.getKey());
            assertEquals(type, m.contentOrText().type(), e.getKey());
        }
    }

    @Test
    void textIsPlainText() {
        InboundEvent.MessageReceived m = inbound("Received WhatsApp TEXT message");
        assertNull(m.content());
        assertTrue(!m.text().isEmpty());
    }

    @Test
    void mediaIsCopiedAtOnceWithItsCaption() {
        for (String type : List.of("IMAGE", "DOCUMENT", "AUDIO", "VIDEO", "VOICE", "STICKER")) {
            MessageContent c = inbound("Received WhatsApp " + type + " message").content();
            assertEquals(1, c.attachments().size(), type);
            assertEquals(type, c.attachments().get(0).kind());
            assertTrue(c.attachments().get(0).copied());
            assertNull(c.unsupported());
        }
        assertEquals(6, copied.size());
        assertTrue(copied.get(0).startsWith("IMAGE https://{base_url}/whatsapp/1/senders/447796344125/media/"), copied.get(0));
        assertEquals("Image Caption", inbound("Received WhatsApp IMAGE message").text());
    }

    @Test
    void buttonsAndListRepliesReachTheBotAsPostbacks() {
        InboundEvent.MessageReceived button = inbound("Received WhatsApp INTERACTIVE_BUTTON_REPLY message");
        assertNotNull(button.content().postback());
        assertTrue(!button.text().isBlank(), "the title the customer saw");
        InboundEvent.MessageReceived list = inbound("Received WhatsApp INTERACTIVE_LIST_REPLY message");
        assertNotNull(list.content().postback());
        InboundEvent.MessageReceived quick = inbound("Received WhatsApp BUTTON message");
        assertNotNull(quick.content().postback());
    }

    @Test
    void locationAndContactsAreKeptAsStructuredContent() {
        MessageContent location = inbound("Received WhatsApp LOCATION message").content();
        JsonObject where = Jsons.parse(location.structured()).asJsonObject();
        assertTrue(where.containsKey("latitude") && where.containsKey("longitude"), location.structured());
        assertTrue(inbound("Received WhatsApp LOCATION message").text().startsWith("Location: "));
        InboundEvent.MessageReceived contact = inbound("Received WhatsApp CONTACT message");
        assertEquals("Shared contact: Frank Bipper", contact.text());
        assertEquals("385918889999", Jsons.parse(contact.content().structured()).asJsonArray().getJsonObject(0)
                .getJsonArray("phones").getJsonObject(0).getString("phone"));
    }

    @Test
    void infectedContentAndTypesParleyDoesNotHandleAreRecordedWithAReason() {
        MessageContent infected = inbound("Received WhatsApp INFECTED_CONTENT message").content();
        assertTrue(infected.unsupported().contains("malware"), infected.unsupported());
        assertTrue(infected.attachments().isEmpty(), "never downloaded");
        for (String type : List.of("ORDER", "INTERACTIVE_PAYMENT_CONFIRMATION", "INTERACTIVE_CALL_PERMISSION_REPLY", "REACTION")) {
            assertNotNull(inbound("Received WhatsApp " + type + " message").content().unsupported(), type);
        }
        assertTrue(copied.isEmpty());
    }

    @Test
    void aCustomerWithoutAPhoneNumberIsAContactByTheirUserId() {
        String body = "{\"results\":[{\"to\":\"41793026731\",\"integrationType\":\"WHATSAPP\",\"receivedAt\":\"2025-01-01T10:10:00.000+0000\","
                + "\"messageId\":\"wamid.1\",\"message\":{\"type\":\"TEXT\",\"text\":\"hi\"},\"price\":{\"pricePerMessage\":0,\"currency\":\"EUR\"},"
                + "\"contact\":{\"userId\":\"HR.123123123\",\"username\":\"frank\"}}]}";
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) WhatsAppWebhooks.inbound(body.getBytes(StandardCharsets.UTF_8), copier)
                .events().get(0);
        assertEquals("HR.123123123", m.from());
        assertEquals("frank", m.contactName());
        assertTrue(WhatsAppWebhooks.isUserId("HR.123123123"));
        assertTrue(!WhatsAppWebhooks.isUserId("41793026731"));
    }

    @Test
    void aMalformedItemIsSkippedAndTheOthersKept() {
        String body = "{\"results\":[{\"from\":\"41\",\"messageId\":\"a\",\"message\":{\"type\":\"TEXT\",\"text\":\"ok\"}},"
                + "{\"from\":\"41\",\"messageId\":\"b\"},{\"from\":\"41\",\"messageId\":\"c\",\"message\":{\"type\":\"IMAGE\"}},"
                + "{\"from\":\"41\",\"messageId\":\"d\",\"message\":{\"type\":\"INTERACTIVE_BUTTON_REPLY\",\"title\":\"Yes\"}}, 7]}";
        WebhookBatch batch = WhatsAppWebhooks.inbound(body.getBytes(StandardCharsets.UTF_8), copier);
        assertEquals(1, batch.events().size());
        assertEquals(4, batch.skipped().size(), batch.skipped().toString());
        assertThrows(WebhookRejectedException.class, () -> WhatsAppWebhooks.inbound("[]".getBytes(StandardCharsets.UTF_8), copier));
        assertThrows(WebhookRejectedException.class, () -> WhatsAppWebhooks.inbound("{".getBytes(StandardCharsets.UTF_8), copier));
    }

    @Test
    void documentedDeliveryAndSeenReportsMoveTheStatus() {
        InboundEvent.DeliveryReported dlr = (InboundEvent.DeliveryReported) WhatsAppWebhooks.deliveryReports(
                bytes(EXAMPLES.getJsonObject("dlr").getJsonObject("Delivery reports"))).events().get(0);
        assertEquals(DeliveryStatus.DELIVERED, dlr.status());
        assertNull(dlr.error());
        WebhookBatch seen = WhatsAppWebhooks.seenReports(bytes(EXAMPLES.getJsonObject("seen").getJsonObject("Seen reports")));
        assertEquals(List.of(), seen.skipped());
        assertEquals(DeliveryStatus.SEEN, ((InboundEvent.DeliveryReported) seen.events().get(0)).status());
    }

    @Test
    void aWindowErrorInAReportIsNamedAsSuch() {
        String body = "{\"results\":[{\"messageId\":\"m1\",\"status\":{\"groupId\":2,\"groupName\":\"UNDELIVERABLE\",\"id\":9,"
                + "\"name\":\"UNDELIVERABLE_NOT_DELIVERED\"},\"error\":{\"id\":7010,\"name\":\"EC_NO_SESSION\",\"groupId\":1,"
                + "\"groupName\":\"HANDSET_ERRORS\",\"permanent\":true}}]}";
        InboundEvent.DeliveryReported r = (InboundEvent.DeliveryReported) WhatsAppWebhooks.deliveryReports(
                body.getBytes(StandardCharsets.UTF_8)).events().get(0);
        assertEquals(DeliveryStatus.UNDELIVERABLE, r.status());
        assertTrue(r.error().startsWith(WhatsAppWebhooks.OUTSIDE_WINDOW), r.error());
    }
}
