package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.RawHttp;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API's authentication must not depend on how the request-target is spelled. Every admin endpoint
 * (sessions, connections, chatbots, knowledge, the console's sandboxes) is called WITHOUT credentials under many
 * spellings of its path:
 * matrix parameters on each segment ({@code /api;x/sessions}), percent-encoded letters and slashes
 * ({@code /%61pi/sessions}, {@code /api%2Fsessions}), case changes, dot segments, doubled and trailing slashes,
 * and combinations. The requests go out through {@link RawHttp}, byte for byte as written. None may answer 2xx,
 * none may show a stack trace or a Java class name, and afterwards (checked with the admin credentials) nothing
 * has changed: {@code sms} still RUNNING, no SMS sent, no chatbot or knowledge article created, the console
 * session neither answered nor resolved. The provider-facing routes ({@code /channel/...}, {@code /sandbox/...})
 * get the same spellings without the provider's credentials, and a media link ({@code /media/...}) with a made-up
 * signature. Last, every admin operation the OpenAPI document
 * lists must answer 401 without credentials, and the matrix must cover every one of them.
 *
 * <p>Credentials are never sent WRONG (only absent): wrong ones from 127.0.0.1 would trip the brute-force throttle
 * for the whole shared server.
 */
@ExtendWith(SharedParleyExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPathSpellingIT {

    /** Who the bypass attempts would text (POST /messages); digits as Infobip sees them. */
    static final String RECIPIENT = "41790007301";
    /** The customer whose session is handed off to the console (connection "night"). */
    static final String CONSOLE_CUSTOMER = "447911173302";
    /** The sender of the unauthenticated webhook calls (connection "sms"). */
    static final String WEBHOOK_SENDER = "41790007303";
    static final String CHATBOT = "pathspelling";
    static final String ARTICLE_SOURCE = "pathspelling";
    static final String ARTICLE_ID = "probe-1";
    static final String ARTICLE_WORD = "zxqpathspellingprobe";
    /** Who would text the SMS sandbox through the console's way in ({@code /api/sandbox/...}). */
    static final String SANDBOX_CUSTOMER = "41790007304";
    /** The tag a bypass of the console's PUT would add to the Zendesk sandbox's probe ticket. */
    static final String PROBE_TAG = "pathspelling_probe";
    /** A media id (any: an upload that got through would answer 201, a lookup 200 or 404 instead of 401). */
    static final String MEDIA_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    /** A stack trace line, or a Java package or exception name, in a response body. */
    static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\bat [a-z]+\\.[\\w.$]+\\("),
            Pattern.compile("Exception"),
            Pattern.compile("\\bjava\\.[a-z]"),
            Pattern.compile("\\bjakarta\\.[a-z]"),
            Pattern.compile("\\bjavax\\.[a-z]"),
            Pattern.compile("\\bdev\\.parley\\."),
            Pattern.compile("\\borg\\.(glassfish|eclipse|apache|jboss)\\."),
            Pattern.compile("\\bfish\\.payara\\."));

    /** One admin operation: method, path template ({@code {x}} = a parameter), the concrete path, query and body. */
    record Endpoint(String method, String template, String path, String query, String body, String contentType) {
        List<String> segments() {
            return List.of(path.substring(1).split("/"));
        }
    }

    /** One spelling of a path: a name for the report and the raw request-target it makes from the segments. */
    record Spelling(String name, Function<List<String>, String> spell) {
    }

    /** One request of the matrix as it went: for the summary. */
    record Outcome(String group, String spelling, RawHttp.Response response) {
    }

    private Http admin;
    private RawHttp raw;
    private long consoleSession;
    private long probeTicket;
    private int consoleTextsBefore;
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger webhookIds = new AtomicInteger();

    @BeforeAll
    void setUp(Http admin) {
        this.admin = admin;
        this.raw = RawHttp.to("localhost", SharedParley.server().port());
        InfobipSmsIT.awaitRunning(admin, "sms");
        InfobipSmsIT.awaitRunning(admin, "night");

        // A session handed off to the console (outside office hours): reply and resolve would change it.
        Conversations night = new Conversations("night");
        night.customerWrites(CONSOLE_CUSTOMER, "can I talk to a person");
        night.awaitTexts(CONSOLE_CUSTOMER, 1);
        consoleSession = night.latestSession(CONSOLE_CUSTOMER).orElseThrow();
        Await.until(SharedParley.PATIENCE, () -> "HANDED_OFF".equals(sessionState(consoleSession)),
                "session " + consoleSession + " handed off to the console");
        consoleTextsBefore = night.textsTo(CONSOLE_CUSTOMER).size();

        // A ticket in the Zendesk sandbox for the console's PUT (its tags), opened through the console's way in.
        InfobipSmsIT.awaitRunning(admin, "sandbox");
        InfobipSmsIT.awaitRunning(admin, "zsandbox");
        probeTicket = admin.postJson("/api/sandbox/zsandbox/agent/tickets",
                "{\"subject\":\"path spelling probe\",\"text\":\"probe\",\"email\":\"probe@pathspelling.test\"}")
                .expect(201).json().getJsonObject("ticket").getJsonNumber("id").longValue();

        // The things the attempts must not create do not exist yet.
        assertEquals(404, admin.get("/api/chatbots/" + CHATBOT).status(), "chatbot " + CHATBOT + " before the matrix");
        assertTrue(articleAbsent(), "article " + ARTICLE_SOURCE + "/" + ARTICLE_ID + " before the matrix");
        assertEquals(0, sendsTo(RECIPIENT), "SMS to " + RECIPIENT + " before the matrix");
    }

    @AfterAll
    void restore() {
        // Only needed while the bypass exists; keeps the shared server usable for the classes that run after this one.
        if (admin == null) {
            return;
        }
        if (!"RUNNING".equals(admin.get("/api/connections/sms").json().getString("state"))) {
            admin.post("/api/connections/sms/start");
            InfobipSmsIT.awaitRunning(admin, "sms");
        }
        admin.delete("/api/knowledge/articles/" + ARTICLE_SOURCE + "/" + ARTICLE_ID);
        if (admin.get("/api/chatbots/" + CHATBOT).status() == 200) {
            admin.delete("/api/chatbots/" + CHATBOT + "/schedule");
            admin.postJson("/api/chatbots/" + CHATBOT + "/deactivate", "{\"immediate\":true}");
        }
    }

    // ---- the endpoints -------------------------------------------------------------------------------

    /**
     * Every admin operation, in an order where a bypass leaves a visible trace: stop last, the article's DELETE
     * before its PUT. Bodies are valid, so a bypass is not hidden behind a 400, 409, 415 or 500.
     */
    List<Endpoint> adminEndpoints() {
        String s = "/api/sessions/" + consoleSession;
        String c = "/api/connections/sms";
        String b = "/api/chatbots/" + CHATBOT;
        String a = "/api/knowledge/articles/" + ARTICLE_SOURCE + "/" + ARTICLE_ID;
        String json = "application/json";
        String definition = """
                name: Path spelling probe
                channel: nowhere
                welcome: welcome
                dialogs:
                  - id: welcome
                    messages:
                      - hello
                """;
        return List.of(
                new Endpoint("GET", "/api/sessions", "/api/sessions", null, null, null),
                new Endpoint("GET", "/api/sessions/{id}", s, null, null, null),
                new Endpoint("POST", "/api/sessions/{id}/reply", s + "/reply", null,
                        "{\"text\":\"path spelling probe reply\"}", json),
                new Endpoint("POST", "/api/sessions/{id}/resolve", s + "/resolve", null, null, null),

                new Endpoint("GET", "/api/connections", "/api/connections", null, null, null),
                new Endpoint("GET", "/api/connections/{id}", c, null, null, null),
                new Endpoint("POST", "/api/connections/{id}/start", c + "/start", null, null, null),
                new Endpoint("POST", "/api/connections/{id}/verify", c + "/verify", null, null, null),
                new Endpoint("GET", "/api/connections/{id}/setup", c + "/setup", null, null, null),
                new Endpoint("POST", "/api/connections/{id}/setup", c + "/setup", null, null, null),
                new Endpoint("POST", "/api/connections/{id}/sync", c + "/sync", null, null, null),
                new Endpoint("GET", "/api/connections/{id}/logs", c + "/logs", null, null, null),
                new Endpoint("POST", "/api/connections/{id}/messages", c + "/messages", null,
                        "{\"to\":\"+" + RECIPIENT + "\",\"text\":\"path spelling probe\"}", json),

                new Endpoint("GET", "/api/chatbots", "/api/chatbots", null, null, null),
                new Endpoint("PUT", "/api/chatbots/{id}", b, null, definition, "application/yaml"),
                new Endpoint("GET", "/api/chatbots/{id}", b, null, null, null),
                new Endpoint("POST", "/api/chatbots/{id}/validate", b + "/validate", null, null, null),
                new Endpoint("POST", "/api/chatbots/{id}/activate", b + "/activate", null, "{\"immediate\":true}", json),
                new Endpoint("POST", "/api/chatbots/{id}/redeploy", b + "/redeploy", null, "{\"immediate\":true}", json),
                new Endpoint("POST", "/api/chatbots/{id}/deactivate", b + "/deactivate", null, "{\"immediate\":true}", json),
                new Endpoint("POST", "/api/chatbots/{id}/schedule", b + "/schedule", null,
                        "{\"activateAt\":\"2030-01-01T09:00\",\"zone\":\"UTC\"}", json),
                new Endpoint("DELETE", "/api/chatbots/{id}/schedule", b + "/schedule", null, null, null),
                new Endpoint("GET", "/api/chatbots/{id}/share", b + "/share", null, null, null),
                new Endpoint("GET", "/api/chatbots/{id}/qr.png", b + "/qr.png", null, null, null),

                new Endpoint("GET", "/api/knowledge/articles", "/api/knowledge/articles", null, null, null),
                new Endpoint("DELETE", "/api/knowledge/articles/{source}/{articleId}", a, null, null, null),
                new Endpoint("PUT", "/api/knowledge/articles/{source}/{articleId}", a, null,
                        "{\"title\":\"" + ARTICLE_WORD + "\",\"body\":\"" + ARTICLE_WORD + " body\",\"locale\":\"en\"}", json),
                new Endpoint("GET", "/api/knowledge/search", "/api/knowledge/search", "q=" + ARTICLE_WORD, null, null),

                new Endpoint("POST", "/api/media", "/api/media", "name=pathspelling.png", "path spelling probe", "image/png"),
                new Endpoint("GET", "/api/media/{id}", "/api/media/" + MEDIA_ID, null, null, null),

                new Endpoint("GET", "/api/doctor", "/api/doctor", "connection=sms", null, null),

                // The sandboxes for the console: a bypass would read, text as a customer, tag a ticket, forget sends.
                new Endpoint("GET", "/api/sandbox/{connectionId}/{path}", "/api/sandbox/sandbox/messages", null, null, null),
                new Endpoint("POST", "/api/sandbox/{connectionId}/{path}", "/api/sandbox/sandbox/customer/" + SANDBOX_CUSTOMER
                        + "/text", null, "{\"text\":\"path spelling probe\"}", json),
                new Endpoint("PUT", "/api/sandbox/{connectionId}/{path}", "/api/sandbox/zsandbox/api/v2/tickets/" + probeTicket
                        + "/tags", null, "{\"tags\":[\"" + PROBE_TAG + "\"]}", json),
                new Endpoint("DELETE", "/api/sandbox/{connectionId}/{path}", "/api/sandbox/sandbox/messages", null, null, null),

                // Last: stopping "sms" first would turn a bypass of /messages, /verify or /setup into a 409.
                new Endpoint("POST", "/api/connections/{id}/stop", c + "/stop", null, null, null));
    }

    /** Provider-facing routes, called without the provider's credentials. */
    List<Endpoint> publicEndpoints() {
        return List.of(
                new Endpoint("POST", "/channel/{connectionId}/webhook/{kind}", "/channel/sms/webhook/sms", null, null,
                        "application/json"),
                new Endpoint("GET", "/sandbox/{connectionId}/{path}", "/sandbox/sandbox/messages", null, null, null),
                new Endpoint("DELETE", "/sandbox/{connectionId}/{path}", "/sandbox/sandbox/messages", null, null, null),
                new Endpoint("POST", "/sandbox/{connectionId}/{path}", "/sandbox/sandbox/sms/3/messages", null,
                        "{\"messages\":[{\"sender\":\"Parley\",\"destinations\":[{\"to\":\"" + RECIPIENT
                                + "\"}],\"content\":{\"text\":\"path spelling probe\"}}]}", "application/json"),
                // A signed link's route, with a made-up signature: its own check answers 403 (never 2xx).
                new Endpoint("GET", "/media/{id}", "/media/" + MEDIA_ID, "expires=4102444800&sig=" + "A".repeat(43), null, null));
    }

    // ---- the spellings -------------------------------------------------------------------------------

    static String join(List<String> segments) {
        return "/" + String.join("/", segments);
    }

    static List<String> with(List<String> segments, int i, String segment) {
        List<String> copy = new ArrayList<>(segments);
        copy.set(i, segment);
        return copy;
    }

    static List<String> map(List<String> segments, Function<String, String> f) {
        return segments.stream().map(f).toList();
    }

    static String encodeFirst(String segment) {
        return String.format("%%%02x", (int) segment.charAt(0)) + segment.substring(1);
    }

    static String encodeLast(String segment) {
        int n = segment.length() - 1;
        return segment.substring(0, n) + String.format("%%%02X", (int) segment.charAt(n));
    }

    static String encodeAll(String segment) {
        return segment.chars().mapToObj(ch -> String.format("%%%02x", ch)).collect(Collectors.joining());
    }

    static String capitalize(String segment) {
        return segment.isEmpty() ? segment : Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
    }

    /** Spellings of a path given as segments; each is a raw request-target (no query). Duplicates are dropped later. */
    static List<Spelling> spellings(int segmentCount, int port) {
        List<Spelling> all = new ArrayList<>();
        all.add(new Spelling("canonical", AdminPathSpellingIT::join));
        // Matrix parameters.
        for (int i = 0; i < segmentCount; i++) {
            int at = i;
            all.add(new Spelling("matrix on segment " + (i + 1), s -> join(with(s, at, s.get(at) + ";x"))));
        }
        all.add(new Spelling("empty matrix on segment 1", s -> join(with(s, 0, s.get(0) + ";"))));
        all.add(new Spelling("jsessionid on segment 1", s -> join(with(s, 0, s.get(0) + ";jsessionid=1"))));
        all.add(new Spelling("matrix on every segment", s -> {
            String[] params = {";jsessionid=1", ";a=b", ";c"};
            List<String> out = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                out.add(s.get(i) + params[Math.min(i, 2)]);
            }
            return join(out);
        }));
        all.add(new Spelling("two matrix params on segment 1", s -> join(with(s, 0, s.get(0) + ";a=1;b=2"))));
        // Percent-encoding of letters, the slash and the semicolon.
        all.add(new Spelling("first letter of segment 1 encoded", s -> join(with(s, 0, encodeFirst(s.get(0))))));
        all.add(new Spelling("last letter of segment 1 encoded", s -> join(with(s, 0, encodeLast(s.get(0))))));
        all.add(new Spelling("segment 1 fully encoded", s -> join(with(s, 0, encodeAll(s.get(0))))));
        all.add(new Spelling("first letter of segment 2 encoded", s -> join(with(s, 1, encodeFirst(s.get(1))))));
        all.add(new Spelling("slash after segment 1 as %2F", s -> "/" + s.get(0) + "%2F" + String.join("/", s.subList(1, s.size()))));
        all.add(new Spelling("slash after segment 1 as %2f", s -> "/" + s.get(0) + "%2f" + String.join("/", s.subList(1, s.size()))));
        if (segmentCount > 2) {
            all.add(new Spelling("last slash as %2F", s -> join(s.subList(0, s.size() - 1)) + "%2F" + s.get(s.size() - 1)));
        }
        all.add(new Spelling("leading slash as %2F", s -> "/%2F" + String.join("/", s)));
        all.add(new Spelling("semicolon as %3B on segment 1", s -> join(with(s, 0, s.get(0) + "%3Bx"))));
        // Case.
        all.add(new Spelling("segment 1 upper case", s -> join(with(s, 0, s.get(0).toUpperCase(Locale.ROOT)))));
        all.add(new Spelling("every segment capitalized", s -> join(map(s, AdminPathSpellingIT::capitalize))));
        all.add(new Spelling("all upper case", s -> join(map(s, x -> x.toUpperCase(Locale.ROOT)))));
        // Dot segments.
        all.add(new Spelling("/./ after segment 1", s -> "/" + s.get(0) + "/./" + String.join("/", s.subList(1, s.size()))));
        all.add(new Spelling("/x/../ in front", s -> "/x/.." + join(s)));
        all.add(new Spelling("/./ in front", s -> "/." + join(s)));
        all.add(new Spelling("trailing /.", s -> join(s) + "/."));
        all.add(new Spelling("trailing /x/..", s -> join(s) + "/x/.."));
        all.add(new Spelling("segment 1 /../ segment 1", s -> "/" + s.get(0) + "/../" + String.join("/", s)));
        all.add(new Spelling("encoded dot segment %2e", s -> "/" + s.get(0) + "/%2e/" + String.join("/", s.subList(1, s.size()))));
        all.add(new Spelling("encoded /x/%2e%2e/ in front", s -> "/x/%2e%2e" + join(s)));
        // Slashes.
        all.add(new Spelling("leading //", s -> "/" + join(s)));
        all.add(new Spelling("leading ///", s -> "//" + join(s)));
        all.add(new Spelling("// after segment 1", s -> "/" + s.get(0) + "//" + String.join("/", s.subList(1, s.size()))));
        all.add(new Spelling("trailing /", s -> join(s) + "/"));
        all.add(new Spelling("trailing //", s -> join(s) + "//"));
        // Combinations.
        all.add(new Spelling("leading // + matrix", s -> "/" + join(with(s, 0, s.get(0) + ";x"))));
        all.add(new Spelling("encoded letter + matrix", s -> join(with(s, 0, encodeFirst(s.get(0)) + ";x"))));
        all.add(new Spelling("/./ in front + matrix", s -> "/." + join(with(s, 0, s.get(0) + ";x"))));
        all.add(new Spelling("/x/../ in front + matrix", s -> "/x/.." + join(with(s, 0, s.get(0) + ";x"))));
        all.add(new Spelling("upper case + matrix", s -> join(with(s, 0, s.get(0).toUpperCase(Locale.ROOT) + ";x"))));
        all.add(new Spelling("matrix + // after segment 1", s -> "/" + s.get(0) + ";x//" + String.join("/", s.subList(1, s.size()))));
        all.add(new Spelling("matrix + trailing /", s -> join(with(s, 0, s.get(0) + ";x")) + "/"));
        all.add(new Spelling("matrix on last + trailing /.", s -> join(with(s, s.size() - 1, s.get(s.size() - 1) + ";x")) + "/."));
        all.add(new Spelling("encoded last letter + jsessionid", s -> join(with(s, 0, encodeLast(s.get(0)) + ";jsessionid=1"))));
        all.add(new Spelling("matrix on segment 1 + encoded letter of segment 2", s -> join(with(with(s, 0, s.get(0) + ";x"), 1,
                encodeFirst(s.get(1))))));
        // Absolute-form request-target (RFC 9112 3.2.2).
        all.add(new Spelling("absolute-form", s -> "http://localhost:" + port + join(s)));
        all.add(new Spelling("absolute-form + matrix", s -> "http://localhost:" + port + join(with(s, 0, s.get(0) + ";x"))));
        return all;
    }

    /** The spellings every HEAD/OPTIONS probe uses: JAX-RS answers these methods itself for every resource. */
    static final Set<String> FEW = Set.of("canonical", "matrix on segment 1", "matrix on every segment", "leading // + matrix");

    // ---- the matrix ----------------------------------------------------------------------------------

    @TestFactory
    @Order(2)
    Stream<DynamicNode> noAdminEndpointAnswers2xxWithoutCredentialsUnderAnySpelling() {
        int port = SharedParley.server().port();
        List<DynamicNode> groups = new ArrayList<>();
        for (Endpoint e : adminEndpoints()) {
            groups.add(DynamicContainer.dynamicContainer(e.method() + " " + e.template(),
                    cases(e, spellings(e.segments().size(), port), Set.of()).stream()
                            .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> checkAdmin(e, c.getKey(), c.getValue())))));
        }
        // HEAD and OPTIONS on every distinct admin path (JAX-RS answers them for any resource).
        Map<String, Endpoint> paths = new LinkedHashMap<>();
        adminEndpoints().forEach(e -> paths.putIfAbsent(e.path(), e));
        for (String method : List.of("HEAD", "OPTIONS")) {
            for (Endpoint e : paths.values()) {
                Endpoint probe = new Endpoint(method, e.template(), e.path(), e.query(), null, null);
                groups.add(DynamicContainer.dynamicContainer(method + " " + e.template(),
                        cases(probe, spellings(e.segments().size(), port), FEW).stream()
                                .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> checkAdmin(probe, c.getKey(), c.getValue())))));
            }
        }
        return groups.stream();
    }

    /** (display name, raw target) per distinct target; {@code only} non-empty = those spellings only. */
    static List<Map.Entry<String, String>> cases(Endpoint e, List<Spelling> spellings, Set<String> only) {
        Set<String> seen = new LinkedHashSet<>();
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Spelling s : spellings) {
            if (!only.isEmpty() && !only.contains(s.name())) {
                continue;
            }
            String target = s.spell().apply(e.segments()) + (e.query() == null ? "" : "?" + e.query());
            if (seen.add(target)) {
                out.add(Map.entry(e.method() + " " + target + "  [" + s.name() + "]", target));
            }
        }
        return out;
    }

    void checkAdmin(Endpoint e, String caseName, String target) {
        RawHttp.Response r = raw.send(e.method(), target, e.body(), e.contentType(), Map.of());
        outcomes.add(new Outcome("admin", caseName, r));
        List<String> problems = new ArrayList<>();
        if (r.is2xx() && !containerNormalisationFault(r)) {
            problems.add("an admin endpoint answered " + r.status() + " WITHOUT credentials");
        }
        problems.addAll(leaks(r));
        boolean canonical = caseName.endsWith("[canonical]");
        // HEAD on a POST-only path is refused before any resource method matches: 405 is as good as 401 there.
        boolean refused = r.status() == 401 || (e.method().equals("HEAD") && r.status() == 405);
        if (canonical && !refused) {
            problems.add("the canonical spelling must answer 401, not " + r.status());
        }
        if (r.status() == 401 && !e.method().equals("OPTIONS")
                && (r.header("WWW-Authenticate") == null || !r.header("WWW-Authenticate").startsWith("Basic"))) {
            problems.add("401 without a WWW-Authenticate: Basic challenge");
        }
        if (!problems.isEmpty()) {
            fail(e.method() + " " + target + " -> " + r.statusLine() + ": " + String.join("; ", problems) + "\n  " + r);
        }
    }

    /** A request-target whose path ends in a dot segment: {@code /.}, {@code /..}, {@code /x/..}, {@code ;x/.}. */
    static final Pattern DOT_SEGMENT_END = Pattern.compile("/\\.{1,2}/*(\\?.*)?$");

    /**
     * Payara Micro 6's Grizzly fails on some request-targets that end in a dot segment: HttpRequestURIDecoder
     * .normalizeBytes throws ArrayIndexOutOfBoundsException (server log: AS-WEB-CORE-00037, "An exception or error
     * occurred in the container during the request processing") and the container
     * answers an EMPTY 200 without a Content-Type; intermittently (about half the time), for any path, admin or
     * not, known or not. Such a request never reaches Parley, so it is no admin bypass: it is listed in the summary,
     * counted against the server log in {@link #theAttemptsChangedNothing}, and not failed here. A 200 from Parley
     * itself always has a body and a Content-Type; a HEAD answer is never excused.
     */
    static boolean containerNormalisationFault(RawHttp.Response r) {
        return r.status() == 200 && r.body().isEmpty() && r.header("Content-Type") == null
                && !r.method().equals("HEAD") && DOT_SEGMENT_END.matcher(r.target()).find();
    }

    static List<String> leaks(RawHttp.Response r) {
        List<String> found = new ArrayList<>();
        for (Pattern p : LEAKS) {
            Matcher m = p.matcher(r.body());
            if (m.find()) {
                int from = Math.max(0, m.start() - 60);
                found.add("the body leaks '" + p.pattern() + "': ..." + r.body().substring(from,
                        Math.min(r.body().length(), m.end() + 60)).replaceAll("\\s+", " ") + "...");
            }
        }
        return found;
    }

    /** First, while "sms" surely runs: its receiver is what checks Infobip's credentials. */
    @TestFactory
    @Order(1)
    Stream<DynamicNode> providerRoutesRefuseEverySpellingWithoutTheProvidersCredentials() {
        int port = SharedParley.server().port();
        List<DynamicNode> groups = new ArrayList<>();
        for (Endpoint e : publicEndpoints()) {
            groups.add(DynamicContainer.dynamicContainer(e.method() + " " + e.path(),
                    cases(e, spellings(e.segments().size(), port), Set.of()).stream()
                            .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> checkPublic(e, c.getKey(), c.getValue())))));
        }
        return groups.stream();
    }

    void checkPublic(Endpoint e, String caseName, String target) {
        String body = e.body();
        if (e.path().startsWith("/channel/")) {
            int n = webhookIds.incrementAndGet();
            body = InfobipSmsIT.inboundJson("pathspelling-" + n + "-" + System.nanoTime(), WEBHOOK_SENDER, "hours?");
        }
        RawHttp.Response r = raw.send(e.method(), target, body, e.contentType(), Map.of());
        outcomes.add(new Outcome("public", caseName, r));
        List<String> problems = new ArrayList<>();
        if (r.is2xx() && !containerNormalisationFault(r)) {
            problems.add("a provider route answered " + r.status() + " without the provider's credentials");
        }
        problems.addAll(leaks(r));
        int refusal = e.path().startsWith("/media/") ? 403 : 401;
        if (caseName.endsWith("[canonical]") && r.status() != refusal) {
            problems.add("the canonical spelling must answer " + refusal + ", not " + r.status());
        }
        if (!problems.isEmpty()) {
            fail(e.method() + " " + target + " -> " + r.statusLine() + ": " + String.join("; ", problems) + "\n  " + r);
        }
    }

    // ---- afterwards: nothing changed -----------------------------------------------------------------

    @Test
    @Order(3)
    void theAttemptsChangedNothing() {
        printSummary();
        // Queued sends go out within a second or two (outbox backoff 200 ms, sweeper 500 ms): give them time.
        InfobipSmsIT.quietly(3000);
        List<String> changed = new ArrayList<>();
        String sms = admin.get("/api/connections/sms").expect(200).json().getString("state");
        if (!sms.equals("RUNNING")) {
            changed.add("connection sms is " + sms + ", not RUNNING (stopped without credentials)");
        }
        int sends = sendsTo(RECIPIENT);
        if (sends != 0) {
            changed.add(sends + " SMS to " + RECIPIENT + " reached Infobip (POST /sms/3/messages) without credentials");
        }
        Http.Response bot = admin.get("/api/chatbots/" + CHATBOT);
        if (bot.status() != 404) {
            changed.add("chatbot " + CHATBOT + " exists (created without credentials): " + bot);
        }
        if (!articleAbsent()) {
            changed.add("knowledge article " + ARTICLE_SOURCE + "/" + ARTICLE_ID + " exists (created without credentials)");
        }
        String state = sessionState(consoleSession);
        if (!"HANDED_OFF".equals(state)) {
            changed.add("console session " + consoleSession + " is " + state + ", not HANDED_OFF (resolved without credentials)");
        }
        int texts = new Conversations("night").textsTo(CONSOLE_CUSTOMER).size();
        if (texts != consoleTextsBefore) {
            changed.add((texts - consoleTextsBefore) + " console replies reached +" + CONSOLE_CUSTOMER + " without credentials");
        }
        int webhookSessions = admin.get("/api/sessions?connection=sms&contact=%2B" + WEBHOOK_SENDER).expect(200).jsonArray().size();
        if (webhookSessions != 0) {
            changed.add(webhookSessions + " session(s) for +" + WEBHOOK_SENDER + " created by webhooks without Infobip's credentials");
        }
        int sandboxSessions = admin.get("/api/sessions?connection=sandbox&contact=%2B" + SANDBOX_CUSTOMER).expect(200)
                .jsonArray().size();
        if (sandboxSessions != 0) {
            changed.add(sandboxSessions + " session(s) for +" + SANDBOX_CUSTOMER + " texted through /api/sandbox without credentials");
        }
        String ticket = admin.get("/api/sandbox/zsandbox/agent/tickets/" + probeTicket).expect(200).body();
        if (ticket.contains(PROBE_TAG)) {
            changed.add("the Zendesk sandbox's ticket " + probeTicket + " was tagged through /api/sandbox without credentials");
        }
        long faults;
        synchronized (outcomes) {
            faults = outcomes.stream().filter(o -> containerNormalisationFault(o.response())).count();
        }
        // Counted by the message id: after a few thousand throws HotSpot drops the stack trace (OmitStackTraceInFastThrow).
        long logged = Pattern.compile("AS-WEB-CORE-00037").matcher(SharedParley.server().log()).results().count();
        if (logged < faults) {
            changed.add(faults + " empty 200s were taken for the container's URI normalisation fault, but the server log "
                    + "shows only " + logged + " container errors (AS-WEB-CORE-00037): something else answered them");
        }
        if (!changed.isEmpty()) {
            fail("side effects of unauthenticated calls:\n  " + String.join("\n  ", changed) + "\n" + summary());
        }
    }

    void printSummary() {
        System.out.println(summary());
    }

    String summary() {
        List<Outcome> copy;
        synchronized (outcomes) {
            copy = new ArrayList<>(outcomes);
        }
        StringBuilder sb = new StringBuilder("AdminPathSpellingIT: " + copy.size() + " requests; by status: "
                + copy.stream().collect(Collectors.groupingBy(o -> o.response().status(), java.util.TreeMap::new,
                Collectors.counting())) + "\n");
        List<Outcome> ok = copy.stream().filter(o -> o.response().is2xx() && !containerNormalisationFault(o.response())).toList();
        Map<String, Long> bySpelling = ok.stream().collect(Collectors.groupingBy(
                o -> o.spelling().replaceAll(".*\\[(.*)]$", "$1"), java.util.TreeMap::new, Collectors.counting()));
        sb.append("  2xx without credentials: ").append(ok.size()).append(", by spelling: ").append(bySpelling).append('\n');
        ok.forEach(o -> sb.append("    ").append(o.group()).append(": ").append(o.response().method()).append(' ')
                .append(o.response().target()).append(" -> ").append(o.response().status()).append('\n'));
        List<Outcome> faults = copy.stream().filter(o -> containerNormalisationFault(o.response())).toList();
        sb.append("  empty 200s of the container (Grizzly URI normalisation fault, never reached Parley): ")
                .append(faults.size()).append('\n');
        faults.forEach(o -> sb.append("    ").append(o.group()).append(": ").append(o.response().method()).append(' ')
                .append(o.response().target()).append('\n'));
        List<Outcome> errors = copy.stream().filter(o -> o.response().status() >= 500).toList();
        sb.append("  5xx: ").append(errors.size()).append('\n');
        errors.forEach(o -> sb.append("    ").append(o.response()).append('\n'));
        List<Outcome> leaky = copy.stream().filter(o -> !leaks(o.response()).isEmpty()).toList();
        sb.append("  bodies with a stack trace or class name: ").append(leaky.size()).append('\n');
        leaky.forEach(o -> sb.append("    ").append(o.response()).append('\n'));
        return sb.toString();
    }

    // ---- OpenAPI: every listed admin operation refuses anonymous calls --------------------------------

    @Test
    @Order(4)
    void everyAdminOperationInTheOpenApiDocumentAnswers401WithoutCredentials() {
        RawHttp.Response doc = raw.send("GET", "/openapi", null, null, Map.of("Accept", "application/json"));
        assertEquals(200, doc.status(), doc.toString());
        JsonObject paths;
        try (JsonReader reader = Json.createReader(new StringReader(doc.body()))) {
            paths = reader.readObject().getJsonObject("paths");
        }
        assertTrue(paths.containsKey("/api/chatbots/{id}") && paths.containsKey("/api/knowledge/articles"),
                "the OpenAPI document lists the chatbot and knowledge paths (mp.openapi.scan.packages): " + paths.keySet());

        Set<String> covered = adminEndpoints().stream().map(e -> e.method() + " " + normalise(e.template()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, JsonValue> p : paths.entrySet()) {
            String template = p.getKey();
            if (Stream.of("/channel/", "/sandbox/", "/media/", "/ping", "/health", "/metrics", "/openapi").anyMatch(template::startsWith)) {
                continue;
            }
            String sample = template.startsWith("/api/sessions") ? "1" : template.startsWith("/api/connections") ? "sms" : "acme";
            String path = template.replaceAll("\\{[^}]+}", sample);
            for (String op : p.getValue().asJsonObject().keySet()) {
                String method = op.toUpperCase(Locale.ROOT);
                if (!Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE").contains(method)) {
                    continue;
                }
                listed.add(method + " " + normalise(template));
                boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
                RawHttp.Response r = raw.send(method, path, withBody ? "{}" : null, withBody ? "application/json" : null, Map.of());
                outcomes.add(new Outcome("openapi", method + " " + template, r));
                if (r.status() != 401) {
                    failures.add(method + " " + path + " (" + template + ") -> " + r.status() + " " + r.body());
                } else if (r.header("WWW-Authenticate") == null || !r.header("WWW-Authenticate").startsWith("Basic")) {
                    failures.add(method + " " + path + " -> 401 without WWW-Authenticate: Basic");
                }
                leaks(r).forEach(l -> failures.add(method + " " + path + ": " + l));
            }
        }
        Set<String> uncovered = new TreeSet<>(listed);
        uncovered.removeAll(covered);
        if (!uncovered.isEmpty()) {
            failures.add("operations in the OpenAPI document the spelling matrix does not cover: " + uncovered);
        }
        assertTrue(failures.isEmpty(), "without credentials:\n  " + String.join("\n  ", failures));
        assertTrue(listed.size() >= 20, "the document lists the admin operations: " + listed);
    }

    static String normalise(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    String sessionState(long id) {
        return admin.get("/api/sessions/" + id).expect(200).json().getJsonObject("session").getString("state");
    }

    boolean articleAbsent() {
        boolean listed = admin.get("/api/knowledge/articles?source=" + ARTICLE_SOURCE).expect(200).jsonArray().stream()
                .anyMatch(v -> ARTICLE_ID.equals(v.asJsonObject().getString("articleId", "")));
        boolean found = admin.get("/api/knowledge/search?q=" + ARTICLE_WORD).expect(200).body().contains(ARTICLE_WORD);
        return !listed && !found;
    }

    static int sendsTo(String digits) {
        return SharedParley.wireMock().findAll(postRequestedFor(urlPathEqualTo("/sms/3/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", equalTo(digits)))).size();
    }
}
