package dev.parley.infobip.sandbox;

import dev.parley.infobip.sandbox.ConversationsSandboxModel.Agent;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.Conversation;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.EventRecord;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.Message;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.Note;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.Subscription;
import dev.parley.infobip.sandbox.ConversationsSandboxModel.Tag;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static dev.parley.infobip.sandbox.StandIn.appKeyMatches;
import static dev.parley.infobip.sandbox.StandIn.badRequest;
import static dev.parley.infobip.sandbox.StandIn.bounded;
import static dev.parley.infobip.sandbox.StandIn.httpUrl;
import static dev.parley.infobip.sandbox.StandIn.json;
import static dev.parley.infobip.sandbox.StandIn.legacyError;
import static dev.parley.infobip.sandbox.StandIn.methodNotAllowed;
import static dev.parley.infobip.sandbox.StandIn.object;
import static dev.parley.infobip.sandbox.StandIn.optional;
import static dev.parley.infobip.sandbox.StandIn.printable;
import static dev.parley.infobip.sandbox.StandIn.required;
import static dev.parley.infobip.sandbox.StandIn.requiredObject;
import static dev.parley.infobip.sandbox.StandIn.sha256;
import static dev.parley.infobip.sandbox.StandIn.violate;
import static dev.parley.infobip.sandbox.StandIn.withoutQuery;
import static dev.parley.spi.util.SandboxRequests.header;
import static dev.parley.spi.util.SandboxRequests.query;

/**
 * A stand-in of Infobip's Conversations API ({@code /ccaas/1}) and of its Subscriptions Management for channel
 * CUSTOMER_ENGAGEMENT, for trying the {@code infobip-conversations} connection without an account, served at
 * {@code /sandbox/<id>}.
 *
 * <p>Like Infobip (the published specs {@code infobip-conversations}, {@code subscriptions-api}, common-assets'
 * {@code conversation-event-webhook}): {@code Authorization: App <apiKey>} on every path (else 401); the calls of
 * {@code ConversationsApi} and {@code SubscriptionsApi} with the spec's models; every error Infobip's legacy
 * {@code {"requestError":{"serviceException":{"messageId","text"}}}}; a CLOSED conversation answers every write (PATCH,
 * PUT, assignee PUT/DELETE, route, tags, notes, messages) 400 BAD_REQUEST "Closed conversation cannot be changed";
 * an unknown tag 400 NOT_FOUND "Invalid tagName '...' given! No such entity exists."; a duplicate tag 400 "Tag already
 * exists."; a text over 4096 characters 400 with {@code validationErrors.content}. Events go only to the
 * {@code notifyUrl} of a subscription that lists them, with its BASIC credentials, as {@code {"type","timestamp",
 * "payload"}} (CONVERSATION_MESSAGE_RECEIVED is posted as type INBOUND_MESSAGE); asynchronously, in order, one retry.
 *
 * <p>Choices where the specs are silent:
 * <ul>
 * <li>An unknown conversation or agent: 404 NOT_FOUND (the spec lists 404; its 400 example's text is kept).</li>
 * <li>A closed conversation is refused before the body is read.</li>
 * <li>{@code POST .../messages}: {@code x-agent-id} is required while the conversation is assigned (400 without it);
 * an agent who is not the assignee is refused 400 BAD_REQUEST "Agent '..' is not the assignee of conversation .."
 * (not 403: Infobip's 403 means a key without the scope, and Parley reads it so). Without an assignee, a known agent
 * may write, or no one (then the author is SYSTEM). {@code channel}, {@code from}, {@code to} must be the
 * conversation's; only {@code contentType} TEXT is taken. The AI agent's messages are authored BOT, others AGENT.</li>
 * <li>A second subscription with the same {@code subscriptionId}: 400 BAD_REQUEST (the spec documents no 409). Only
 * BASIC security (or none) is taken; channels other than CUSTOMER_ENGAGEMENT answer 404.</li>
 * <li>Assignment and status events are posted only when the value changes. Routing finds no one: the conversation
 * stays unassigned in its queue. Tag names are case-sensitive.</li>
 * <li>The webhook's message has no content type in the spec: {@code contentType} is added as the API's message model
 * has it (TEXT, IMAGE). An image's {@code content.url} is {@code /ccaas/1/media/{id}} behind the key, answered with a
 * 302 to a short-lived {@code /cdn/{token}} link, like the WhatsApp stand-in's media.</li>
 * </ul>
 *
 * <p>The agent console, for demos and tests, behind the same API key (as the WhatsApp stand-in's customer side; the
 * sandbox's paths are public, and the console posts to Parley with its webhook credentials):
 * {@code POST /console/conversations} (a customer starts a conversation), {@code POST /console/conversations/{id}/
 * messages|assign|status}, {@code GET /console/conversations[/{id}]}, {@code GET /console/subscriptions}.
 *
 * <p>Agents: the configured AI agent (a bot) and {@value #HUMAN_AGENT}. Everything is in memory and bounded.
 * Thread-safe: one lock guards the state, and no lock is held while posting.
 */
public final class ConversationsSandbox implements AutoCloseable {

    /** Delay before an event is posted. */
    public static final Duration EVENT_DELAY = Duration.ofMillis(200);
    /** Delay before the one retry of a failed post. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(2);
    /** How long a customer's file can be downloaded. */
    public static final Duration MEDIA_TTL = MediaShelf.MEDIA_TTL;
    /** How long a CDN link of a download works. */
    public static final Duration CDN_TTL = MediaShelf.CDN_TTL;
    /** The human agent who can take a conversation over. */
    public static final String HUMAN_AGENT = "agent-ana";
    /** The business's address on every channel: the {@code to} of the customer's messages. */
    public static final String SENDER = "447860099299";
    /** The queue new conversations are in. */
    public static final String QUEUE_ID = "sandbox-queue";

    static final int MAX_CONVERSATIONS = 1000;
    static final int MAX_MESSAGES = 200;
    static final int MAX_NOTES = 100;
    static final int MAX_EVENTS = 200;
    static final int MAX_TAGS = 1000;
    static final int MAX_CONVERSATION_TAGS = 100;
    static final int MAX_SUBSCRIPTIONS = 10;
    static final int MAX_OUTBOX = 1000;
    static final int MAX_BODY = 256 * 1024;
    static final int MAX_TEXT = 4096;
    static final int MAX_NOTE = 4000;

    static final String CHANNEL = "CUSTOMER_ENGAGEMENT";
    /** The spec's {@code SimpleCustomerEngagementEvents}. */
    static final Set<String> EVENT_NAMES = Set.of("CONVERSATION_ASSIGNMENT_UPDATED", "CONVERSATION_CREATED",
            "CONVERSATION_MESSAGE_DELETED", "CONVERSATION_MESSAGE_RECEIVED", "CONVERSATION_MESSAGE_UPDATED",
            "CONVERSATION_STATUS_UPDATED");
    /** The spec's {@code CreateMessageApiRequest.channel}. */
    static final Set<String> CHANNELS = Set.of("SMS", "VIBER", "FACEBOOK_MESSENGER", "WHATSAPP", "RCS", "LIVE_CHAT",
            "LINE", "APPLE_BUSINESS_CHAT", "EMAIL", "TELEGRAM", "INSTAGRAM_MESSAGING", "KAKAO_SANGDAM", "VIBER_BOT");
    static final Set<String> STATUSES = Set.of("OPEN", "WAITING", "SOLVED", "CLOSED");
    static final Set<String> PRIORITIES = Set.of("URGENT", "HIGH", "NORMAL", "LOW");

    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9._]{1,100}");
    private static final Pattern URL_SAFE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,255}");
    private static final Pattern ADDRESS = Pattern.compile("[^\\s\\p{Cntrl}]{1,150}");

    /** One event on its way to one subscription's URL. */
    private static final class Delivery {
        final Subscription to;
        final String json;
        final EventRecord record;
        int attempts;

        Delivery(Subscription to, String json, EventRecord record) {
            this.to = to;
            this.json = json;
            this.record = record;
        }
    }

    private final ConnectionContext ctx;
    private final byte[] keyDigest;
    private final String aiAgentId;
    private final StandIn.Poster poster;
    private final Object lock = new Object();
    // Guarded by lock:
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Conversation> conversations = bounded(MAX_CONVERSATIONS);
    private final Map<String, Tag> tags = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Deque<Delivery> outbox = new ArrayDeque<>();
    private boolean draining;
    private final MediaShelf media;

    private final ScheduledPosts scheduled;
    private volatile Duration eventDelay = EVENT_DELAY;
    private volatile Duration retryDelay = RETRY_DELAY;

    /** A sandbox that accepts {@code Authorization: App <apiKey>}, whose AI agent (a bot) is {@code aiAgentId}. */
    public ConversationsSandbox(ConnectionContext ctx, String apiKey, String aiAgentId) {
        this(ctx, apiKey, aiAgentId, new StandIn.JsonPoster());
    }

    ConversationsSandbox(ConnectionContext ctx, String apiKey, String aiAgentId, StandIn.Poster poster) {
        this.ctx = ctx;
        this.media = new MediaShelf(() -> ctx.clock().instant());
        this.keyDigest = sha256(apiKey);
        this.aiAgentId = aiAgentId;
        this.poster = poster;
        this.scheduled = new ScheduledPosts(ctx, "an event post");
        agents.put(HUMAN_AGENT, new Agent(HUMAN_AGENT, "Ana (human agent)", false, "ana@sandbox.example"));
        agents.put(aiAgentId, new Agent(aiAgentId, "Parley AI agent", true, null)); // wins over a clash
    }

    /** Handles one call; see {@link dev.parley.spi.SandboxApi#handle}. */
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String p = path == null || path.isEmpty() ? "/" : path;
        int q = p.indexOf('?');
        Map<String, String> query = q >= 0 ? query(p.substring(q + 1)) : Map.of();
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
        if (s.length >= 3 && s[0].equals("ccaas") && s[1].equals("1")) return ccaas(m, p, s, query, headers, b);
        if (s.length >= 4 && s[0].equals("subscriptions") && s[1].equals("1") && s[2].equals("subscription")) {
            return subscriptions(m, p, s, query, b);
        }
        if (s.length == 4 && s[0].equals("subscriptions") && s[1].equals("1") && s[2].equals("profiles")) {
            return m.equals("GET") ? profile(s[3]) : methodNotAllowed(m, p);
        }
        if (s.length >= 2 && s[0].equals("console")) return console(m, p, s, b);
        return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + printable(p));
    }

    /**
     * {@code GET /subscriptions/1/profiles/{profileId}}: the notification profile a subscription was created with (its
     * URL without the query, and the security's id only, never the credentials), as the spec's ProfileResponse.
     */
    private SandboxResponse profile(String profileId) {
        Subscription found;
        synchronized (lock) {
            found = subscriptions.values().stream().filter(x -> x.profileId().equals(profileId)).findFirst().orElse(null);
        }
        if (found == null) return legacyError(404, "NOT_FOUND", "Not found");
        var b = Jsons.BUILDERS.createObjectBuilder().add("profileId", found.profileId())
                .add("webhook", Jsons.BUILDERS.createObjectBuilder().add("contentType", "application/json")
                        .add("notifyUrl", found.notifyUrl().toString()));
        if (found.authId() != null) b.add("security", Jsons.BUILDERS.createObjectBuilder().add("authId", found.authId()));
        return json(200, b.build());
    }

    private SandboxResponse ccaas(String m, String p, String[] s, Map<String, String> query,
                                  Map<String, List<String>> headers, byte[] b) {
        String what = s[2];
        if (what.equals("conversations") && s.length == 3) {
            return m.equals("GET") ? listConversations(query) : methodNotAllowed(m, p);
        }
        if (what.equals("conversations") && s.length == 4) {
            return switch (m) {
                case "GET" -> getConversation(s[3]);
                case "PATCH", "PUT" -> patchConversation(s[3], b);
                default -> methodNotAllowed(m, p);
            };
        }
        if (what.equals("conversations") && s.length == 5) {
            String id = s[3];
            switch (s[4]) {
                case "messages":
                    return m.equals("POST") ? postMessage(id, header(headers, "x-agent-id"), b) : methodNotAllowed(m, p);
                case "assignee":
                    if (m.equals("PUT")) return putAssignee(id, b);
                    return m.equals("DELETE") ? unassign(id, false) : methodNotAllowed(m, p);
                case "route":
                    return m.equals("POST") ? unassign(id, true) : methodNotAllowed(m, p);
                case "tags":
                    return m.equals("POST") ? addTag(id, b) : methodNotAllowed(m, p);
                case "notes":
                    return m.equals("POST") ? addNote(id, b) : methodNotAllowed(m, p);
                default:
                    break;
            }
        }
        if (what.equals("tags") && s.length == 3) {
            if (m.equals("GET")) return listTags(query);
            return m.equals("POST") ? createTag(b) : methodNotAllowed(m, p);
        }
        if (what.equals("agents") && s.length == 4) return m.equals("GET") ? getAgent(s[3]) : methodNotAllowed(m, p);
        if (what.equals("media") && s.length == 4) {
            return m.equals("GET") || m.equals("HEAD") ? mediaDownload(m, s[3]) : methodNotAllowed(m, p);
        }
        return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + printable(p));
    }

    // ---- conversations --------------------------------------------------------------------------

    private SandboxResponse listConversations(Map<String, String> query) {
        Long limit = number(query, "limit", 10);
        Long page = number(query, "page", 0);
        if (limit == null || page == null) return invalidBody();
        if (limit < 0 || page < 0) return legacyError(400, "BAD_REQUEST", "Page size has to be bigger or equal to zero!");
        if (limit > 999) return badRequest(Map.of("limit", List.of("must be less than or equal to 999")));
        String status = query.get("status");
        String agentId = query.get("agentId");
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        long total;
        synchronized (lock) {
            List<Conversation> all = newestFirst().stream()
                    .filter(c -> status == null || c.status.equalsIgnoreCase(status))
                    .filter(c -> agentId == null || agentId.equals(c.agentId)).toList();
            total = all.size();
            all.stream().skip(page * limit).limit(limit).forEach(c -> list.add(ConversationsSandboxModel.conversation(c)));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("conversations", list)
                .add("pagination", ConversationsSandboxModel.pagination(total, page, limit, "createdAt:DESC")).build());
    }

    private SandboxResponse getConversation(String id) {
        synchronized (lock) {
            Conversation c = conversations.get(id);
            return c == null ? notFound(id) : json(200, ConversationsSandboxModel.conversation(c));
        }
    }

    /** PATCH (and PUT) {@code {status?, queueId?, agentId?, topic?, summary?, priority?}}; agent first, then status. */
    private SandboxResponse patchConversation(String id, byte[] body) {
        return onOpenConversation(id, body, (c, request, v) -> {
            String status = optional(request, "status", "status", 20, v);
            if (status != null && !STATUSES.contains(status)) violate(v, "status", "must be one of " + sorted(STATUSES));
            String priority = optional(request, "priority", "priority", 20, v);
            if (priority != null && !PRIORITIES.contains(priority)) violate(v, "priority", "must be one of " + sorted(PRIORITIES));
            String queueId = optional(request, "queueId", "queueId", 255, v);
            String topic = optional(request, "topic", "topic", 1000, v);
            String summary = optional(request, "summary", "summary", 4000, v);
            boolean agentGiven = request.containsKey("agentId");
            String agentId = optional(request, "agentId", "agentId", 255, v);
            return () -> {
                if (agentId != null && !agents.containsKey(agentId)) return agentNotFound(agentId);
                Instant now = now();
                if (queueId != null && !queueId.isBlank()) c.queueId = queueId;
                if (topic != null) c.topic = topic;
                if (summary != null) c.summary = summary;
                if (priority != null) c.priority = priority;
                c.updatedAt = now;
                if (agentGiven) assign(c, agentId == null || agentId.isBlank() ? null : agentId, now);
                if (status != null) changeStatus(c, status, now);
                return json(200, ConversationsSandboxModel.conversation(c));
            };
        });
    }

    /** {@code POST .../messages} with {@code x-agent-id}: an agent's text to the customer. */
    private SandboxResponse postMessage(String id, String agentHeader, byte[] body) {
        return onOpenConversation(id, body, (c, request, v) -> {
            String channel = required(request, "channel", "channel", 64, v);
            if (channel != null && !channel.equals(c.channel)) violate(v, "channel", "must be this conversation's channel " + c.channel);
            String from = required(request, "from", "from", 255, v);
            if (from != null && !from.equals(SENDER)) {
                violate(v, "from", "must be this conversation's sender " + SENDER + " (the 'to' of the customer's messages)");
            }
            String to = required(request, "to", "to", 255, v);
            if (to != null && !to.equals(c.customerAddress)) {
                violate(v, "to", "must be this conversation's customer " + c.customerAddress + " (the 'from' of the customer's messages)");
            }
            String contentType = required(request, "contentType", "contentType", 64, v);
            if (contentType != null && !contentType.equals("TEXT")) violate(v, "contentType", "the sandbox sends only TEXT");
            JsonObject content = request.get("content") instanceof JsonObject o ? o : null;
            String text = content == null ? null : Jsons.string(content, "text");
            if (text == null || text.isBlank()) violate(v, "content", "must not be blank");
            else if (text.codePointCount(0, text.length()) > MAX_TEXT) {
                violate(v, "content", "size cannot be longer than " + MAX_TEXT + " characters.");
            }
            return () -> {
                SandboxResponse refused = authorRefused(c, agentHeader);
                if (refused != null) return refused;
                Agent author = agentHeader.isEmpty() ? null : agents.get(agentHeader);
                Instant now = now();
                Message sent = new Message(UUID.randomUUID().toString(), "OUTBOUND", c.channel, SENDER, c.customerAddress,
                        author == null ? "SYSTEM" : author.bot() ? "BOT" : "AGENT", author == null ? null : author.id(),
                        "TEXT", Jsons.BUILDERS.createObjectBuilder().add("text", text).build(), now);
                addBounded(c.messages, sent, MAX_MESSAGES);
                c.updatedAt = now;
                ctx.log().info("SANDBOX: conversation " + c.id + ": " + sent.authorType() + " " + printable(agentHeader)
                        + " wrote to the customer (no real message is sent)");
                return json(200, ConversationsSandboxModel.message(sent, c.id));
            };
        });
    }

    /** Who may write: the assignee only while there is one; any known agent (or no one) otherwise. Null when allowed. */
    private SandboxResponse authorRefused(Conversation c, String agentHeader) {
        if (c.agentId != null) {
            if (agentHeader.isEmpty()) {
                return legacyError(400, "BAD_REQUEST", "Header x-agent-id is required: conversation " + c.id
                        + " is assigned to agent " + c.agentId);
            }
            if (!agentHeader.equals(c.agentId)) {
                return legacyError(400, "BAD_REQUEST", "Agent '" + printable(agentHeader)
                        + "' is not the assignee of conversation " + c.id + " (it is assigned to " + c.agentId + ")");
            }
            return null;
        }
        return agentHeader.isEmpty() || agents.containsKey(agentHeader) ? null : agentNotFound(agentHeader);
    }

    private SandboxResponse putAssignee(String id, byte[] body) {
        return onOpenConversation(id, body, (c, request, v) -> {
            String agentId = required(request, "agentId", "agentId", 255, v);
            return () -> {
                if (!agents.containsKey(agentId)) return agentNotFound(agentId);
                assign(c, agentId, now());
                return json(200, ConversationsSandboxModel.conversation(c));
            };
        });
    }

    /** DELETE .../assignee, or POST .../route: no one is assigned; the conversation stays in its queue. */
    private SandboxResponse unassign(String id, boolean route) {
        return onOpenConversation(id, c -> {
            assign(c, null, now());
            if (route) ctx.log().info("SANDBOX: conversation " + c.id + " routed: no agent is free in the sandbox, it waits in its queue");
            return json(200, ConversationsSandboxModel.conversation(c));
        });
    }

    /** Under the lock: 404 for an unknown conversation, 400 for a closed one, else {@code then}'s answer. */
    private SandboxResponse onOpenConversation(String id, Function<Conversation, SandboxResponse> then) {
        synchronized (lock) {
            Conversation c = conversations.get(id);
            if (c == null) return notFound(id);
            if (c.closed()) return closedConversation();
            return then.apply(c);
        }
    }

    /**
     * A provider-side change to an open conversation, checked in this order: unknown conversation (404), closed
     * conversation, unparsable body, then the request's own problems ({@code badRequest}); then what it does.
     */
    private SandboxResponse onOpenConversation(String id, byte[] body, ConversationChange then) {
        JsonObject request = object(body);
        return onOpenConversation(id, c -> {
            if (request == null) return invalidBody();
            Map<String, List<String>> v = new LinkedHashMap<>();
            Supplier<SandboxResponse> change = then.validate(c, request, v);
            return v.isEmpty() ? change.get() : badRequest(v);
        });
    }

    /** A change of a conversation in two steps: the request's problems, then (if none) what it does and answers. */
    @FunctionalInterface
    private interface ConversationChange {
        /** Adds the request's problems to {@code v}; returns what to do when it has none. */
        Supplier<SandboxResponse> validate(Conversation c, JsonObject request, Map<String, List<String>> v);
    }

    // ---- tags, notes, agents --------------------------------------------------------------------

    private SandboxResponse listTags(Map<String, String> query) {
        Long limit = number(query, "limit", 10);
        Long page = number(query, "page", 0);
        if (limit == null || page == null) return invalidBody();
        if (limit < 0 || page < 0) return legacyError(400, "BAD_REQUEST", "Page size has to be bigger or equal to zero!");
        String conversationId = query.get("conversationId");
        String name = query.get("name");
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        long total;
        synchronized (lock) {
            Conversation c = conversationId == null ? null : conversations.get(conversationId);
            if (conversationId != null && c == null) return notFound(conversationId);
            List<Tag> all = tags.values().stream()
                    .filter(t -> c == null || c.tags.contains(t.name()))
                    .filter(t -> name == null || t.name().equals(name)).toList();
            total = all.size();
            all.stream().skip(page * limit).limit(limit).forEach(t -> list.add(ConversationsSandboxModel.tag(t)));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("tags", list)
                .add("pagination", ConversationsSandboxModel.pagination(total, page, limit, "createdAt:ASC")).build());
    }

    private SandboxResponse createTag(byte[] body) {
        JsonObject request = object(body);
        if (request == null) return invalidBody();
        Map<String, List<String>> v = new LinkedHashMap<>();
        String name = required(request, "name", "name", 100, v);
        if (name != null && !TAG_NAME.matcher(name).matches()) {
            violate(v, "name", "only numbers, uppercase and lowercase letters, '.' and '_' are allowed");
        }
        if (!v.isEmpty()) return badRequest(v);
        synchronized (lock) {
            if (tags.containsKey(name)) return legacyError(400, "BAD_REQUEST", "Tag already exists.");
            if (tags.size() >= MAX_TAGS) return legacyError(400, "BAD_REQUEST", "The sandbox holds at most " + MAX_TAGS + " tags");
            Tag t = new Tag(UUID.randomUUID().toString(), name, now());
            tags.put(name, t);
            // As the spec's example has it (its schema, CreateTagApiRequest, has only the name).
            return json(200, Jsons.BUILDERS.createObjectBuilder().add("name", name)
                    .add("createdAt", ConversationsSandboxModel.tag(t).getString("createdAt")).build());
        }
    }

    /** Only an existing tag; adding one the conversation has is harmless. No event (none is subscribed to). */
    private SandboxResponse addTag(String id, byte[] body) {
        return onOpenConversation(id, body, (c, request, v) -> {
            String name = required(request, "tagName", "tagName", 100, v);
            return () -> {
                if (!tags.containsKey(name)) {
                    return legacyError(400, "NOT_FOUND", "Invalid tagName '" + printable(name) + "' given! No such entity exists.");
                }
                if (!c.tags.contains(name) && c.tags.size() >= MAX_CONVERSATION_TAGS) {
                    return legacyError(400, "BAD_REQUEST", "A sandbox conversation holds at most " + MAX_CONVERSATION_TAGS + " tags");
                }
                if (c.tags.add(name)) c.updatedAt = now();
                return json(200, Jsons.BUILDERS.createObjectBuilder()
                        .add("statusCode", "SUCCESS").add("message", "Tag added to conversation successfully.").build());
            };
        });
    }

    /**
     * {@code {"type":"INTERNAL","content":{"text":"..."},"agentId"?}}: the content an object with its text, as the spec's
     * schema ({@code NoteContent}: object) and its attachment example have it, or a string, as its text example has it;
     * at most 4000 characters either way.
     */
    private SandboxResponse addNote(String id, byte[] body) {
        return onOpenConversation(id, body, (c, request, v) -> {
            String type = optional(request, "type", "type", 20, v);
            if (type != null && !type.equals("INTERNAL")) violate(v, "type", "the sandbox takes only INTERNAL notes");
            String content = request.get("content") instanceof JsonObject o
                    ? required(o, "text", "content.text", Integer.MAX_VALUE, v)
                    : required(request, "content", "content", Integer.MAX_VALUE, v);
            if (content != null && content.codePointCount(0, content.length()) > MAX_NOTE) {
                violate(v, "content", "size must be between 0 and " + MAX_NOTE);
            }
            String agentId = optional(request, "agentId", "agentId", 255, v);
            return () -> {
                if (agentId != null && !agents.containsKey(agentId)) return agentNotFound(agentId);
                Note note = new Note(UUID.randomUUID().toString(), agentId, content, now());
                addBounded(c.notes, note, MAX_NOTES);
                return json(200, ConversationsSandboxModel.note(note, c.id));
            };
        });
    }

    private SandboxResponse getAgent(String agentId) {
        synchronized (lock) {
            Agent a = agents.get(agentId);
            return a == null ? agentNotFound(agentId) : json(200, ConversationsSandboxModel.agent(a));
        }
    }

    // ---- subscriptions --------------------------------------------------------------------------

    private SandboxResponse subscriptions(String m, String p, String[] s, Map<String, String> query, byte[] b) {
        if (s.length > 5) return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + printable(p));
        if (!s[3].equals(CHANNEL)) {
            return legacyError(404, "NOT_FOUND", "Not found: the sandbox stands in for channel " + CHANNEL + " only");
        }
        if (s.length == 5) return m.equals("DELETE") ? deleteSubscription(s[4]) : methodNotAllowed(m, p);
        if (m.equals("GET")) return listSubscriptions(query);
        return m.equals("POST") ? createSubscription(b) : methodNotAllowed(m, p);
    }

    private SandboxResponse listSubscriptions(Map<String, String> query) {
        Long page = number(query, "page", 0);
        Long size = number(query, "size", 20);
        Map<String, List<String>> v = new LinkedHashMap<>();
        if (page == null || page < 0) violate(v, "page", "must be greater than or equal to 0");
        if (size == null || size < 1 || size > 100) violate(v, "size", "must be between 1 and 100");
        if (!v.isEmpty()) return badRequest(v);
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        int total;
        synchronized (lock) {
            List<Subscription> all = new ArrayList<>(subscriptions.values());
            java.util.Collections.reverse(all); // newest first, as Infobip sorts them
            total = all.size();
            all.stream().skip(page * size).limit(size).forEach(x -> list.add(ConversationsSandboxModel.subscription(x)));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("results", list)
                .add("paging", Jsons.BUILDERS.createObjectBuilder().add("page", page).add("size", size)
                        .add("totalPages", (total + size - 1) / size).add("totalResults", total))
                .build());
    }

    /** The body {@code ConversationsRequests.subscription} makes: profile and BASIC security inline. */
    private SandboxResponse createSubscription(byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        String id = optional(request, "subscriptionId", "subscriptionId", 255, v);
        if (id != null && !URL_SAFE_ID.matcher(id).matches()) {
            violate(v, "subscriptionId", "must not include any characters that require URL encoding");
        }
        if (id == null) id = UUID.randomUUID().toString();
        String name = optional(request, "name", "name", 255, v);
        List<String> events = events(request, v);
        JsonObject profile = requiredObject(request, "profile", "profile", v);
        String profileId = profile == null ? null : optional(profile, "profileId", "profile.profileId", 255, v);
        JsonObject webhook = profile == null ? null : requiredObject(profile, "webhook", "profile.webhook", v);
        String notify = webhook == null ? null : required(webhook, "notifyUrl", "profile.webhook.notifyUrl", 512, v);
        URI notifyUrl = notify == null ? null : httpUrl(notify);
        if (notify != null && notifyUrl == null) violate(v, "profile.webhook.notifyUrl", "must be an http(s) URL");
        JsonObject security = profile == null ? null : Jsons.object(profile, "security");
        String authId = null;
        String type = null;
        String username = null;
        String authorization = null;
        if (security != null) {
            authId = required(security, "authId", "profile.security.authId", 255, v);
            type = optional(security, "type", "profile.security.type", 20, v);
            if (type == null || !type.equals("BASIC")) {
                violate(v, "profile.security.type", "the sandbox signs its posts only with BASIC");
            }
            JsonObject credentials = requiredObject(security, "credentials", "profile.security.credentials", v);
            username = credentials == null ? null : required(credentials, "username", "profile.security.credentials.username", 255, v);
            String password = credentials == null ? null : required(credentials, "password", "profile.security.credentials.password", 255, v);
            if (username != null && password != null) {
                authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!v.isEmpty()) return badRequest(v);
        Subscription created = new Subscription(id, name == null ? id : name, events,
                profileId == null ? id : profileId, authId, notifyUrl, type, username, authorization);
        synchronized (lock) {
            if (subscriptions.containsKey(id)) {
                return legacyError(400, "BAD_REQUEST", "Subscription '" + printable(id) + "' already exists");
            }
            if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
                return legacyError(400, "BAD_REQUEST", "The sandbox holds at most " + MAX_SUBSCRIPTIONS + " subscriptions");
            }
            subscriptions.put(id, created);
        }
        ctx.log().info("SANDBOX: subscription " + printable(id) + " created: " + String.join(", ", events) + " to "
                + withoutQuery(notifyUrl));
        return new SandboxResponse(201, ConversationsSandboxModel.idOnly(created).toString(),
                Map.of("Location", base() + "/subscriptions/1/subscription/" + CHANNEL + "/" + id));
    }

    private static List<String> events(JsonObject request, Map<String, List<String>> v) {
        JsonValue value = request.get("events");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) return List.of();
        if (!(value instanceof JsonArray array)) {
            violate(v, "events", "must be an array");
            return List.of();
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) instanceof JsonString e && EVENT_NAMES.contains(e.getString())) events.add(e.getString());
            else violate(v, "events[" + i + "]", "must be one of " + sorted(EVENT_NAMES));
        }
        return List.copyOf(events);
    }

    private SandboxResponse deleteSubscription(String id) {
        Subscription removed;
        synchronized (lock) {
            removed = subscriptions.remove(id);
        }
        if (removed == null) return legacyError(404, "NOT_FOUND", "Not found");
        ctx.log().info("SANDBOX: subscription " + printable(id) + " deleted");
        return json(200, ConversationsSandboxModel.idOnly(removed));
    }

    // ---- the agent console ----------------------------------------------------------------------

    private SandboxResponse console(String m, String p, String[] s, byte[] b) {
        if (s.length == 2 && s[1].equals("subscriptions")) return m.equals("GET") ? consoleSubscriptions() : methodNotAllowed(m, p);
        if (s.length == 2 && s[1].equals("conversations")) {
            if (m.equals("GET")) return consoleList();
            return m.equals("POST") ? consoleStart(b) : methodNotAllowed(m, p);
        }
        if (s.length == 3 && s[1].equals("conversations")) return m.equals("GET") ? consoleView(s[2]) : methodNotAllowed(m, p);
        if (s.length == 4 && s[1].equals("conversations")) {
            if (!m.equals("POST")) return methodNotAllowed(m, p);
            return switch (s[3]) {
                case "messages" -> consoleCustomerWrites(s[2], b);
                case "assign" -> consoleAssign(s[2], b);
                case "status" -> consoleStatus(s[2], b);
                default -> legacyError(404, "NOT_FOUND", "Unknown console action '" + printable(s[3]) + "' (messages, assign, status)");
            };
        }
        return legacyError(404, "NOT_FOUND", "Requested URL not found: " + m + " " + printable(p));
    }

    /**
     * {@code POST /console/conversations {"from","name"?,"text","channel"?,"assignTo"?,"image"?}}: a customer starts a
     * conversation; CONVERSATION_CREATED, then the message.
     */
    private SandboxResponse consoleStart(byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        String from = required(request, "from", "from", 151, v);
        if (from != null && from.startsWith("+")) from = from.substring(1); // Infobip writes numbers without '+'
        if (from != null && !ADDRESS.matcher(from).matches()) violate(v, "from", "must be 1..150 characters without spaces");
        String name = optional(request, "name", "name", 256, v);
        String channel = optional(request, "channel", "channel", 64, v);
        if (channel == null) channel = "WHATSAPP";
        else if (!CHANNELS.contains(channel)) violate(v, "channel", "must be one of " + sorted(CHANNELS));
        String assignTo = request.containsKey("assignTo") ? optional(request, "assignTo", "assignTo", 255, v) : aiAgentId;
        JsonObject content = customerContent(request, v);
        if (!v.isEmpty()) return badRequest(v);
        synchronized (lock) {
            if (assignTo != null && !agents.containsKey(assignTo)) return agentNotFound(assignTo);
            Conversation c = start(channel, from, name, assignTo);
            Message message = customerWrote(c, content);
            return consoleAnswer(c, message, true, null);
        }
    }

    /**
     * {@code POST /console/conversations/{id}/messages {"text","image"?}}: the customer writes again. SOLVED or WAITING
     * is reopened (the status event first); a CLOSED conversation is not: the message starts a new one.
     */
    private SandboxResponse consoleCustomerWrites(String id, byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        JsonObject content = customerContent(request, v);
        if (!v.isEmpty()) return badRequest(v);
        synchronized (lock) {
            Conversation c = conversations.get(id);
            if (c == null) return notFound(id);
            Conversation previous = null;
            if (c.closed()) {
                previous = c;
                c = start(previous.channel, previous.customerAddress, previous.customerName, aiAgentId);
                c.predecessorId = previous.id;
                previous.successorId = c.id;
            } else if (!c.status.equals("OPEN")) {
                changeStatus(c, "OPEN", now());
            }
            return consoleAnswer(c, customerWrote(c, content), previous != null, previous);
        }
    }

    /** {@code POST /console/conversations/{id}/assign {"agentId": "agent-ana" | <AI agent> | null}}. */
    private SandboxResponse consoleAssign(String id, byte[] body) {
        JsonObject request = object(body);
        if (request == null || !request.containsKey("agentId")) {
            return badRequest(Map.of("agentId", List.of("must be present: an agent id, or null to unassign")));
        }
        Map<String, List<String>> v = new LinkedHashMap<>();
        String agentId = optional(request, "agentId", "agentId", 255, v);
        if (!v.isEmpty()) return badRequest(v);
        return onOpenConversation(id, c -> {
            if (agentId != null && !agents.containsKey(agentId)) return agentNotFound(agentId);
            assign(c, agentId, now());
            return json(200, ConversationsSandboxModel.view(c, agents));
        });
    }

    /** {@code POST /console/conversations/{id}/status {"status":"OPEN|WAITING|SOLVED|CLOSED"}}. */
    private SandboxResponse consoleStatus(String id, byte[] body) {
        JsonObject request = object(body);
        if (request == null) return badRequest(Map.of("body", List.of("must be a JSON object")));
        Map<String, List<String>> v = new LinkedHashMap<>();
        String status = required(request, "status", "status", 20, v);
        if (status != null && !STATUSES.contains(status)) violate(v, "status", "must be one of " + sorted(STATUSES));
        if (!v.isEmpty()) return badRequest(v);
        return onOpenConversation(id, c -> {
            changeStatus(c, status, now());
            return json(200, ConversationsSandboxModel.view(c, agents));
        });
    }

    private SandboxResponse consoleView(String id) {
        synchronized (lock) {
            Conversation c = conversations.get(id);
            return c == null ? notFound(id) : json(200, ConversationsSandboxModel.view(c, agents));
        }
    }

    private SandboxResponse consoleList() {
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        synchronized (lock) {
            newestFirst().forEach(c -> list.add(ConversationsSandboxModel.view(c, agents)));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("conversations", list).build());
    }

    private SandboxResponse consoleSubscriptions() {
        JsonArrayBuilder list = Jsons.BUILDERS.createArrayBuilder();
        synchronized (lock) {
            subscriptions.values().forEach(x -> list.add(ConversationsSandboxModel.shownSubscription(x)));
        }
        return json(200, Jsons.BUILDERS.createObjectBuilder().add("subscriptions", list).build());
    }

    /** The customer's message content: {@code text}, or with {@code "image":true} a PNG whose caption is the text. */
    private JsonObject customerContent(JsonObject request, Map<String, List<String>> v) {
        JsonValue image = request.get("image");
        boolean isImage = image == JsonValue.TRUE;
        if (image != null && image != JsonValue.TRUE && image != JsonValue.FALSE && image != JsonValue.NULL) {
            violate(v, "image", "must be a boolean");
        }
        String text = isImage ? optional(request, "text", "text", 3000, v) : required(request, "text", "text", MAX_TEXT, v);
        if (!v.isEmpty()) return null;
        if (!isImage) return Jsons.BUILDERS.createObjectBuilder().add("text", text).build();
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("url", base() + "/ccaas/1/media/" + storeMedia());
        if (text != null && !text.isBlank()) b.add("caption", text);
        return b.build();
    }

    private SandboxResponse consoleAnswer(Conversation c, Message message, boolean started, Conversation previous) {
        JsonObjectBuilder answer = Jsons.BUILDERS.createObjectBuilder()
                .add("conversationId", c.id).add("messageId", message.id()).add("newConversation", started);
        if (previous != null) {
            answer.add("previousConversationId", previous.id).add("note", "conversation " + previous.id
                    + " is CLOSED, so the customer's message started the new conversation " + c.id);
        }
        if (subscriptions.isEmpty()) answer.add("warning", "no subscription: no event was posted");
        return json(200, answer.add("conversation", ConversationsSandboxModel.view(c, agents)).build());
    }

    // ---- state changes and their events (all under the lock) ------------------------------------

    private Conversation start(String channel, String from, String name, String assignTo) {
        Instant now = now();
        String customerId = UUID.nameUUIDFromBytes(("customer:" + channel + ":" + from).getBytes(StandardCharsets.UTF_8)).toString();
        Conversation c = new Conversation(UUID.randomUUID().toString(), channel, from, name, customerId, now);
        c.queueId = QUEUE_ID;
        c.agentId = assignTo;
        c.topic = "Sandbox conversation with " + (name == null || name.isBlank() ? from : name);
        conversations.put(c.id, c);
        emit(c, "CONVERSATION_CREATED", null, now);
        return c;
    }

    private Message customerWrote(Conversation c, JsonObject content) {
        Instant now = now();
        Message m = new Message(UUID.randomUUID().toString(), "INBOUND", c.channel, c.customerAddress, SENDER,
                "CUSTOMER", c.customerId, content.containsKey("url") ? "IMAGE" : "TEXT", content, now);
        addBounded(c.messages, m, MAX_MESSAGES);
        c.updatedAt = now;
        emit(c, "CONVERSATION_MESSAGE_RECEIVED", m, now);
        return m;
    }

    private void assign(Conversation c, String agentId, Instant now) {
        if (Objects.equals(c.agentId, agentId)) return;
        c.agentId = agentId;
        c.updatedAt = now;
        emit(c, "CONVERSATION_ASSIGNMENT_UPDATED", null, now);
    }

    private void changeStatus(Conversation c, String status, Instant now) {
        if (c.status.equals(status)) return;
        c.status = status;
        c.updatedAt = now;
        if (status.equals("CLOSED")) c.closedAt = now;
        emit(c, "CONVERSATION_STATUS_UPDATED", null, now);
    }

    /** Queues the event for every subscription that lists it; the payload is the conversation as it is now. */
    private void emit(Conversation c, String event, Message inbound, Instant now) {
        String type = event.equals("CONVERSATION_MESSAGE_RECEIVED") ? "INBOUND_MESSAGE" : event;
        String json = null;
        for (Subscription s : subscriptions.values()) {
            if (!s.events().contains(event)) continue;
            if (json == null) json = ConversationsSandboxModel.envelope(type, now, c, agents, tags, inbound);
            EventRecord record = new EventRecord(type, s.id(), now);
            addBounded(c.events, record, MAX_EVENTS);
            if (outbox.size() >= MAX_OUTBOX) {
                record.status = "NOT POSTED: more than " + MAX_OUTBOX + " events waiting";
                continue;
            }
            outbox.addLast(new Delivery(s, json, record));
        }
        if (!outbox.isEmpty() && !draining) {
            draining = true;
            if (!scheduled.schedule(this::drain, eventDelay)) draining = false;
        }
    }

    // ---- posting events -------------------------------------------------------------------------

    /** Posts queued events in order, one at a time, without the lock; a failed post is retried once. */
    private void drain() {
        while (!scheduled.closed()) {
            Delivery d;
            synchronized (lock) {
                d = outbox.peekFirst();
                if (d == null) {
                    draining = false;
                    return;
                }
                d.attempts++;
            }
            String outcome = post(d);
            boolean delivered = outcome.startsWith("DELIVERED");
            synchronized (lock) {
                if (delivered || d.attempts >= 2) {
                    outbox.pollFirst();
                    d.record.status = delivered ? outcome : "FAILED (" + outcome + ")";
                } else {
                    d.record.status = "RETRYING (" + outcome + ")";
                    if (!scheduled.schedule(this::drain, retryDelay)) draining = false;
                    return;
                }
            }
        }
    }

    private String post(Delivery d) {
        String shown = withoutQuery(d.to.notifyUrl());
        try {
            int status = poster.post(d.to.notifyUrl(), d.json, d.to.authorization());
            if (status >= 200 && status < 300) return "DELIVERED (HTTP " + status + ")";
            ctx.log().warn("SANDBOX: " + d.record.type + " post to " + shown + " answered HTTP " + status);
            return "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled by close()
            return "interrupted";
        } catch (IOException | RuntimeException e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            ctx.log().warn("SANDBOX: could not post the " + d.record.type + " event to " + shown + ": " + why);
            return why;
        }
    }

    /** Cancels the posts not yet made; idempotent. */
    @Override
    public void close() {
        scheduled.close();
    }

    /** Shorter delays for tests. */
    void delays(Duration event, Duration retry) {
        this.eventDelay = event;
        this.retryDelay = retry;
    }

    /** Events queued and not yet posted (or given up). */
    int pendingEvents() {
        synchronized (lock) {
            return outbox.size();
        }
    }

    // ---- media: GET/HEAD /ccaas/1/media/{id} (API key), GET /cdn/{token} (none) ------------------

    private String storeMedia() {
        return media.store("", "image/png", "sandbox-image.png", SandboxFiles.PNG);
    }

    private SandboxResponse mediaDownload(String method, String mediaId) {
        MediaShelf.File found = media.live(mediaId);
        if (found == null) return legacyError(404, "NOT_FOUND", "Media not found or expired");
        return media.download(method, mediaId, found, base());
    }

    /** The link is the credential, as a pre-signed CDN URL. */
    private SandboxResponse cdn(String method, String token) {
        if (!method.equals("GET") && !method.equals("HEAD")) return methodNotAllowed(method, "/cdn/...");
        SandboxResponse file = media.cdn(method, token);
        return file != null ? file : legacyError(404, "NOT_FOUND", "Link not found or expired");
    }

    // ---- small helpers --------------------------------------------------------------------------

    /** The name of a queue: the sandbox's one, or its id. */
    static String queueName(String queueId) {
        return QUEUE_ID.equals(queueId) ? "Sandbox queue" : queueId;
    }

    /** Conversations are kept in the order they were started. */
    private List<Conversation> newestFirst() {
        List<Conversation> all = new ArrayList<>(conversations.values());
        java.util.Collections.reverse(all);
        return all;
    }

    private static SandboxResponse notFound(String id) {
        return legacyError(404, "NOT_FOUND", "Invalid id '" + printable(id) + "' given! No such entity exists.");
    }

    private static SandboxResponse agentNotFound(String agentId) {
        return legacyError(404, "NOT_FOUND", "Invalid agent id given '" + printable(agentId) + "'");
    }

    private static SandboxResponse closedConversation() {
        return legacyError(400, "BAD_REQUEST", "Closed conversation cannot be changed");
    }

    private static SandboxResponse invalidBody() {
        return legacyError(400, "BAD_REQUEST", "Invalid request body.");
    }

    private static <T> void addBounded(Deque<T> d, T item, int max) {
        d.addLast(item);
        while (d.size() > max) d.removeFirst();
    }

    /** A query number; {@code fallback} when absent, null when not a number. */
    private static Long number(Map<String, String> query, String key, long fallback) {
        String s = query.get(key);
        if (s == null || s.isBlank()) return fallback;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }

    private Instant now() {
        return ctx.clock().instant();
    }

    private String base() {
        String b = ctx.sandboxUrl().toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }
}
