package dev.parley.infobip.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipWhatsAppConnector;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.Attachment;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.Template;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.testing.InMemoryMediaStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code infobip-whatsapp} connection over the wire (a real MicroProfile REST Client and the JDK client for media,
 * against a WireMock stand-in): exact requests, each checked against Infobip's published WhatsApp spec; the window;
 * media copied, redirected without the key, and kept as a link with the reason when it cannot be.
 */
class WhatsAppWireTest {

    static final InfobipSpecValidator SPEC = new InfobipSpecValidator();

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(SPEC)).build();

    private static final String KEY = "sk-test-key-123456";
    private static final String SENDER = "441134960000";
    private static final String ACCEPTED = """
            {"to":"441134960001","messageCount":1,"messageId":"ref-1",
             "status":{"groupId":1,"groupName":"PENDING","id":7,"name":"PENDING_ENROUTE","description":"Message sent to next instance"}}""";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4};

    private final InMemoryMediaStore media = new InMemoryMediaStore(1000);

    @AfterEach
    void requestsFollowInfobipsSpec() {
        SPEC.assertNoViolations();
    }

    private FakeContext context() {
        FakeContext ctx = FakeContext.against(infobip.baseUrl()).with("sender", "+44 113 496 0000");
        ctx.media = media;
        return ctx;
    }

    private Connection open(FakeContext ctx) {
        return new InfobipWhatsAppConnector().open(ctx);
    }

    private static OffsetDateTime hoursBeforeNow(long hours) {
        return FakeContext.NOW.atOffset(ZoneOffset.UTC).minusHours(hours);
    }

    private static String reportUrl() {
        return "https://parley.example/channel/sms1/webhook/dlr?token=" + WebhookAuth.token("hook-secret-pw", "sms1", "dlr");
    }

    @Test
    void aReplyInsideTheWindowIsSentAsText() {
        infobip.stubFor(post(urlPathEqualTo("/whatsapp/1/message/text")).willReturn(okJson(ACCEPTED)));
        SendReceipt r = ((Channel) open(context())).send(new OutboundMessage("ref-1", "+441134960001", "Hello",
                hoursBeforeNow(23), null));
        assertEquals(new SendReceipt("ref-1", DeliveryStatus.SENT, "PENDING_ENROUTE"), r);
        infobip.verify(1, postRequestedFor(urlEqualTo("/whatsapp/1/message/text"))
                .withHeader("Authorization", equalTo("App " + KEY))
                .withRequestBody(equalToJson("""
                        {"from":"441134960000","to":"441134960001","messageId":"ref-1",
                         "content":{"text":"Hello","previewUrl":false},"notifyUrl":"%s"}""".formatted(reportUrl()))));
    }

    @Test
    void outsideTheWindowNoFreeTextIsAttemptedAndTheReasonNamesTemplates() {
        Channel c = (Channel) open(context());
        for (OffsetDateTime lastWrote : new OffsetDateTime[] {hoursBeforeNow(25), null,
                FakeContext.NOW.atOffset(ZoneOffset.UTC).minusHours(24).plusSeconds(10)}) {
            PermanentException e = assertThrows(PermanentException.class,
                    () -> c.send(new OutboundMessage("ref-2", "+441134960001", "Hello", lastWrote, null)));
            assertEquals(WhatsAppWebhooks.OUTSIDE_WINDOW, e.getMessage());
            assertTrue(e.getMessage().contains("template"));
        }
        assertEquals(0, infobip.getAllServeEvents().size(), "nothing sent");
    }

    @Test
    void aTemplateGoesOutWhateverTheWindow() {
        infobip.stubFor(post(urlPathEqualTo("/whatsapp/1/message/template")).willReturn(okJson(
                "{\"messages\":[" + ACCEPTED + "],\"bulkId\":\"b-1\"}")));
        SendReceipt r = ((Channel) open(context())).send(new OutboundMessage("ref-3", "+441134960001", "[template]", null,
                new Template("order_update", "en_GB", List.of("Ada", "#42"))));
        assertEquals(DeliveryStatus.SENT, r.status());
        infobip.verify(1, postRequestedFor(urlEqualTo("/whatsapp/1/message/template"))
                .withHeader("Authorization", equalTo("App " + KEY))
                .withRequestBody(equalToJson("""
                        {"messages":[{"from":"441134960000","to":"441134960001","messageId":"ref-3",
                          "content":{"templateName":"order_update","language":"en_GB",
                                     "templateData":{"body":{"placeholders":["Ada","#42"]}}},
                          "notifyUrl":"%s"}]}""".formatted(reportUrl()))));
        assertThrows(PermanentException.class, () -> ((Channel) open(context())).send(new OutboundMessage("ref-4",
                "+441134960001", "x", null, new Template("Order Update!", "en", List.of()))));
    }

    @Test
    void aRateLimitIsRetryableAndABadRequestIsNot() {
        infobip.stubFor(post(urlPathEqualTo("/whatsapp/1/message/text")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"TOO_MANY_REQUESTS\",\"text\":\"slow down\"}}}")));
        Channel c = (Channel) open(context());
        RetryableException e = assertThrows(RetryableException.class,
                () -> c.send(new OutboundMessage("ref-5", "+441134960001", "Hi", hoursBeforeNow(1), null)));
        assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
        infobip.stubFor(post(urlPathEqualTo("/whatsapp/1/message/text")).willReturn(aResponse().withStatus(400)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"BAD_REQUEST\",\"text\":\"Bad request\"}}}")));
        assertThrows(PermanentException.class,
                () -> c.send(new OutboundMessage("ref-6", "+441134960001", "Hi", hoursBeforeNow(1), null)));
    }

    @Test
    void verifyReadsTheSendersTemplates() {
        infobip.stubFor(get(urlPathEqualTo("/whatsapp/2/senders/441134960000/templates")).willReturn(okJson(
                "{\"templates\":[{\"id\":\"1\",\"name\":\"welcome\",\"language\":\"en\",\"status\":\"APPROVED\",\"category\":\"UTILITY\"}]}")));
        String verified = open(context()).verify();
        assertTrue(verified.contains("441134960000") && verified.contains("1 templates"), verified);
        infobip.verify(getRequestedFor(urlEqualTo("/whatsapp/2/senders/441134960000/templates"))
                .withHeader("Authorization", equalTo("App " + KEY)));
        infobip.stubFor(get(urlPathEqualTo("/whatsapp/2/senders/441134960000/templates")).willReturn(aResponse().withStatus(404)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Not found\"}}}")));
        PermanentException e = assertThrows(PermanentException.class, () -> open(context()).verify());
        assertTrue(e.getMessage().contains("check 'sender'"), e.getMessage());
        infobip.stubFor(get(urlPathEqualTo("/whatsapp/2/senders/441134960000/templates")).willReturn(aResponse().withStatus(403)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"FORBIDDEN\",\"text\":\"Forbidden\"}}}")));
        e = assertThrows(PermanentException.class, () -> open(context()).verify());
        assertTrue(e.getMessage().contains("whatsapp:manage"), e.getMessage());
    }

    // ---- inbound media ------------------------------------------------------------------------

    private InboundEvent.MessageReceived receiveImage(Connection c, String url) {
        String body = """
                {"results":[{"from":"385919998888","to":"441134960000","integrationType":"WHATSAPP",
                  "receivedAt":"2025-01-01T10:10:00.000+0000","messageId":"wamid.1",
                  "message":{"type":"IMAGE","url":"%s","caption":"my cat"},
                  "price":{"pricePerMessage":0,"currency":"EUR"},"contact":{"name":"Frank","phoneNumber":"385919998888"}}],
                 "messageCount":1,"pendingMessageCount":0}""".formatted(url);
        String basic = "Basic " + Base64.getEncoder().encodeToString("infobip:hook-secret-pw".getBytes(StandardCharsets.UTF_8));
        WebhookReceiver.WebhookBatch batch = ((WebhookReceiver) c).receive(new WebhookRequest("whatsapp",
                Map.of("Authorization", List.of(basic)), Map.of(), body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), batch.skipped());
        return (InboundEvent.MessageReceived) batch.events().get(0);
    }

    @Test
    void mediaIsFetchedWithTheKeyAndItsCdnRedirectWithoutIt() {
        String path = "/whatsapp/1/senders/441134960000/media/f1b96d31";
        infobip.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", infobip.baseUrl() + "/cdn/signed-abc")));
        infobip.stubFor(get(urlEqualTo("/cdn/signed-abc")).willReturn(aResponse().withHeader("Content-Type", "image/png")
                .withHeader("Content-Disposition", "inline; filename=\"cat.png\"").withBody(PNG)));
        Connection c = open(context());
        InboundEvent.MessageReceived m = receiveImage(c, infobip.baseUrl() + path);
        Attachment a = m.content().attachments().get(0);
        assertTrue(a.copied(), String.valueOf(a));
        assertEquals("my cat", m.text());
        assertEquals("image/png", a.contentType());
        assertEquals("cat.png", a.fileName());
        assertArrayEquals(PNG, media.content(a.mediaId()).orElseThrow());
        infobip.verify(getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("App " + KEY)));
        // The CDN's host is not Infobip's API: here it is the same host, so the key may go; see the other host below.
        receiveImage(c, infobip.baseUrl() + path); // a repeated delivery
        infobip.verify(1, getRequestedFor(urlEqualTo(path)));
        assertEquals(1, media.stored().size(), "copied once");
    }

    @Test
    void aRedirectToAnotherHostDoesNotCarryTheKey() {
        String path = "/whatsapp/1/senders/441134960000/media/other-host";
        // localhost and 127.0.0.1 are different hosts to the client: the CDN is "elsewhere"
        String cdn = infobip.baseUrl().replace("localhost", "127.0.0.1") + "/cdn/elsewhere";
        infobip.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(302).withHeader("Location", cdn)));
        infobip.stubFor(get(urlEqualTo("/cdn/elsewhere")).willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        Attachment a = receiveImage(open(context()), infobip.baseUrl() + path).content().attachments().get(0);
        assertTrue(a.copied(), String.valueOf(a));
        infobip.verify(getRequestedFor(urlEqualTo("/cdn/elsewhere")).withHeader("Authorization", absent()));
    }

    @Test
    void whenTheCopyFailsTheLinkIsKeptWithTheReason() {
        String gone = "/whatsapp/1/senders/441134960000/media/expired";
        infobip.stubFor(get(urlEqualTo(gone)).willReturn(aResponse().withStatus(404)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Media not found or expired\"}}}")));
        Attachment a = receiveImage(open(context()), infobip.baseUrl() + gone).content().attachments().get(0);
        assertNull(a.mediaId());
        assertEquals(infobip.baseUrl() + gone, a.providerUrl().toString());
        assertTrue(a.copyFailure().contains("404"), a.copyFailure());

        String big = "/whatsapp/1/senders/441134960000/media/big";
        infobip.stubFor(get(urlEqualTo(big)).willReturn(aResponse().withHeader("Content-Type", "video/mp4").withBody(new byte[5000])));
        a = receiveImage(open(context()), infobip.baseUrl() + big).content().attachments().get(0);
        assertNull(a.mediaId());
        assertTrue(a.copyFailure().contains("parley.media.max-bytes"), a.copyFailure());

        a = receiveImage(open(context()), "https://evil.example/whatsapp/1/senders/441134960000/media/x").content().attachments().get(0);
        assertTrue(a.copyFailure().contains("not on this connection's Infobip host"), a.copyFailure());
        assertTrue(media.stored().isEmpty());
    }

    @Test
    void withoutAMediaStoreTheMessageStillArrivesWithTheLink() {
        String path = "/whatsapp/1/senders/441134960000/media/nostore";
        infobip.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        FakeContext ctx = context();
        ctx.media = dev.parley.spi.MediaStore.UNAVAILABLE;
        InboundEvent.MessageReceived m = receiveImage(open(ctx), infobip.baseUrl() + path);
        Attachment a = m.content().attachments().get(0);
        assertNull(a.mediaId());
        assertTrue(a.copyFailure().contains("no media store"), a.copyFailure());
    }
}
