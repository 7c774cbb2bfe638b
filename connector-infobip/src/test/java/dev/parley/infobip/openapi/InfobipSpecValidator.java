package dev.parley.infobip.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks every request a WireMock stand-in of Infobip receives against Infobip's published OpenAPI specs: the
 * trimmed copies under {@code /openapi/} of the test class path (see the README there). Requests below
 * {@code /sms/} are checked against the SMS spec, below {@code /account/} against Account Management, {@code /whatsapp/}
 * WhatsApp, {@code /ccaas/} Conversations, {@code /subscriptions/} Subscriptions Management; anything
 * else (Zendesk's, the bots', a test's own) is not Infobip's and is left alone.
 *
 * <p>Beyond the spec's schemas it checks the one security scheme Parley uses, {@code Authorization: App <key>}
 * (the validator does not check headers of a spec that also allows OAuth2), and it reads unknown body fields as
 * errors: Infobip's schemas list every field, and a misspelt one would be dropped there without a word.
 *
 * <p>Register an instance as a WireMock extension ({@code options().extensions(validator)}): it validates each
 * request before WireMock matches it, so a violation is recorded before the client has its answer. The stub still
 * answers as stubbed (a 400 would only turn into some other failure of the code under test); tests call
 * {@link #assertNoViolations()} after each test instead. Thread-safe.
 */
public final class InfobipSpecValidator implements ServeEventListener {

    public static final String NAME = "infobip-openapi-validation";
    /** Path prefix -> the trimmed spec that covers it. */
    private static final Map<String, String> SPECS = Map.of(
            "/sms/", "/openapi/infobip-sms.json",
            "/account/", "/openapi/infobip-account-management.json",
            "/whatsapp/", "/openapi/infobip-whatsapp.json",
            "/ccaas/", "/openapi/infobip-conversations.json",
            "/subscriptions/", "/openapi/infobip-subscriptions-api.json");
    private static final Pattern APP_KEY = Pattern.compile("App [^\\s]+");
    private static final int BODY_SHOWN = 600;

    /** Parsed once per JVM (a second each): prefix -> validator. */
    private static volatile Map<String, OpenApiInteractionValidator> validators;

    private final List<String> violations = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public void beforeMatch(ServeEvent event, Parameters parameters) {
        com.github.tomakehurst.wiremock.http.Request r = event.getRequest();
        try {
            check(r.getMethod().getName(), r.getUrl(), headers(r), r.getBodyAsString())
                    .ifPresent(violations::add);
        } catch (RuntimeException e) {
            violations.add(r.getMethod().getName() + " " + r.getUrl() + ": could not be validated: " + e);
        }
    }

    /** The validator of this WireMock server, when it was started with one. */
    public static Optional<InfobipSpecValidator> of(WireMockServer server) {
        Extension e = server.getOptions().getDeclaredExtensions().getInstances().get(NAME);
        return e instanceof InfobipSpecValidator v ? Optional.of(v) : Optional.empty();
    }

    /** True when {@code path} is Infobip's and a spec covers it. */
    public static boolean covers(String path) {
        return prefix(path) != null;
    }

    /**
     * Validates one request.
     *
     * @param url     path and raw query, as sent
     * @param headers names in any case
     * @return what is wrong with it, one text naming the request; empty when valid or not Infobip's
     */
    public static Optional<String> check(String method, String url, Map<String, List<String>> headers, String body) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String prefix = prefix(path);
        if (prefix == null) return Optional.empty();

        SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
        if (q >= 0) {
            for (Map.Entry<String, List<String>> p : query(url.substring(q + 1)).entrySet()) {
                b.withQueryParam(p.getKey(), p.getValue());
            }
        }
        headers.forEach(b::withHeader);
        if (body != null && !body.isEmpty()) b.withBody(body);
        Request request = b.build();

        List<String> problems = new ArrayList<>();
        ValidationReport report = validators().get(prefix).validateRequest(request);
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(m.getKey() + ": " + m.getMessage().replaceAll("\\s+", " ")
                        + (m.getNestedMessages().isEmpty() ? "" : " " + m.getNestedMessages().stream()
                        .map(n -> n.getMessage().replaceAll("\\s+", " ")).collect(Collectors.joining("; ", "[", "]"))));
            }
        }
        String authorization = request.getHeaderValue("Authorization").orElse("");
        if (!APP_KEY.matcher(authorization).matches()) {
            problems.add("security: Authorization is not the API key scheme 'App <key>'");
        }
        if (problems.isEmpty()) return Optional.empty();
        String shown = body == null || body.isEmpty() ? "" : "\n    body: "
                + (body.length() <= BODY_SHOWN ? body : body.substring(0, BODY_SHOWN) + "...");
        return Optional.of(method + " " + url + " violates Infobip's published spec (" + SPECS.get(prefix) + "):\n    - "
                + String.join("\n    - ", problems) + shown);
    }

    /** What was found since the last {@link #clear()}, one text per request. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    public void clear() {
        violations.clear();
    }

    /** Fails with every violation found since the last call (or {@link #clear()}), then forgets them. */
    public void assertNoViolations() {
        List<String> found = violations();
        violations.removeAll(found);
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " request(s) to the Infobip stand-in violate Infobip's published "
                    + "OpenAPI spec:\n" + String.join("\n", found));
        }
    }

    private static String prefix(String path) {
        for (String prefix : SPECS.keySet()) {
            if (path.startsWith(prefix)) return prefix;
        }
        return null;
    }

    private static Map<String, OpenApiInteractionValidator> validators() {
        Map<String, OpenApiInteractionValidator> v = validators;
        if (v == null) {
            synchronized (InfobipSpecValidator.class) {
                if (validators == null) {
                    validators = SPECS.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                            e -> OpenApiInteractionValidator.createForInlineApiSpecification(spec(e.getValue())).build()));
                }
                v = validators;
            }
        }
        return v;
    }

    /** A trimmed spec's text, from the test class path. */
    public static String spec(String resource) {
        try (InputStream in = InfobipSpecValidator.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> headers(com.github.tomakehurst.wiremock.http.Request r) {
        Map<String, List<String>> h = new java.util.LinkedHashMap<>();
        for (HttpHeader header : r.getHeaders().all()) {
            h.put(header.key(), header.values());
        }
        return h;
    }

    /** A raw query's parameters, decoded, repeated names kept in order. */
    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
