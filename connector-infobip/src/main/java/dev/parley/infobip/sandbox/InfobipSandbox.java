package dev.parley.infobip.sandbox;

import dev.parley.spi.util.Jsons;
import dev.parley.infobip.http.InfobipTime;
import dev.parley.infobip.sms.PhoneNumbers;
import dev.parley.spi.PermanentException;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import static dev.parley.infobip.sandbox.StandIn.addOrNull;
import static dev.parley.infobip.sandbox.StandIn.appKeyMatches;
import static dev.parley.infobip.sandbox.StandIn.json;
import static dev.parley.infobip.sandbox.StandIn.legacyError;
import static dev.parley.infobip.sandbox.StandIn.methodNotAllowed;
import static dev.parley.infobip.sandbox.StandIn.sha256;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A stand-in of the Infobip SMS API for trying Parley without an account: it checks the API key,
 * validates and records sends, answers like Infobip, and ~300 ms later posts a DELIVERED report to the
 * delivery URL of the request. Answers {@code GET /sms/3/logs} (by {@code messageId}) from what it recorded,
 * so a sandbox connection can tell what it already sent. Also {@code GET/DELETE /messages} to inspect what
 * was "sent", and the customer side: {@code POST /customer/{from}/text {"text":"..."}} posts an inbound SMS to the
 * connection's inbound webhook exactly as Infobip does.
 * Thread-safe.
 */
public final class InfobipSandbox implements AutoCloseable {

    /** Delay before the delivery report is posted. */
    public static final Duration REPORT_DELAY = Duration.ofMillis(300);
    /** Oldest recorded messages are dropped beyond this, so a long demo cannot exhaust memory. */
    static final int MAX_RECORDED = 1000;

    /** The longest customer text (Infobip joins a long SMS's parts into one inbound message). */
    static final int MAX_CUSTOMER_TEXT = 4096;

    private final ConnectionContext ctx;
    private final byte[] keyDigest;
    private final String sender;
    private final CustomerWebhook customerWebhook;
    private final StandIn.Poster poster;
    private final Deque<JsonObject> recorded = new ArrayDeque<>();
    private final ScheduledPosts scheduled;

    /**
     * A sandbox that accepts {@code Authorization: App <apiKey>}, whose customers write to {@code sender}.
     *
     * @param inboundWebhookUrl where customer messages are posted (Parley's inbound SMS webhook)
     * @param webhookUsername   Basic username for those posts
     * @param webhookPassword   Basic password, or null when webhook auth is off (then no Authorization is sent)
     */
    public InfobipSandbox(ConnectionContext ctx, String apiKey, String sender, URI inboundWebhookUrl,
                          String webhookUsername, String webhookPassword) {
        this(ctx, apiKey, sender, inboundWebhookUrl, webhookUsername, webhookPassword, new StandIn.JsonPoster());
    }

    InfobipSandbox(ConnectionContext ctx, String apiKey, String sender, URI inboundWebhookUrl,
                   String webhookUsername, String webhookPassword, StandIn.Poster poster) {
        this.ctx = ctx;
        this.keyDigest = sha256(apiKey);
        this.sender = sender;
        this.customerWebhook = new CustomerWebhook(ctx, inboundWebhookUrl, webhookUsername, webhookPassword, poster);
        this.poster = poster;
        this.scheduled = new ScheduledPosts(ctx, "the delivery report");
    }

    /** Handles one call; see {@link dev.parley.spi.SandboxApi#handle}. */
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String m = method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
        String p = path == null ? "/" : path;
        int q = p.indexOf('?');
        String query = q >= 0 ? p.substring(q + 1) : "";
        if (q >= 0) p = p.substring(0, q);
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);

        if (!appKeyMatches(keyDigest, headers)) return unauthorized();
        switch (p) {
            case "/sms/3/messages":
                return m.equals("POST") ? send(body) : methodNotAllowed(m, p);
            case "/account/1/balance":
                return m.equals("GET") ? json(200, Jsons.BUILDERS.createObjectBuilder()
                        .add("balance", 100.0).add("currency", "EUR").build()) : methodNotAllowed(m, p);
            case "/sms/3/logs":
                return m.equals("GET") ? logs(query) : methodNotAllowed(m, p);
            case "/messages":
                if (m.equals("GET")) return json(200, Jsons.BUILDERS.createObjectBuilder()
                        .add("messages", messages()).build());
                if (m.equals("DELETE")) {
                    synchronized (recorded) {
                        recorded.clear();
                    }
                    return new SandboxResponse(200, "{}");
                }
                return methodNotAllowed(m, p);
            default:
                break;
        }
        String[] s = p.substring(1).split("/", -1);
        if (s.length == 3 && s[0].equals("customer")) {
            if (!s[2].equals("text")) {
                return legacyError(404, "NOT_FOUND", "Unknown customer action '" + StandIn.printable(s[2]) + "' (text)");
            }
            return m.equals("POST") ? customerText(s[1], body) : methodNotAllowed(m, p);
        }
        return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + p);
    }

    // ---- the customer side: POST /customer/{from}/text ------------------------------------------

    /** The customer {@code from} texts the sender: an inbound SMS webhook, as Infobip posts it. */
    private SandboxResponse customerText(String from, byte[] body) {
        JsonObject request = StandIn.object(body == null ? new byte[0] : body);
        if (request == null) return badRequest(List.of(violation("body", "must be a JSON object: {\"text\":\"...\"}")));
        List<JsonObject> violations = new ArrayList<>();
        String digits = customerNumber(from);
        if (digits == null) {
            violations.add(violation("from", "must be a valid phone number in international format: digits with the "
                    + "country code, e.g. 41793026727"));
        }
        String text = request.get("text") instanceof jakarta.json.JsonString t && !t.getString().isBlank() ? t.getString() : null;
        if (text == null) violations.add(violation("text", "must be a string that is not blank"));
        else if (text.length() > MAX_CUSTOMER_TEXT) {
            violations.add(violation("text", "size must be between 1 and " + MAX_CUSTOMER_TEXT));
        }
        if (!violations.isEmpty()) return badRequest(violations);
        if (!customerWebhook.present()) {
            return legacyError(409, "NO_INBOUND_WEBHOOK", "This sandbox has no inbound webhook URL to post to");
        }
        String messageId = UUID.randomUUID().toString();
        JsonObject payload = Jsons.BUILDERS.createObjectBuilder()
                .add("results", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("messageId", messageId)
                        .add("from", digits)
                        .add("to", sender)
                        .add("text", text)
                        .add("cleanText", text)
                        .add("keyword", "")
                        .add("receivedAt", InfobipTime.format(ctx.clock().instant()))
                        .add("smsCount", 1)
                        .add("price", Jsons.BUILDERS.createObjectBuilder().add("pricePerMessage", 0).add("currency", "EUR"))))
                .add("messageCount", 1)
                .add("pendingMessageCount", 0)
                .build();
        return customerWebhook.post(messageId, "SMS", payload, null);
    }

    /** Infobip's {@code from}: the number's digits with the country code, no {@code +}; null when it is no number. */
    private static String customerNumber(String from) {
        try {
            return PhoneNumbers.normalize(from).substring(1);
        } catch (PermanentException e) {
            return null;
        }
    }

    // ---- POST /sms/3/messages -------------------------------------------------------------------

    private SandboxResponse send(byte[] body) {
        JsonValue parsed;
        try {
            parsed = Jsons.parse(body);
        } catch (IllegalArgumentException e) {
            return badRequest(List.of(violation("body", "must be valid JSON")));
        }
        if (!(parsed instanceof JsonObject request)) {
            return badRequest(List.of(violation("body", "must be a JSON object")));
        }
        List<JsonObject> violations = validate(request);
        if (!violations.isEmpty()) return badRequest(violations);

        JsonObject options = Jsons.object(request, "options");
        JsonObject tracking = Jsons.object(options, "tracking");
        String bulkId = Jsons.nonBlank(Jsons.object(options, "schedule"), "bulkId");
        if (bulkId == null) bulkId = UUID.randomUUID().toString();
        Instant now = ctx.clock().instant();
        JsonArrayBuilder answered = Jsons.BUILDERS.createArrayBuilder();
        JsonArray messages = request.getJsonArray("messages");
        for (JsonValue mv : messages) {
            JsonObject message = (JsonObject) mv;
            String sender = Jsons.string(message, "sender");
            String text = Jsons.string(Jsons.object(message, "content"), "text");
            JsonObject webhooks = Jsons.object(message, "webhooks");
            JsonObject delivery = Jsons.object(webhooks, "delivery");
            String deliveryUrl = Jsons.nonBlank(delivery, "url");
            boolean notify = Jsons.bool(delivery, "notify", true);
            String callbackData = Jsons.string(webhooks, "callbackData");
            List<JsonObject> reports = new ArrayList<>();
            for (JsonValue dv : message.getJsonArray("destinations")) {
                JsonObject destination = (JsonObject) dv;
                String to = Jsons.string(destination, "to");
                String messageId = Jsons.nonBlank(destination, "messageId");
                if (messageId == null) messageId = UUID.randomUUID().toString();
                record(message(messageId, bulkId, to, sender, text, deliveryUrl, callbackData, tracking, now));
                answered.add(Jsons.BUILDERS.createObjectBuilder()
                        .add("messageId", messageId)
                        .add("status", Jsons.BUILDERS.createObjectBuilder()
                                .add("groupId", 1).add("groupName", "PENDING").add("id", 26)
                                .add("name", "PENDING_ACCEPTED").add("description", "Message sent to next instance"))
                        .add("destination", to)
                        .add("details", Jsons.BUILDERS.createObjectBuilder().add("messageCount", 1)));
                reports.add(report(messageId, bulkId, to, sender, callbackData, now));
                ctx.log().info("SANDBOX: accepted SMS " + messageId + " (no real SMS is sent)");
            }
            if (deliveryUrl != null && notify) scheduleReports(deliveryUrl, reports);
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("bulkId", bulkId).add("messages", answered).build());
    }

    // ---- GET /sms/3/logs -------------------------------------------------------------------------

    /**
     * The logs of what this sandbox "sent", newest first, in Infobip's v3 shape; filtered by
     * {@code messageId} (comma-separated, as Infobip reads it) and cut at {@code limit} (default 50, max
     * 1000). A message shows as PENDING until its delivery report is due, then DELIVERED. Unlike Infobip's,
     * these logs never lag; they hold the last {@value #MAX_RECORDED} messages and forget on
     * {@code DELETE /messages}.
     */
    private SandboxResponse logs(String query) {
        Map<String, String> params = queryParams(query);
        Set<String> ids = null;
        if (params.containsKey("messageId")) {
            ids = new java.util.HashSet<>();
            for (String id : params.get("messageId").split(",")) if (!id.isBlank()) ids.add(id.trim());
        }
        int limit = 50;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                return badRequest(List.of(violation("limit", "must be between 1 and 1000")));
            }
        }
        List<JsonObject> newestFirst;
        synchronized (recorded) {
            newestFirst = new ArrayList<>(recorded);
        }
        java.util.Collections.reverse(newestFirst);
        Instant now = ctx.clock().instant();
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        int n = 0;
        for (JsonObject message : newestFirst) {
            if (n >= limit) break;
            if (ids != null && !ids.contains(Jsons.string(message, "messageId"))) continue;
            results.add(log(message, now));
            n++;
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("results", results).build());
    }

    private static JsonObject log(JsonObject message, Instant now) {
        String sentAt = Jsons.string(message, "receivedAt");
        java.time.OffsetDateTime sent = InfobipTime.parse(sentAt);
        boolean delivered = sent == null || !now.isBefore(sent.toInstant().plus(REPORT_DELAY));
        JsonObjectBuilder status = delivered
                ? Jsons.BUILDERS.createObjectBuilder().add("groupId", 3).add("groupName", "DELIVERED").add("id", 5)
                        .add("name", "DELIVERED_TO_HANDSET").add("description", "Message delivered to handset")
                : Jsons.BUILDERS.createObjectBuilder().add("groupId", 1).add("groupName", "PENDING").add("id", 26)
                        .add("name", "PENDING_ACCEPTED").add("description", "Message sent to next instance");
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("destination", Jsons.string(message, "to"))
                .add("bulkId", Jsons.string(message, "bulkId"))
                .add("messageId", Jsons.string(message, "messageId"))
                .add("sentAt", sentAt)
                .add("messageCount", 1)
                .add("status", status)
                .add("error", Jsons.BUILDERS.createObjectBuilder()
                        .add("groupId", 0).add("groupName", "OK").add("id", 0).add("name", "NO_ERROR")
                        .add("description", "No Error").add("permanent", false))
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("text", Jsons.string(message, "text")));
        if (delivered) b.add("doneAt", InfobipTime.format(sent == null ? now : sent.toInstant().plus(REPORT_DELAY)));
        return b.build();
    }

    /** A raw query string's parameters, decoded; the first value of a repeated name wins. */
    private static Map<String, String> queryParams(String query) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (query == null || query.isEmpty()) return params;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape is taken literally
        }
    }

    /** The required fields Infobip enforces, reported in its E400 violations style. */
    private static List<JsonObject> validate(JsonObject request) {
        List<JsonObject> v = new ArrayList<>();
        JsonArray messages = Jsons.array(request, "messages");
        if (messages == null || messages.isEmpty()) {
            v.add(violation("messages", "must not be empty"));
            return v;
        }
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(messages.get(i) instanceof JsonObject message)) {
                v.add(violation(at, "must be an object"));
                continue;
            }
            JsonArray destinations = Jsons.array(message, "destinations");
            if (destinations == null || destinations.isEmpty()) {
                v.add(violation(at + ".destinations", "must not be empty"));
            } else {
                for (int j = 0; j < destinations.size(); j++) {
                    String dat = at + ".destinations[" + j + "]";
                    if (!(destinations.get(j) instanceof JsonObject d)) {
                        v.add(violation(dat, "must be an object"));
                        continue;
                    }
                    String to = Jsons.nonBlank(d, "to");
                    if (to == null) v.add(violation(dat + ".to", "must not be blank"));
                    else if (to.length() > 64) v.add(violation(dat + ".to", "size must be between 1 and 64"));
                }
            }
            JsonObject content = Jsons.object(message, "content");
            if (content == null) v.add(violation(at + ".content", "must not be null"));
            else if (Jsons.nonBlank(content, "text") == null) v.add(violation(at + ".content.text", "must not be blank"));
        }
        return v;
    }

    private JsonObject message(String messageId, String bulkId, String to, String sender, String text,
                               String deliveryUrl, String callbackData, JsonObject tracking, Instant now) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("messageId", messageId)
                .add("bulkId", bulkId)
                .add("to", to)
                .add("text", text)
                .add("receivedAt", InfobipTime.format(now));
        addOrNull(b, "sender", sender);
        addOrNull(b, "deliveryUrl", deliveryUrl);
        addOrNull(b, "callbackData", callbackData);
        if (tracking != null) b.add("tracking", tracking);
        else b.addNull("tracking");
        return b.build();
    }

    private static JsonObject report(String messageId, String bulkId, String to, String sender, String callbackData,
                                     Instant sentAt) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("bulkId", bulkId)
                .add("messageId", messageId)
                .add("to", to)
                .add("sentAt", InfobipTime.format(sentAt))
                .add("messageCount", 1)
                .add("status", Jsons.BUILDERS.createObjectBuilder()
                        .add("groupId", 3).add("groupName", "DELIVERED").add("id", 5)
                        .add("name", "DELIVERED_TO_HANDSET").add("description", "Message delivered to handset"))
                .add("error", Jsons.BUILDERS.createObjectBuilder()
                        .add("groupId", 0).add("groupName", "OK").add("id", 0).add("name", "NO_ERROR")
                        .add("description", "No Error").add("permanent", false));
        addOrNull(b, "sender", sender);
        if (callbackData != null) b.add("callbackData", callbackData);
        return b.build();
    }

    // ---- delivery reports -----------------------------------------------------------------------

    private void scheduleReports(String deliveryUrl, List<JsonObject> reports) {
        if (scheduled.closed()) return;
        URI url;
        try {
            url = URI.create(deliveryUrl);
        } catch (IllegalArgumentException e) {
            ctx.log().warn("SANDBOX: delivery URL is not a valid URL; no delivery report is posted");
            return;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            ctx.log().warn("SANDBOX: delivery URL is not http(s); no delivery report is posted");
            return;
        }
        scheduled.schedule(() -> postReports(url, reports), REPORT_DELAY);
    }

    private void postReports(URI url, List<JsonObject> reports) {
        if (scheduled.closed()) return;
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        String doneAt = InfobipTime.format(ctx.clock().instant());
        for (JsonObject r : reports) results.add(Jsons.BUILDERS.createObjectBuilder(r).add("doneAt", doneAt));
        String json = Jsons.BUILDERS.createObjectBuilder().add("results", results).build().toString();
        // The URL carries the webhook token: log it without its query.
        String shown = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        try {
            int status = poster.post(url, json, null);
            if (status < 200 || status >= 300) {
                ctx.log().warn("SANDBOX: delivery report post to " + shown + " answered HTTP " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled by close()
        } catch (IOException | RuntimeException e) {
            ctx.log().warn("SANDBOX: could not post the delivery report to " + shown + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Cancels pending reports; idempotent. */
    @Override
    public void close() {
        scheduled.close();
    }

    /** Number of reports scheduled and not yet posted. */
    int pendingReports() {
        return scheduled.pending();
    }

    // ---- recorded messages ----------------------------------------------------------------------

    private void record(JsonObject message) {
        synchronized (recorded) {
            recorded.addLast(message);
            while (recorded.size() > MAX_RECORDED) recorded.removeFirst();
        }
    }

    private JsonArray messages() {
        JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
        synchronized (recorded) {
            recorded.forEach(a::add);
        }
        return a.build();
    }

    // ---- auth and error bodies ------------------------------------------------------------------

    private static SandboxResponse unauthorized() {
        return json(401, Jsons.BUILDERS.createObjectBuilder()
                .add("errorCode", "E401")
                .add("description", "The request lacks valid authentication credentials for the requested resource.")
                .add("action", "Check the resources and adjust authentication credentials.")
                .add("violations", Jsons.BUILDERS.createArrayBuilder())
                .add("resources", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("name", "API Authentication")
                        .add("url", "https://www.infobip.com/docs/essentials/api-authentication")))
                .build());
    }

    private static SandboxResponse badRequest(List<JsonObject> violations) {
        JsonArrayBuilder v = Jsons.BUILDERS.createArrayBuilder();
        violations.forEach(v::add);
        return json(400, Jsons.BUILDERS.createObjectBuilder()
                .add("errorCode", "E400")
                .add("description", "Request cannot be processed.")
                .add("action", "Check the syntax, violations and adjust the request.")
                .add("violations", v)
                .add("resources", Jsons.BUILDERS.createArrayBuilder())
                .build());
    }

    private static JsonObject violation(String property, String violation) {
        return Jsons.BUILDERS.createObjectBuilder().add("property", property).add("violation", violation).build();
    }
}
