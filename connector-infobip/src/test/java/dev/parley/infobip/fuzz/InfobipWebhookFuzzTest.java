package dev.parley.infobip.fuzz;

import dev.parley.spi.fuzz.FuzzedRequest;
import dev.parley.spi.fuzz.JsonFuzz;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.InfobipSmsConnector;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.WebhookReceiver;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Property-based fuzzing of the Infobip SMS connection's webhook receiver ({@code sms}, {@code dlr},
 * {@code click}): whatever the body, headers, kind and query, the only outcomes are a batch or a
 * {@code WebhookRejectedException}. Most tries carry valid credentials so that the parsers are reached.
 */
class InfobipWebhookFuzzTest {

    private static final String USER = "infobip";
    private static final String PASSWORD = "hook-secret-pw";
    private static final List<String> SECRETS = List.of(PASSWORD, "sk-test-key-123456");

    private static final FakeContext CTX = FakeContext.valid();
    private static final WebhookReceiver RECEIVER = (WebhookReceiver) new InfobipSmsConnector().open(CTX);

    /** The inbound SMS of the unit tests (infobip.md section 4), plus its second item. */
    static final String SMS = """
            {"results":[
              {"messageId":"817790313235066447","from":"385916242493","to":"385921004026",
               "text":"QUIZ Correct answer is Paris","cleanText":"Correct answer is Paris","keyword":"QUIZ",
               "receivedAt":"2019-11-09T16:00:00.000+0000","smsCount":1,
               "price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":"callbackData"},
              {"messageId":"817790313235066448","from":"41793026727","to":"385921004026",
               "receivedAt":"2019-11-09T16:01:00Z"}],
             "messageCount":2,"pendingMessageCount":0}""";

    /** Delivery reports, v2 and v3 shapes. */
    static final String DLR = """
            {"results":[
             {"bulkId":"BULK-ID-123-xyz","messageId":"MESSAGE-ID-123-xyz","to":"41793026727",
              "from":"InfoSMS","sentAt":"2019-11-09T16:00:00.000+0000","doneAt":"2019-11-09T16:00:00.000+0000",
              "smsCount":1,"callbackData":"callbackData","price":{"pricePerMessage":0.01,"currency":"EUR"},
              "status":{"groupId":3,"groupName":"DELIVERED","id":5,"name":"DELIVERED_TO_HANDSET","description":"..."},
              "error":{"groupId":0,"groupName":"Ok","id":0,"name":"NO_ERROR","description":"No Error","permanent":false}},
             {"bulkId":"B","messageId":"m1","to":"41793026727","sender":"InfoSMS","messageCount":1,
              "sentAt":"2024-01-01T10:00:00.000+0000","doneAt":"2024-01-01T10:00:05.123+0000",
              "platform":{"entityId":"e","applicationId":"a"},
              "status":{"groupId":2,"groupName":"UNDELIVERABLE","id":9,"name":"UNDELIVERABLE_NOT_DELIVERED",
                        "description":"Message sent not delivered"},
              "error":{"groupId":1,"groupName":"HANDSET_ERRORS","id":27,"name":"EC_ABSENT_SUBSCRIBER",
                       "description":"Absent Subscriber","permanent":false}},
             {"messageId":"m3","status":{"groupId":4,"name":"EXPIRED_EXPIRED"},"error":{"id":12}}]}""";

    /** A click report as documented (infobip.md section 5). */
    static final String CLICK = """
            {"notificationType":"CLICKED","recipient":"41793026727","url":"https://www.google.com",
             "sendDateTime":1704106800000,"messageId":"a28dd97c-1ffb-4fcf-99f1-0b557ed381da",
             "bulkId":"17575032561857950495083","callbackData":"Callback data",
             "recipientInfo":{"deviceType":"Phone","os":"iOS 12","deviceName":"Apple"},
             "geoLocationInfo":{"countryName":"United States","city":"Los Angeles"},
             "applicationId":"traffic-application","entityId":"traffic-entity"}""";

    /** Clicks in the defensive {@code results} shape, one with an ISO time. */
    static final String CLICKS = """
            {"results":[{"notificationType":"CLICKED","recipient":"41793026727","url":"https://a.example",
              "messageId":"m1","sendDateTime":"2024-01-01T10:00:00.000+0000"},
             {"notificationType":"CLICKED","url":"https://a.example","messageId":"m2","sendDateTime":"1704106800000"}]}""";

    /** How a try authenticates: mostly correctly. */
    enum Auth { BASIC, TOKEN, MISSING, WRONG_PASSWORD, GARBAGE, DUPLICATED_VALID_FIRST, DUPLICATED_GARBAGE_FIRST,
        WRONG_SCHEME, TOKEN_OF_OTHER_KIND, BOTH_WRONG_TOKEN }

    @AfterContainer
    static void shutdown() {
        CTX.shutdown();
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void inboundSmsWebhookOnlyReturnsABatchOrRejects(@ForAll("sms") FuzzedRequest request) {
        request.assertOnlyAllowedOutcomes(RECEIVER, SECRETS);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void deliveryReportWebhookOnlyReturnsABatchOrRejects(@ForAll("dlr") FuzzedRequest request) {
        request.assertOnlyAllowedOutcomes(RECEIVER, SECRETS);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.MIXIN)
    void clickReportWebhookOnlyReturnsABatchOrRejects(@ForAll("click") FuzzedRequest request) {
        request.assertOnlyAllowedOutcomes(RECEIVER, SECRETS);
    }

    @Provide
    Arbitrary<FuzzedRequest> sms() {
        return requests("sms", Arbitraries.of(SMS, DLR));
    }

    @Provide
    Arbitrary<FuzzedRequest> dlr() {
        return requests("dlr", Arbitraries.of(DLR, DLR, SMS));
    }

    @Provide
    Arbitrary<FuzzedRequest> click() {
        return requests("click", Arbitraries.of(CLICK, CLICK, CLICKS));
    }

    private static Arbitrary<FuzzedRequest> requests(String kind, Arbitrary<String> valid) {
        Arbitrary<String> kinds = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(kind)),
                Tuple.of(1, Arbitraries.of("sms", "dlr", "click", "SMS", "", " sms", "sms/", "whatsapp")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Auth> auth = Arbitraries.frequency(
                Tuple.of(14, Auth.BASIC), Tuple.of(6, Auth.TOKEN), Tuple.of(1, Auth.MISSING),
                Tuple.of(1, Auth.WRONG_PASSWORD), Tuple.of(1, Auth.GARBAGE), Tuple.of(1, Auth.DUPLICATED_VALID_FIRST),
                Tuple.of(1, Auth.DUPLICATED_GARBAGE_FIRST), Tuple.of(1, Auth.WRONG_SCHEME),
                Tuple.of(1, Auth.TOKEN_OF_OTHER_KIND), Tuple.of(1, Auth.BOTH_WRONG_TOKEN));
        Arbitrary<Map<String, String>> extraHeaders = Arbitraries.maps(
                Arbitraries.of("Content-Type", "content-type", "X-Forwarded-For", "User-Agent", "authorization2",
                        "Content-Length", "X-Request-Id"),
                Arbitraries.strings().ofMaxLength(30)).ofMaxSize(3);
        Arbitrary<Map<String, String>> extraQuery = Arbitraries.maps(
                Arbitraries.of("token", "kind", "id", "x", ""), Arbitraries.strings().ofMaxLength(50)).ofMaxSize(2);
        return Combinators.combine(kinds, valid, JsonFuzz.modes(), Arbitraries.randoms(), auth, extraHeaders,
                        extraQuery)
                .as((k, example, mode, random, a, headers, query) ->
                        build(k, JsonFuzz.body(mode, example, random), a, headers, query, random));
    }

    private static FuzzedRequest build(String kind, byte[] body, Auth auth, Map<String, String> extraHeaders,
                                       Map<String, String> extraQuery, Random r) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, List<String>> query = new LinkedHashMap<>();
        extraHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
        // a random token usually stays out: one is added below where the auth mode wants it
        extraQuery.forEach((k, v) -> {
            if (!k.equals("token") || auth == Auth.MISSING) query.put(k, List.of(v));
        });
        String authHeader = r.nextInt(4) == 0 ? "Authorization" : r.nextBoolean() ? "authorization" : "AUTHORIZATION";
        String tokenKind = kind == null || !WebhookAuth.TOKEN_KINDS.contains(kind) ? "dlr" : kind;
        String garbage = JsonFuzz.randomString(r, 40);
        switch (auth) {
            case BASIC -> headers.put(authHeader, List.of(basic(USER, PASSWORD)));
            case TOKEN -> { // the report kinds' token; kinds without one (sms) get Basic auth instead
                if (kind != null && WebhookAuth.TOKEN_KINDS.contains(kind)) {
                    query.put("token", List.of(WebhookAuth.token(PASSWORD, "sms1", kind)));
                } else {
                    headers.put(authHeader, List.of(basic(USER, PASSWORD)));
                }
            }
            case MISSING -> { }
            case WRONG_PASSWORD -> headers.put(authHeader, List.of(basic(USER, PASSWORD + "x")));
            case GARBAGE -> headers.put(authHeader, List.of(r.nextBoolean() ? garbage : "Basic " + garbage));
            case DUPLICATED_VALID_FIRST -> headers.put(authHeader, List.of(basic(USER, PASSWORD), garbage));
            case DUPLICATED_GARBAGE_FIRST -> headers.put(authHeader, List.of(garbage, basic(USER, PASSWORD)));
            case WRONG_SCHEME -> headers.put(authHeader, List.of("Bearer " + PASSWORD));
            case TOKEN_OF_OTHER_KIND -> query.put("token",
                    List.of(WebhookAuth.token(PASSWORD, "sms1", tokenKind.equals("dlr") ? "click" : "dlr")));
            case BOTH_WRONG_TOKEN -> {
                headers.put(authHeader, List.of(basic("someone", PASSWORD)));
                query.put("token", new ArrayList<>(List.of(garbage, WebhookAuth.token(PASSWORD, "sms1", tokenKind))));
            }
        }
        return new FuzzedRequest(kind, headers, query, body);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
