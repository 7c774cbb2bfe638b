package dev.parley.infobip.sandbox;

import dev.parley.infobip.http.InfobipTime;
import dev.parley.infobip.whatsapp.WhatsAppWebhooks;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import static dev.parley.infobip.sandbox.StandIn.addOrNull;
import static dev.parley.infobip.sandbox.StandIn.badRequest;
import static dev.parley.infobip.sandbox.StandIn.bounded;
import static dev.parley.infobip.sandbox.StandIn.httpUrl;
import static dev.parley.infobip.sandbox.StandIn.object;
import static dev.parley.infobip.sandbox.StandIn.optional;
import static dev.parley.infobip.sandbox.StandIn.printable;
import static dev.parley.infobip.sandbox.StandIn.required;
import static dev.parley.infobip.sandbox.StandIn.requiredObject;
import static dev.parley.infobip.sandbox.StandIn.violate;
import static dev.parley.infobip.sandbox.StandIn.withoutQuery;
import static dev.parley.infobip.sandbox.StandIn.appKeyMatches;
import static dev.parley.infobip.sandbox.StandIn.json;
import static dev.parley.infobip.sandbox.StandIn.legacyError;
import static dev.parley.infobip.sandbox.StandIn.methodNotAllowed;
import static dev.parley.infobip.sandbox.StandIn.sha256;
import static dev.parley.spi.util.SandboxRequests.header;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in of Infobip's WhatsApp API for trying Parley without an account, served at {@code /sandbox/<id>}.
 *
 * <p>Like Infobip: {@code Authorization: App <apiKey>} on every API path; text and template sends validated as the
 * published spec has them and answered PENDING, then a delivery report (and, when delivered, a seen report) posted to
 * the request's {@code notifyUrl}. Like Meta: free text reaches only a customer who wrote within 24 hours, else its
 * report says UNDELIVERABLE with 7010 EC_NO_SESSION; templates are delivered when this sandbox knows them (name,
 * language, placeholder count), else 7009/7008. The sender's templates; inbound media behind the API key, answered
 * with a 302 to a short-lived CDN link, expiring after {@link #MEDIA_TTL}.
 *
 * <p>The customer side, for demos and tests: {@code POST /customer/{from}/text|image|document|button|list|location}
 * posts an inbound webhook exactly as Infobip's (Basic auth when configured) and opens the customer's window;
 * {@code /customer/{from}/age-window} moves it back; {@code GET/DELETE /messages} shows what Parley "sent".
 *
 * <p>Everything is in memory and bounded. Thread-safe; no lock is held while posting.
 */
public final class WhatsAppSandbox implements AutoCloseable {

    /** Delay before the delivery report is posted. */
    public static final Duration REPORT_DELAY = Duration.ofMillis(300);
    /** Delay after the delivery report before a delivered message's seen report. */
    public static final Duration SEEN_DELAY = Duration.ofMillis(700);
    /** Meta's customer-care window: free text only this long after the customer's last message. */
    public static final Duration WINDOW = Duration.ofHours(24);
    /** How long an inbound media id can be downloaded. */
    public static final Duration MEDIA_TTL = MediaShelf.MEDIA_TTL;
    /** How long a CDN link of a media download works. */
    public static final Duration CDN_TTL = MediaShelf.CDN_TTL;

    static final int MAX_RECORDED = 1000;
    static final int MAX_CUSTOMERS = 1000;
    static final int MAX_MEDIA = MediaShelf.MAX_MEDIA;
    static final int MAX_BODY = 256 * 1024;

    /** A template this sandbox "has registered" for its sender. */
    record KnownTemplate(String id, String name, String language, String category, String body) {
        int placeholders() {
            Matcher m = PLACEHOLDER.matcher(body);
            int n = 0;
            while (m.find()) n++;
            return n;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\d+}}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]+");

    /** The templates of the sandbox's sender, all APPROVED. */
    static final List<KnownTemplate> TEMPLATES = List.of(
            new KnownTemplate("1001", "welcome", "en", "UTILITY",
                    "Hello {{1}}, thanks for getting in touch! Reply to this message to chat with us."),
            new KnownTemplate("1002", "order_update", "en", "UTILITY",
                    "Hi {{1}}, your order {{2}} has shipped. Reply to this message if you have a question."),
            new KnownTemplate("1003", "order_update", "en_GB", "UTILITY",
                    "Hi {{1}}, your order {{2}} has been dispatched. Reply to this message if you have a question."),
            new KnownTemplate("1004", "appointment_reminder", "en", "UTILITY",
                    "Reminder: your appointment is on {{1}} at {{2}}. Reply to this message to change it."));

    private record Customer(String address, String phoneNumber, String userId, String username, String name,
                            Instant lastInbound) {
    }

    /** What a send will be reported as: its final status and error, and whether the customer then reads it. */
    private record Outcome(JsonObject status, JsonObject error, boolean seen, String summary) {
    }

    /** One message Parley sent (a text or one message of a template bulk). */
    private static final class Sent {
        final JsonObject shown; // what GET /messages lists, without the report times
        final String messageId;
        final String bulkId;
        final String from;
        final String to;
        final String notifyUrl;
        final Instant sentAt;
        final Outcome outcome;
        final JsonObject contact;
        volatile String reportedAt;
        volatile String seenAt;

        Sent(JsonObject shown, String messageId, String bulkId, String from, String to, String notifyUrl,
             Instant sentAt, Outcome outcome, JsonObject contact) {
            this.shown = shown;
            this.messageId = messageId;
            this.bulkId = bulkId;
            this.from = from;
            this.to = to;
            this.notifyUrl = notifyUrl;
            this.sentAt = sentAt;
            this.outcome = outcome;
            this.contact = contact;
        }
    }

    private final ConnectionContext ctx;
    private final byte[] keyDigest;
    private final String sender;
    private final CustomerWebhook customerWebhook;
    private final StandIn.Poster poster;
    private final SecureRandom random = new SecureRandom();
    private final Deque<Sent> recorded = new ArrayDeque<>();
    private final Map<String, Customer> customers = bounded(MAX_CUSTOMERS);
    private final MediaShelf media;
    private final ScheduledPosts scheduled;
    private volatile Duration reportDelay = REPORT_DELAY;
    private volatile Duration seenDelay = SEEN_DELAY;

    /**
     * A sandbox that accepts {@code Authorization: App <apiKey>} and has the one WhatsApp sender {@code sender}.
     *
     * @param inboundWebhookUrl where customer messages are posted (Parley's inbound webhook)
     * @param webhookUsername   Basic username for those posts
     * @param webhookPassword   Basic password, or null when webhook auth is off (then no Authorization is sent)
     */
    public WhatsAppSandbox(ConnectionContext ctx, String apiKey, String sender, URI inboundWebhookUrl,
                           String webhookUsername, String webhookPassword) {
        this(ctx, apiKey, sender, inboundWebhookUrl, webhookUsername, webhookPassword, new StandIn.JsonPoster());
    }

    WhatsAppSandbox(ConnectionContext ctx, String apiKey, String sender, URI inboundWebhookUrl,
                    String webhookUsername, String webhookPassword, StandIn.Poster poster) {
        this.ctx = ctx;
        this.media = new MediaShelf(() -> ctx.clock().instant());
        this.keyDigest = sha256(apiKey);
        this.sender = sender;
        this.customerWebhook = new CustomerWebhook(ctx, inboundWebhookUrl, webhookUsername, webhookPassword, poster);
        this.poster = poster;
        this.scheduled = new ScheduledPosts(ctx, "a report");
    }

    /** Handles one call; see {@link dev.parley.spi.SandboxApi#handle}. */
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String p = path == null || path.isEmpty() ? "/" : path;
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        String[] s = p.substring(1).split("/", -1);

        // A CDN link is pre-signed: no API key needed.
        if (s.length == 2 && s[0].equals("cdn")) return cdn(m, s[1]);
        if (!appKeyMatches(keyDigest, headers)) return legacyError(401, "UNAUTHORIZED", "Unauthorized");
        if (body != null && body.length > MAX_BODY) {
            return legacyError(413, "REQUEST_TOO_LARGE", "Request body larger than " + MAX_BODY + " bytes");
        }
        byte[] b = body == null ? new byte[0] : body;
        switch (p) {
            case "/whatsapp/1/message/text":
                return m.equals("POST") ? sendText(b) : methodNotAllowed(m, p);
            case "/whatsapp/1/message/template":
                return m.equals("POST") ? sendTemplate(b) : methodNotAllowed(m, p);
            case "/account/1/balance":
                return m.equals("GET") ? json(200, Jsons.BUILDERS.createObjectBuilder()
                        .add("balance", 100.0).add("currency", "EUR").build()) : methodNotAllowed(m, p);
            case "/messages":
                if (m.equals("GET")) return json(200, Jsons.BUILDERS.createObjectBuilder().add("messages", messages()).build());
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
        if (s.length == 5 && s[0].equals("whatsapp") && s[1].equals("2") && s[2].equals("senders") && s[4].equals("templates")) {
            return m.equals("GET") ? templates(s[3]) : methodNotAllowed(m, p);
        }
        if (s.length == 6 && s[0].equals("whatsapp") && s[1].equals("1") && s[2].equals("senders") && s[4].equals("media")) {
            return m.equals("GET") || m.equals("HEAD") ? mediaDownload(m, s[3], s[5]) : methodNotAllowed(m, p);
        }
        if (s.length == 2 && s[0].equals("customer")) {
            return m.equals("GET") ? customerState(s[1]) : methodNotAllowed(m, p);
        }
        if (s.length == 3 && s[0].equals("customer")) {
            return m.equals("POST") ? customer(s[1], s[2], b) : methodNotAllowed(m, p);
        }
        return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + p);
    }

    // ---- POST /whatsapp/1/message/text ----------------------------------------------------------

    private SandboxResponse sendText(byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        String from = required(request, "from", "from", 24, v);
        String to = address(request, "to", "to", v);
        String messageId = optional(request, "messageId", "messageId", 200, v);
        JsonObject content = requiredObject(request, "content", "content", v);
        String text = content == null ? null : required(content, "text", "content.text", 4096, v);
        JsonValue previewUrl = content == null ? null : content.get("previewUrl");
        if (previewUrl != null && previewUrl.getValueType() != JsonValue.ValueType.NULL && !isBoolean(previewUrl)) {
            violate(v, "content.previewUrl", "must be a boolean");
        }
        String callbackData = optional(request, "callbackData", "callbackData", 4000, v);
        String notifyUrl = optional(request, "notifyUrl", "notifyUrl", 2048, v);
        JsonValue context = request.get("context");
        if (context != null && context.getValueType() != JsonValue.ValueType.NULL) {
            if (context instanceof JsonObject c) required(c, "replyToMessageId", "context.replyToMessageId", Integer.MAX_VALUE, v);
            else violate(v, "context", "must be an object");
        }
        if (!v.isEmpty()) return badRequest(v);

        if (messageId == null || messageId.isEmpty()) messageId = UUID.randomUUID().toString();
        Instant now = ctx.clock().instant();
        Customer customer = customer(to);
        boolean open = customer != null && now.isBefore(customer.lastInbound().plus(WINDOW));
        Outcome outcome = open ? delivered() : undeliverable(7010, "EC_NO_SESSION",
                "The session has not been initiated or has expired: the customer has not written in the last 24 hours;"
                        + " send a template message", "UNDELIVERABLE (7010 EC_NO_SESSION: the customer's 24-hour window is closed)");
        JsonObjectBuilder shown = Jsons.BUILDERS.createObjectBuilder()
                .add("messageId", messageId).add("type", "TEXT").add("from", from).add("to", to).add("text", text);
        Sent sent = record(shown, messageId, "", from, to, notifyUrl, callbackData, now, outcome, customer);
        ctx.log().info("SANDBOX: accepted WhatsApp text " + printable(messageId)
                + " (no real message is sent); it will be reported " + outcome.summary());
        scheduleReports(sent);
        return json(200, accepted(to, messageId).build());
    }

    // ---- POST /whatsapp/1/message/template ------------------------------------------------------

    private SandboxResponse sendTemplate(byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        String bulkId = optional(request, "bulkId", "bulkId", 100, v);
        JsonValue mv = request.get("messages");
        if (mv == null || mv.getValueType() == JsonValue.ValueType.NULL) {
            violate(v, "messages", "must not be null");
        } else if (!(mv instanceof JsonArray list)) {
            violate(v, "messages", "must be an array");
        } else if (list.isEmpty()) {
            violate(v, "messages", "must not be empty");
        } else {
            for (int i = 0; i < list.size(); i++) validateTemplateMessage(list.get(i), "messages[" + i + "]", v);
        }
        if (!v.isEmpty()) return badRequest(v);

        if (bulkId == null || bulkId.isEmpty()) bulkId = UUID.randomUUID().toString();
        Instant now = ctx.clock().instant();
        JsonArrayBuilder answered = Jsons.BUILDERS.createArrayBuilder();
        for (JsonValue item : request.getJsonArray("messages")) {
            JsonObject message = item.asJsonObject();
            String from = message.getString("from");
            String to = message.getString("to");
            String messageId = Jsons.string(message, "messageId");
            if (messageId == null || messageId.isEmpty()) messageId = UUID.randomUUID().toString();
            JsonObject content = message.getJsonObject("content");
            String name = content.getString("templateName");
            String language = content.getString("language");
            JsonArray placeholders = content.getJsonObject("templateData").getJsonObject("body").getJsonArray("placeholders");
            Outcome outcome = templateOutcome(name, language, placeholders.size());
            JsonObjectBuilder shown = Jsons.BUILDERS.createObjectBuilder()
                    .add("messageId", messageId).add("bulkId", bulkId).add("type", "TEMPLATE").add("from", from).add("to", to)
                    .add("template", Jsons.BUILDERS.createObjectBuilder().add("name", name).add("language", language)
                            .add("placeholders", placeholders));
            Sent sent = record(shown, messageId, bulkId, from, to, Jsons.string(message, "notifyUrl"),
                    Jsons.string(message, "callbackData"), now, outcome, customer(to));
            ctx.log().info("SANDBOX: accepted WhatsApp template " + printable(messageId) + " '" + name + "' ("
                    + printable(language) + ", no real message is sent); it will be reported " + printable(outcome.summary()));
            scheduleReports(sent);
            answered.add(accepted(to, messageId));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("messages", answered).add("bulkId", bulkId).build());
    }

    private static void validateTemplateMessage(JsonValue value, String at, Map<String, List<String>> v) {
        if (!(value instanceof JsonObject message)) {
            violate(v, at, "must be an object");
            return;
        }
        required(message, "from", at + ".from", 24, v);
        address(message, "to", at + ".to", v);
        optional(message, "messageId", at + ".messageId", 200, v);
        optional(message, "callbackData", at + ".callbackData", 4000, v);
        optional(message, "notifyUrl", at + ".notifyUrl", 2048, v);
        JsonObject content = requiredObject(message, "content", at + ".content", v);
        if (content == null) return;
        String name = required(content, "templateName", at + ".content.templateName", 512, v);
        if (name != null && !TEMPLATE_NAME.matcher(name).matches()) {
            violate(v, at + ".content.templateName", "must contain only lowercase alphanumeric characters and underscores");
        }
        required(content, "language", at + ".content.language", 100, v);
        JsonObject data = requiredObject(content, "templateData", at + ".content.templateData", v);
        JsonObject body = data == null ? null : requiredObject(data, "body", at + ".content.templateData.body", v);
        if (body == null) return;
        String pat = at + ".content.templateData.body.placeholders";
        JsonValue placeholders = body.get("placeholders");
        if (placeholders == null || placeholders.getValueType() == JsonValue.ValueType.NULL) {
            violate(v, pat, "must not be null");
        } else if (!(placeholders instanceof JsonArray array)) {
            violate(v, pat, "must be an array");
        } else {
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof JsonString s)) violate(v, pat + "[" + i + "]", "must be a string");
                else if (s.getString().isBlank()) violate(v, pat + "[" + i + "]", "must not be blank");
            }
        }
    }

    /** Delivered when this sandbox knows the template in that language with that many placeholders. */
    private static Outcome templateOutcome(String name, String language, int placeholders) {
        List<KnownTemplate> named = TEMPLATES.stream().filter(t -> t.name().equals(name)).toList();
        KnownTemplate t = named.stream().filter(k -> k.language().equals(language)).findFirst().orElse(null);
        if (t == null) {
            String why = named.isEmpty() ? "Template '" + name + "' does not exist for this sender"
                    : "Template '" + name + "' does not exist in language '" + language + "' (it has "
                    + String.join(", ", named.stream().map(KnownTemplate::language).toList()) + ")";
            return undeliverable(7009, "EC_INVALID_TEMPLATE", why, "UNDELIVERABLE (7009 EC_INVALID_TEMPLATE: " + why + ")");
        }
        if (t.placeholders() != placeholders) {
            String why = "Template '" + name + "' (" + language + ") has " + t.placeholders()
                    + " placeholder(s), the message gave " + placeholders;
            return undeliverable(7008, "EC_INVALID_TEMPLATE_ARGS", why,
                    "UNDELIVERABLE (7008 EC_INVALID_TEMPLATE_ARGS: " + why + ")");
        }
        return delivered();
    }

    // ---- GET /whatsapp/2/senders/{sender}/templates ---------------------------------------------

    private SandboxResponse templates(String of) {
        if (!of.equals(sender)) return legacyError(404, "NOT_FOUND", "Not found: no WhatsApp sender " + of + " on this account");
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        for (KnownTemplate t : TEMPLATES) {
            list.add(Jsons.BUILDERS.createObjectBuilder()
                    .add("id", t.id()).add("businessAccountId", 222).add("name", t.name()).add("language", t.language())
                    .add("status", "APPROVED").add("category", t.category())
                    .add("structure", Jsons.BUILDERS.createObjectBuilder()
                            .add("body", Jsons.BUILDERS.createObjectBuilder().add("text", t.body())).add("type", "TEXT"))
                    .add("quality", "HIGH")
                    .add("createdAt", "2024-01-01T00:00:00.000+0000").add("lastUpdatedAt", "2024-01-01T00:00:00.000+0000"));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("templates", list).build());
    }

    // ---- media: GET/HEAD /whatsapp/1/senders/{sender}/media/{mediaId}, GET /cdn/{token} ----------

    private SandboxResponse mediaDownload(String method, String of, String mediaId) {
        MediaShelf.File found = media.live(mediaId);
        // The spec documents this 404 ("Media not found or expired") without a body.
        if (found == null || !found.owner().equals(of)) return new SandboxResponse(404, "");
        return media.download(method, mediaId, found, base());
    }

    /** The link is the credential, as a pre-signed CDN URL: whatever Authorization comes along is not looked at. */
    private SandboxResponse cdn(String method, String token) {
        if (!method.equals("GET") && !method.equals("HEAD")) return methodNotAllowed(method, "/cdn/...");
        SandboxResponse file = media.cdn(method, token);
        return file != null ? file : legacyError(404, "NOT_FOUND", "Link not found or expired");
    }

    // ---- the customer side ----------------------------------------------------------------------

    private SandboxResponse customer(String from, String action, byte[] body) {
        JsonObject request = body.length == 0 ? JsonValue.EMPTY_JSON_OBJECT : object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        if (!isAddress(from)) {
            violate(v, "from", "must be a phone number in international format (digits only, no +) or a WhatsApp user id");
        }
        if (action.equals("age-window")) {
            if (!v.isEmpty()) return badRequest(v);
            return ageWindow(from, request);
        }
        if (!customerWebhook.present()) {
            return legacyError(409, "NO_INBOUND_WEBHOOK", "This sandbox has no inbound webhook URL to post to");
        }
        // Who the customer is: remembered across their messages ("name" is the place's on a location).
        String name = action.equals("location") ? null : optional(request, "name", "name", 256, v);
        String userId = optional(request, "userId", "userId", 150, v);
        String username = optional(request, "username", "username", 256, v);
        if (userId != null && !userId.isEmpty() && !WhatsAppWebhooks.isUserId(userId)) {
            violate(v, "userId", "must be a WhatsApp user id (letters, digits, '.', '_', ':', '-')");
        }
        Instant now = ctx.clock().instant();
        JsonObjectBuilder message = Jsons.BUILDERS.createObjectBuilder();
        String mediaUrl = null;
        switch (action) {
            case "text" -> message.add("text", nullToEmpty(required(request, "text", "text", 4096, v))).add("type", "TEXT");
            case "image", "document" -> {
                String caption = optional(request, "caption", "caption", 3000, v);
                if (v.isEmpty()) {
                    boolean image = action.equals("image");
                    String id = media.store(sender, image ? "image/png" : "application/pdf",
                            image ? "sandbox-image.png" : "sandbox-document.pdf",
                            image ? SandboxFiles.PNG : SandboxFiles.PDF);
                    mediaUrl = base() + "/whatsapp/1/senders/" + sender + "/media/" + id;
                    message.add("url", mediaUrl);
                    if (caption != null && !caption.isEmpty()) message.add("caption", caption);
                    message.add("type", image ? "IMAGE" : "DOCUMENT");
                }
            }
            case "button" -> message.add("id", nullToEmpty(required(request, "id", "id", 256, v)))
                    .add("title", nullToEmpty(required(request, "title", "title", 20, v)))
                    .add("type", "INTERACTIVE_BUTTON_REPLY");
            case "list" -> {
                message.add("id", nullToEmpty(required(request, "id", "id", 200, v)))
                        .add("title", nullToEmpty(required(request, "title", "title", 24, v)));
                String description = optional(request, "description", "description", 72, v);
                if (description != null && !description.isEmpty()) message.add("description", description);
                message.add("type", "INTERACTIVE_LIST_REPLY");
            }
            case "location" -> {
                Double lat = coordinate(request, "latitude", 90, v);
                Double lon = coordinate(request, "longitude", 180, v);
                String place = optional(request, "name", "name", 1000, v);
                String address = optional(request, "address", "address", 1000, v);
                if (lat != null && lon != null) message.add("latitude", lat).add("longitude", lon);
                if (address != null && !address.isEmpty()) message.add("address", address);
                if (place != null && !place.isEmpty()) message.add("name", place);
                message.add("type", "LOCATION");
            }
            default -> {
                return legacyError(404, "NOT_FOUND", "Unknown customer action '" + action
                        + "' (text, image, document, button, list, location, age-window)");
            }
        }
        if (!v.isEmpty()) return badRequest(v);

        Customer customer = wrote(from, name, userId, username, now);
        String messageId = "wamid." + Base64.getEncoder().encodeToString(randomBytes(30));
        JsonObject payload = Jsons.BUILDERS.createObjectBuilder()
                .add("results", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("from", from)
                        .add("to", sender)
                        .add("integrationType", "WHATSAPP")
                        .add("receivedAt", InfobipTime.format(now))
                        .add("messageId", messageId)
                        .add("message", message)
                        .add("price", Jsons.BUILDERS.createObjectBuilder().add("pricePerMessage", 0).add("currency", "EUR"))
                        .add("contact", contact(customer))))
                .add("messageCount", 1)
                .add("pendingMessageCount", 0)
                .build();
        return customerWebhook.post(messageId, action, payload, mediaUrl);
    }

    /** {@code POST /customer/{from}/age-window {"hours":25}}: the customer's last message moves that far back. */
    private SandboxResponse ageWindow(String from, JsonObject request) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        double hours = 25;
        JsonValue h = request.get("hours");
        if (h != null && h.getValueType() != JsonValue.ValueType.NULL) {
            if (!(h instanceof JsonNumber n) || !(n.doubleValue() > 0) || n.doubleValue() > 24 * 3660) {
                violate(v, "hours", "must be a number greater than 0 and at most 87840");
            } else {
                hours = n.doubleValue();
            }
        }
        if (!v.isEmpty()) return badRequest(v);
        Duration back = Duration.ofMillis(Math.round(hours * 3_600_000d));
        synchronized (customers) {
            Customer c = customers.get(from);
            if (c == null) return legacyError(404, "NOT_FOUND", "Customer " + from + " has not written to this sandbox");
            customers.put(from, new Customer(c.address(), c.phoneNumber(), c.userId(), c.username(), c.name(),
                    c.lastInbound().minus(back)));
        }
        return customerState(from);
    }

    /** {@code GET /customer/{from}}: who the sandbox thinks the customer is and whether their window is open. */
    private SandboxResponse customerState(String from) {
        Customer c = customer(from);
        if (c == null) return legacyError(404, "NOT_FOUND", "Customer " + from + " has not written to this sandbox");
        Instant now = ctx.clock().instant();
        Instant closes = c.lastInbound().plus(WINDOW);
        return json(200, Jsons.BUILDERS.createObjectBuilder()
                .add("from", from)
                .add("contact", contact(c))
                .add("lastInboundAt", InfobipTime.format(c.lastInbound()))
                .add("windowOpen", now.isBefore(closes))
                .add("windowClosesAt", InfobipTime.format(closes))
                .build());
    }

    private Customer wrote(String from, String name, String userId, String username, Instant now) {
        boolean phone = isDigits(from);
        synchronized (customers) {
            Customer before = customers.remove(from); // re-inserted: the most recent stays longest
            Customer c = new Customer(from,
                    phone ? from : null,
                    phone ? firstNonEmpty(userId, before == null ? null : before.userId()) : from,
                    firstNonEmpty(username, before == null ? null : before.username()),
                    firstNonEmpty(name, before == null ? null : before.name()),
                    now);
            customers.put(from, c);
            return c;
        }
    }

    private Customer customer(String address) {
        synchronized (customers) {
            return customers.get(address);
        }
    }

    /** The spec's contact: name, phoneNumber (absent for a customer known only by user id), userId, username. */
    private static JsonObject contact(Customer c) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder();
        if (c.name() != null) b.add("name", c.name());
        if (c.phoneNumber() != null) b.add("phoneNumber", c.phoneNumber());
        if (c.userId() != null) b.add("userId", c.userId());
        if (c.username() != null) b.add("username", c.username());
        return b.build();
    }

    private static JsonObject contactOf(String to, Customer c) {
        if (c != null) return contact(c);
        return isDigits(to) ? Jsons.BUILDERS.createObjectBuilder().add("phoneNumber", to).build()
                : Jsons.BUILDERS.createObjectBuilder().add("userId", to).build();
    }

    // ---- reports to the notifyUrl ---------------------------------------------------------------

    private static Outcome delivered() {
        return new Outcome(Jsons.BUILDERS.createObjectBuilder()
                .add("id", 5).add("groupId", 3).add("groupName", "DELIVERED").add("name", "DELIVERED_TO_HANDSET")
                .add("description", "Message delivered to handset").build(),
                Jsons.BUILDERS.createObjectBuilder()
                        .add("id", 0).add("name", "NO_ERROR").add("description", "No Error")
                        .add("groupId", 0).add("groupName", "OK").add("permanent", false).build(),
                true, "DELIVERED, then SEEN");
    }

    private static Outcome undeliverable(int errorId, String errorName, String description, String summary) {
        return new Outcome(Jsons.BUILDERS.createObjectBuilder()
                .add("id", 9).add("groupId", 2).add("groupName", "UNDELIVERABLE").add("name", "UNDELIVERABLE_NOT_DELIVERED")
                .add("description", "Message sent not delivered").build(),
                Jsons.BUILDERS.createObjectBuilder()
                        .add("id", errorId).add("name", errorName).add("description", description)
                        .add("groupId", 1).add("groupName", "HANDSET_ERRORS").add("permanent", true).build(),
                false, summary);
    }

    private void scheduleReports(Sent sent) {
        if (sent.notifyUrl == null || sent.notifyUrl.isBlank()) return; // Infobip posts reports only where asked
        URI url = httpUrl(sent.notifyUrl);
        if (url == null) {
            ctx.log().warn("SANDBOX: notifyUrl of " + printable(sent.messageId) + " is not an http(s) URL; no report is posted");
            return;
        }
        schedule(reportDelay, () -> {
            String doneAt = InfobipTime.format(ctx.clock().instant());
            JsonObject report = Jsons.BUILDERS.createObjectBuilder()
                    .add("bulkId", sent.bulkId)
                    .add("price", Jsons.BUILDERS.createObjectBuilder().add("pricePerMessage", 0).add("currency", "EUR"))
                    .add("status", sent.outcome.status())
                    .add("error", sent.outcome.error())
                    .add("messageId", sent.messageId)
                    .add("doneAt", doneAt)
                    .add("messageCount", 1)
                    .add("sentAt", InfobipTime.format(sent.sentAt))
                    .add("to", sent.to)
                    .add("contact", sent.contact)
                    .build();
            post(url, "delivery report", results(report));
            sent.reportedAt = doneAt;
            if (sent.outcome.seen()) schedule(seenDelay, () -> {
                String seenAt = InfobipTime.format(ctx.clock().instant());
                // As the spec's SeenReport describes them: from the customer who read it, to the business number.
                post(url, "seen report", results(Jsons.BUILDERS.createObjectBuilder()
                        .add("messageId", sent.messageId)
                        .add("from", sent.to)
                        .add("to", sent.from)
                        .add("sentAt", InfobipTime.format(sent.sentAt))
                        .add("seenAt", seenAt)
                        .add("contact", sent.contact)
                        .build()));
                sent.seenAt = seenAt;
            });
        });
    }

    private static String results(JsonObject item) {
        return Jsons.BUILDERS.createObjectBuilder().add("results", Jsons.BUILDERS.createArrayBuilder().add(item))
                .build().toString();
    }

    private void schedule(Duration delay, Runnable work) {
        scheduled.schedule(work, delay);
    }

    private void post(URI url, String what, String json) {
        if (scheduled.closed()) return;
        String shown = withoutQuery(url); // the query carries Parley's webhook token
        try {
            int status = poster.post(url, json, null);
            if (status < 200 || status >= 300) ctx.log().warn("SANDBOX: " + what + " post to " + shown + " answered HTTP " + status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled by close()
        } catch (IOException | RuntimeException e) {
            ctx.log().warn("SANDBOX: could not post the " + what + " to " + shown + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Cancels pending reports; idempotent. */
    @Override
    public void close() {
        scheduled.close();
    }

    /** Shorter report delays for tests. */
    void delays(Duration report, Duration seen) {
        this.reportDelay = report;
        this.seenDelay = seen;
    }

    /** Number of reports scheduled and not yet posted. */
    int pendingReports() {
        return scheduled.pending();
    }

    // ---- recorded messages ----------------------------------------------------------------------

    private Sent record(JsonObjectBuilder shown, String messageId, String bulkId, String from, String to,
                        String notifyUrl, String callbackData, Instant now, Outcome outcome, Customer customer) {
        addOrNull(shown, "notifyUrl", notifyUrl);
        addOrNull(shown, "callbackData", callbackData);
        shown.add("sentAt", InfobipTime.format(now)).add("status", outcome.status()).add("error", outcome.error());
        Sent sent = new Sent(shown.build(), messageId, bulkId, from, to, notifyUrl, now, outcome, contactOf(to, customer));
        synchronized (recorded) {
            recorded.addLast(sent);
            while (recorded.size() > MAX_RECORDED) recorded.removeFirst();
        }
        return sent;
    }

    private JsonArray messages() {
        List<Sent> all;
        synchronized (recorded) {
            all = new ArrayList<>(recorded);
        }
        JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
        for (Sent s : all) {
            JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder(s.shown);
            addOrNull(b, "reportedAt", s.reportedAt);
            addOrNull(b, "seenAt", s.seenAt);
            a.add(b);
        }
        return a.build();
    }

    // ---- validation helpers ---------------------------------------------------------------------

    /** A recipient: phone digits (international, no +) or a WhatsApp user id, 1..150 characters. */
    private static String address(JsonObject o, String key, String at, Map<String, List<String>> v) {
        String a = required(o, key, at, 150, v);
        if (a != null && !isAddress(a)) {
            violate(v, at, "must be a phone number in international format (digits only, no +) or a WhatsApp user id");
            return null;
        }
        return a;
    }

    private static Double coordinate(JsonObject o, String key, double limit, Map<String, List<String>> v) {
        JsonValue value = o.get(key);
        if (!(value instanceof JsonNumber n)) {
            violate(v, key, value == null || value.getValueType() == JsonValue.ValueType.NULL ? "must not be null" : "must be a number");
            return null;
        }
        double d = n.doubleValue();
        if (!(d >= -limit && d <= limit)) {
            violate(v, key, "must be between " + (int) -limit + " and " + (int) limit);
            return null;
        }
        return d;
    }

    private static boolean isAddress(String a) {
        return a != null && !a.isEmpty() && a.length() <= 150 && (isDigits(a) || WhatsAppWebhooks.isUserId(a));
    }

    private static boolean isDigits(String a) {
        return !a.isEmpty() && a.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isBoolean(JsonValue v) {
        return v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE;
    }

    // ---- auth, errors, small helpers ------------------------------------------------------------

    private static JsonObjectBuilder accepted(String to, String messageId) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("to", to)
                .add("messageCount", 1)
                .add("messageId", messageId)
                .add("status", Jsons.BUILDERS.createObjectBuilder()
                        .add("groupId", 1).add("groupName", "PENDING").add("id", 7).add("name", "PENDING_ENROUTE"));
    }

    private String base() {
        String b = ctx.sandboxUrl().toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String firstNonEmpty(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

}
