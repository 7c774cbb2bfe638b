package dev.parley.infobip.webhook;

import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.WebhookReceiver.WebhookBatch;
import dev.parley.spi.WebhookRejectedException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsWebhooksTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** infobip.md section 4, with a second good item and one without messageId. */
    static final String SMS_BATCH = """
            {"results":[
              {"messageId":"817790313235066447","from":"385916242493","to":"385921004026",
               "text":"QUIZ Correct answer is Paris","cleanText":"Correct answer is Paris","keyword":"QUIZ",
               "receivedAt":"2019-11-09T16:00:00.000+0000","smsCount":1,
               "price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":"callbackData"},
              {"messageId":"817790313235066448","from":"41793026727","to":"385921004026",
               "receivedAt":"2019-11-09T16:01:00Z"},
              {"from":"41793026727","to":"385921004026","text":"lost id"}
             ],
             "messageCount":3,"pendingMessageCount":0}
            """;

    @Test
    void smsBatchKeepsGoodItemsAndSkipsMalformed() {
        WebhookBatch batch = SmsWebhooks.sms(b(SMS_BATCH));
        assertEquals(2, batch.events().size());
        assertEquals(List.of("results[2]: missing messageId"), batch.skipped());

        InboundEvent.MessageReceived first = (InboundEvent.MessageReceived) batch.events().get(0);
        assertEquals("817790313235066447", first.providerMessageId());
        assertEquals("385916242493", first.from());
        assertEquals("385921004026", first.to());
        assertEquals("QUIZ Correct answer is Paris", first.text());
        assertEquals(OffsetDateTime.parse("2019-11-09T16:00:00Z"), first.receivedAt());
        assertNull(first.contactName());
        assertEquals("msg:817790313235066447", first.dedupKey());

        InboundEvent.MessageReceived second = (InboundEvent.MessageReceived) batch.events().get(1);
        assertEquals("", second.text());
        assertEquals(OffsetDateTime.parse("2019-11-09T16:01:00Z"), second.receivedAt());
    }

    @Test
    void smsItemsThatAreNotObjectsOrLackFromAreSkipped() {
        WebhookBatch batch = SmsWebhooks.sms(b("""
                {"results":["oops", {"messageId":"1","from":"  "}, {"messageId":"2","from":"41793026727",
                 "receivedAt":"yesterday"}]}"""));
        assertEquals(List.of("results[0]: not a JSON object", "results[1]: missing from"), batch.skipped());
        assertEquals(1, batch.events().size());
        assertNull(((InboundEvent.MessageReceived) batch.events().get(0)).receivedAt());
    }

    @Test
    void badBodiesAreRejected() {
        assertEquals(400, assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.sms(b("not json"))).status());
        assertEquals(400, assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.sms(b(""))).status());
        assertEquals(400, assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.sms(b("[1]"))).status());
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                () -> SmsWebhooks.dlr(b("{\"messages\":[]}")));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("results"));
    }

    /**
     * Found by fuzzing: JSON-P (Parsson) throws UnsupportedOperationException for a number of more than 1100
     * characters and a plain RuntimeException for nesting deeper than 1000 levels, which escaped as 500s.
     */
    @Test
    void aTooLongNumberOrTooDeepNestingIs400() {
        String longNumber = "{\"results\":[{\"messageId\":" + "9".repeat(1200) + ",\"from\":\"1\"}]}";
        String deep = "{\"results\":[" + "[".repeat(1001) + "]".repeat(1001) + "]}";
        for (String body : List.of(longNumber, deep)) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.sms(b(body)));
            assertEquals(400, e.status());
            assertEquals("body is not usable JSON (a number too long or nesting too deep)", e.getMessage());
            assertEquals(400, assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.dlr(b(body))).status());
            assertEquals(400, assertThrows(WebhookRejectedException.class, () -> SmsWebhooks.click(b(body))).status());
        }
    }

    /** A groupId beyond int range is unknown, not truncated (4294967299 used to read as 3, DELIVERED). */
    @Test
    void aGroupIdBeyondIntRangeIsAnUnknownStatus() {
        WebhookBatch batch = SmsWebhooks.dlr(b("{\"results\":[{\"messageId\":\"m1\",\"status\":{\"groupId\":4294967299}}]}"));
        assertEquals(List.of(), batch.events());
        assertEquals(List.of("results[0]: unknown status group 'null' (groupId 4294967299)"), batch.skipped());
    }

    /** infobip.md section 3, v2 shape. */
    @Test
    void dlrV2Delivered() {
        WebhookBatch batch = SmsWebhooks.dlr(b("""
                {"results":[{"bulkId":"BULK-ID-123-xyz","messageId":"MESSAGE-ID-123-xyz","to":"41793026727",
                  "from":"InfoSMS","sentAt":"2019-11-09T16:00:00.000+0000","doneAt":"2019-11-09T16:00:00.000+0000",
                  "smsCount":1,"callbackData":"callbackData","price":{"pricePerMessage":0.01,"currency":"EUR"},
                  "status":{"groupId":3,"groupName":"DELIVERED","id":5,"name":"DELIVERED_TO_HANDSET","description":"..."},
                  "error":{"groupId":0,"groupName":"Ok","id":0,"name":"NO_ERROR","description":"No Error","permanent":false}}]}
                """));
        assertEquals(List.of(), batch.skipped());
        assertEquals(List.of(new InboundEvent.DeliveryReported("MESSAGE-ID-123-xyz", DeliveryStatus.DELIVERED,
                "DELIVERED_TO_HANDSET", null, OffsetDateTime.parse("2019-11-09T16:00:00Z"))), batch.events());
    }

    /** v3 shape: sender, messageCount, platform; error groups OK|HANDSET_ERRORS|...; plus a bad item. */
    @Test
    void dlrV3WithErrorsAndBadItems() {
        WebhookBatch batch = SmsWebhooks.dlr(b("""
                {"results":[
                 {"bulkId":"B","messageId":"m1","to":"41793026727","sender":"InfoSMS","messageCount":1,
                  "sentAt":"2024-01-01T10:00:00.000+0000","doneAt":"2024-01-01T10:00:05.123+0000",
                  "platform":{"entityId":"e","applicationId":"a"},
                  "status":{"groupId":2,"groupName":"UNDELIVERABLE","id":9,"name":"UNDELIVERABLE_NOT_DELIVERED",
                            "description":"Message sent not delivered"},
                  "error":{"groupId":1,"groupName":"HANDSET_ERRORS","id":27,"name":"EC_ABSENT_SUBSCRIBER",
                           "description":"Absent Subscriber","permanent":false}},
                 {"messageId":"m2","status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED"}},
                 {"messageId":"m3","status":{"groupId":4,"name":"EXPIRED_EXPIRED"}},
                 {"messageId":"m4","status":{"groupId":5,"groupName":"REJECTED","id":12,"name":"REJECTED_NOT_ENOUGH_CREDITS"}},
                 {"messageId":"m5","status":{"groupName":"ACCEPTED","name":"ACCEPTED"}},
                 {"status":{"groupId":3}},
                 {"messageId":"m7"},
                 {"messageId":"m8","status":{"groupName":"WEIRD"}},
                 42
                ]}
                """));
        assertEquals(5, batch.events().size());
        InboundEvent.DeliveryReported m1 = (InboundEvent.DeliveryReported) batch.events().get(0);
        assertEquals(DeliveryStatus.UNDELIVERABLE, m1.status());
        assertEquals("UNDELIVERABLE_NOT_DELIVERED", m1.providerStatus());
        assertEquals("EC_ABSENT_SUBSCRIBER: Absent Subscriber", m1.error());
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:05.123Z"), m1.at());
        assertEquals(DeliveryStatus.SENT, ((InboundEvent.DeliveryReported) batch.events().get(1)).status());
        assertEquals(DeliveryStatus.EXPIRED, ((InboundEvent.DeliveryReported) batch.events().get(2)).status());
        assertEquals(DeliveryStatus.REJECTED, ((InboundEvent.DeliveryReported) batch.events().get(3)).status());
        assertEquals(DeliveryStatus.SENT, ((InboundEvent.DeliveryReported) batch.events().get(4)).status());
        assertEquals(List.of("results[5]: missing messageId", "results[6]: missing status",
                "results[7]: unknown status group 'WEIRD' (groupId null)", "results[8]: not a JSON object"),
                batch.skipped());
    }

    /** infobip.md section 5. */
    @Test
    void clickSingleObject() {
        WebhookBatch batch = SmsWebhooks.click(b("""
                {"notificationType":"CLICKED","recipient":"41793026727","url":"https://www.google.com",
                 "sendDateTime":1704106800000,"messageId":"a28dd97c-1ffb-4fcf-99f1-0b557ed381da",
                 "bulkId":"17575032561857950495083","callbackData":"Callback data",
                 "recipientInfo":{"deviceType":"Phone","os":"iOS 12","deviceName":"Apple"},
                 "geoLocationInfo":{"countryName":"United States","city":"Los Angeles"},
                 "applicationId":"traffic-application","entityId":"traffic-entity"}
                """));
        assertEquals(List.of(new InboundEvent.LinkClicked("a28dd97c-1ffb-4fcf-99f1-0b557ed381da", "41793026727",
                "https://www.google.com", OffsetDateTime.parse("2024-01-01T11:00:00Z"))), batch.events());
        assertEquals(List.of(), batch.skipped());
    }

    @Test
    void clickResultsArray() {
        WebhookBatch batch = SmsWebhooks.click(b("""
                {"results":[{"notificationType":"CLICKED","recipient":"41793026727","url":"https://a.example",
                  "messageId":"m1","sendDateTime":"2024-01-01T10:00:00.000+0000"},
                 {"notificationType":"CLICKED","url":"https://a.example"},
                 {"notificationType":"OPENED","messageId":"m3","url":"https://a.example"}]}
                """));
        assertEquals(1, batch.events().size());
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00Z"),
                ((InboundEvent.LinkClicked) batch.events().get(0)).at());
        assertEquals(List.of("results[1]: missing messageId", "results[2]: notificationType 'OPENED' is not CLICKED"),
                batch.skipped());
    }

    @Test
    void clickWithoutMessageIdIsSkippedNotRejected() {
        WebhookBatch batch = SmsWebhooks.click(b("{\"url\":\"https://a.example\"}"));
        assertEquals(List.of("click: missing messageId"), batch.skipped());
    }
}
