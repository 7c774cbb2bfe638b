package dev.parley.infobip.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipWhatsAppConnector;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.Finding.Severity;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.testing.InMemoryMediaStore;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link WhatsAppConnection#diagnose()} on a WireMock Infobip: the sender (known, unknown, key refused, Infobip
 * unreachable), messages refused for the closed 24-hour window (by Parley at send, by Infobip in a report) and files
 * that could not be copied, each finding with its symptom, cause and fix and without the key.
 */
class WhatsAppDiagnoseTest {

    @RegisterExtension
    static final WireMockExtension infobip = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "sk-test-key-123456";
    private static final String TEMPLATES = "/whatsapp/2/senders/441134960000/templates";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("infobip:hook-secret-pw".getBytes(StandardCharsets.UTF_8));

    private Connection open() {
        FakeContext ctx = FakeContext.against(infobip.baseUrl()).with("sender", "+44 113 496 0000");
        ctx.media = new InMemoryMediaStore(1000);
        return new InfobipWhatsAppConnector().open(ctx);
    }

    private static List<Finding> diagnose(Connection c) {
        List<Finding> findings = ((Diagnosable) c).diagnose();
        for (Finding f : findings) {
            assertFalse(f.toString().contains(KEY) || f.toString().contains("hook-secret-pw"), "no secret: " + f);
            if (f.severity() != Severity.OK) {
                assertFalse(f.symptom().isBlank() || f.cause().isBlank() || f.fix().isBlank(), "symptom, cause, fix: " + f);
            }
        }
        return findings;
    }

    private static Finding only(List<Finding> findings, String check) {
        List<Finding> f = findings.stream().filter(x -> x.check().equals(check)).toList();
        assertEquals(1, f.size(), check + " in " + findings);
        return f.get(0);
    }

    private static void templates() {
        infobip.stubFor(get(urlPathEqualTo(TEMPLATES)).willReturn(okJson("{\"templates\":[]}")));
    }

    private static void receive(Connection c, String kind, String body) {
        WebhookReceiver.WebhookBatch batch = ((WebhookReceiver) c).receive(new WebhookRequest(kind,
                Map.of("Authorization", List.of(BASIC)), Map.of(), body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), batch.skipped());
    }

    private static String image(String messageId, String url) {
        return """
                {"results":[{"from":"385919998888","to":"441134960000","integrationType":"WHATSAPP",
                  "receivedAt":"2025-01-01T10:10:00.000+0000","messageId":"%s",
                  "message":{"type":"IMAGE","url":"%s"},"contact":{"name":"Frank"}}],
                 "messageCount":1,"pendingMessageCount":0}""".formatted(messageId, url);
    }

    @Test
    void aKnownSenderAndNothingFailedAreThreeOkFindings() {
        templates();
        List<Finding> f = diagnose(open());
        assertEquals(List.of("whatsapp.sender", "whatsapp.window", "whatsapp.media"), f.stream().map(Finding::check).toList());
        assertTrue(f.stream().allMatch(x -> x.severity() == Severity.OK), f.toString());
        assertTrue(f.get(0).symptom().contains("WhatsApp sender 441134960000 reachable") && f.get(0).symptom().contains("0 templates"),
                f.get(0).symptom());
    }

    @Test
    void anUnknownSenderARefusedKeyAndAnUnreachableInfobip() {
        infobip.stubFor(get(urlPathEqualTo(TEMPLATES)).willReturn(aResponse().withStatus(404)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"NOT_FOUND\",\"text\":\"Not found\"}}}")));
        Finding unknown = only(diagnose(open()), "whatsapp.sender");
        assertEquals(Severity.ERROR, unknown.severity());
        assertTrue(unknown.cause().startsWith("Infobip does not know WhatsApp sender 441134960000"), unknown.cause());
        assertTrue(unknown.fix().contains("sender: the business number as registered"), unknown.fix());

        infobip.stubFor(get(urlPathEqualTo(TEMPLATES)).willReturn(aResponse().withStatus(401)
                .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Invalid login details\"}}}")));
        Finding refused = only(diagnose(open()), "whatsapp.sender");
        assertEquals(Severity.ERROR, refused.severity());
        assertTrue(refused.cause().contains("401"), refused.cause());

        infobip.stubFor(get(urlPathEqualTo(TEMPLATES)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Finding unreachable = only(diagnose(open()), "whatsapp.sender");
        assertEquals(Severity.WARNING, unreachable.severity());
        assertEquals("Parley cannot reach Infobip just now", unreachable.symptom());
    }

    @Test
    void sendsRefusedForTheClosedWindowAreCountedWhetherParleyOrInfobipRefusedThem() {
        templates();
        Connection c = open();
        assertThrows(PermanentException.class, () -> ((Channel) c).send(new OutboundMessage("ref-1", "+441134960001",
                "Hello", FakeContext.NOW.atOffset(ZoneOffset.UTC).minusHours(30), null)));
        Finding one = only(diagnose(c), "whatsapp.window");
        assertEquals(Severity.WARNING, one.severity());
        assertTrue(one.symptom().startsWith("1 message(s) on WhatsApp were not delivered since " + FakeContext.NOW), one.symptom());
        assertTrue(one.cause().contains("only an approved template goes out"), one.cause());
        assertTrue(one.fix().contains("with \"template\""), one.fix());

        // Infobip's own window error in a delivery report; a delivered report does not count.
        receive(c, "dlr", "{\"results\":[{\"messageId\":\"m1\",\"status\":{\"groupId\":2,\"groupName\":\"UNDELIVERABLE\","
                + "\"id\":9,\"name\":\"UNDELIVERABLE_NOT_DELIVERED\"},\"error\":{\"id\":7010,\"name\":\"EC_NO_SESSION\","
                + "\"groupId\":1,\"groupName\":\"HANDSET_ERRORS\",\"permanent\":true}},"
                + "{\"messageId\":\"m2\",\"status\":{\"groupId\":3,\"groupName\":\"DELIVERED\",\"id\":5,"
                + "\"name\":\"DELIVERED_TO_HANDSET\"},\"error\":{\"id\":0,\"name\":\"NO_ERROR\",\"groupId\":0}}]}");
        Finding two = only(diagnose(c), "whatsapp.window");
        assertTrue(two.symptom().startsWith("2 message(s)"), two.symptom());
        assertTrue(two.cause().endsWith("(Infobip: EC_NO_SESSION)"), two.cause());
        assertEquals(Severity.OK, only(diagnose(open()), "whatsapp.window").severity(), "per connection, from its start");
    }

    @Test
    void filesThatCouldNotBeCopiedAreCountedWithTheLastReason() {
        templates();
        String path = "/whatsapp/1/senders/441134960000/media/";
        infobip.stubFor(get(urlEqualTo(path + "ok")).willReturn(aResponse().withHeader("Content-Type", "image/png")
                .withBody(new byte[] {1, 2, 3})));
        infobip.stubFor(get(urlEqualTo(path + "gone")).willReturn(aResponse().withStatus(404)));
        Connection c = open();
        receive(c, "whatsapp", image("wamid.1", infobip.baseUrl() + path + "ok"));
        assertEquals(Severity.OK, only(diagnose(c), "whatsapp.media").severity(), "a copied file is no failure");

        receive(c, "whatsapp", image("wamid.2", infobip.baseUrl() + path + "gone"));
        receive(c, "whatsapp", image("wamid.3", "https://elsewhere.example/cat.png"));
        Finding media = only(diagnose(c), "whatsapp.media");
        assertEquals(Severity.WARNING, media.severity());
        assertTrue(media.symptom().startsWith("2 file(s) customers sent on WhatsApp"), media.symptom());
        assertTrue(media.symptom().contains("Infobip's link"), media.symptom());
        assertTrue(media.cause().contains("not on this connection's Infobip host"), "the last reason: " + media.cause());
        assertTrue(media.fix().contains("parley.media.max-bytes") && media.fix().contains("404"), media.fix());
    }
}
