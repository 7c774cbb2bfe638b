package dev.parley.zendesk.sandbox;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.SandboxHeaders;
import dev.parley.zendesk.ZendeskSettings;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A built-in, in-memory stand-in for the Zendesk endpoints Parley calls ({@code base-url=sandbox}), so a
 * newcomer can watch a handoff become a ticket and an agent's reply reach the customer without a Zendesk
 * account. Served by the runtime at {@code <public-url>/sandbox/<connectionId>/...}; the connection calls it
 * over HTTP exactly like Zendesk.
 *
 * <p>Zendesk endpoints (below {@code /api/v2}, {@code .json} suffix optional), all needing
 * {@code Authorization: Basic base64("<email>/token:<api-token>")} of the connection's settings, else
 * {@code 401 {"error":"Couldn't authenticate you"}} ({@code users/me} without any Authorization answers the
 * anonymous user, like Zendesk): {@code users/me}, {@code users/create_or_update}, {@code users/{id}},
 * {@code tickets} (GET {@code ?external_id=}, POST with {@code Idempotency-Key}), {@code tickets/{id}} (GET,
 * PUT), {@code tickets/{id}/tags}, {@code tickets/{id}/comments?sort_order=}, {@code webhooks},
 * {@code webhooks/{id}}, {@code webhooks/{id}/signing_secret}, {@code triggers}, {@code triggers/{id}},
 * {@code help_center/incremental/articles?start_time=}.
 *
 * <p>Sandbox-only "agent console" endpoints (same Authorization), standing in for a human agent and for a
 * customer who writes to the help desk directly:
 * <ul>
 *   <li>{@code GET /agent/tickets}: every ticket with its comments;</li>
 *   <li>{@code GET /agent/tickets/{id}}: {@code {"ticket":{...,"comments":[...]}}}, the ticket link a handoff
 *       records ({@code <base-url>/agent/tickets/<id>}, as Zendesk's agent view); without credentials the
 *       console answers 401 with {@code WWW-Authenticate: Basic}, so a browser asks for them;</li>
 *   <li>{@code POST /agent/tickets/{id}/reply} {@code {"text":"...","public":true,"agent":"Dana"}}: a comment
 *       by that agent (created on first use); {@code public:false} makes an internal note;</li>
 *   <li>{@code POST /agent/tickets/{id}/solve} (optional {@code {"agent":"Dana"}}): sets the status to solved;</li>
 *   <li>{@code POST /agent/tickets} {@code {"subject":"...","text":"...","email":"..."}}: a customer's own
 *       ticket (for assist mode);</li>
 *   <li>{@code POST /agent/tickets/{id}/customer-comment} {@code {"text":"..."}}: a public comment by the
 *       requester.</li>
 * </ul>
 *
 * <p>After every change the registered triggers are evaluated ({@link SandboxTriggers}) and each firing
 * {@code notification_webhook} action is posted, signed, to its webhook ({@link SandboxWebhookSender}). The
 * "current user" of an update with a comment is the comment's author, so a customer message Parley relays
 * with {@code author_id} counts as the end user's, not the API user's.
 *
 * <p>Memory is bounded (oldest tickets, users and idempotency keys dropped). Thread-safe: all state is
 * guarded by one lock; webhook posts happen later on the connection's scheduler.
 */
public final class ZendeskSandbox implements SandboxApi, AutoCloseable {

    static final long ADMIN_ID = 1;
    static final int MAX_TICKETS = 1000;
    static final int MAX_USERS = 1000;
    static final int MAX_IDEMPOTENCY_KEYS = 1000;
    static final int MAX_WEBHOOKS = 100;
    static final int MAX_TRIGGERS = 200;
    static final int MAX_COMMENTS_PER_TICKET = 500;
    /** How long an Idempotency-Key is remembered (Zendesk's is unconfirmed; about 2 hours). */
    static final Duration IDEMPOTENCY_TTL = Duration.ofHours(2);
    static final String DEFAULT_AGENT = "Dana";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ULID_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final ConnectionContext ctx;
    private final ZendeskSettings settings;
    private final byte[] credentialDigest;
    /** The connection's own credentials, which stand in for a signed-in admin's (never sent out). */
    private final String ownAuthorization;
    private final SandboxWebhookSender sender;
    private final String helpCenterUrl;
    private final List<DemoArticles.Article> articles;

    /** 2026-01-01T00:00:00Z (in seconds): ticket ids count milliseconds from it. */
    static final long TICKET_ID_EPOCH = 1_767_225_600L;

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private final User admin;
    private final Map<Long, User> users = bounded(MAX_USERS);
    private final Map<Long, Ticket> tickets = bounded(MAX_TICKETS);
    private final Map<String, Remembered> idempotency = bounded(MAX_IDEMPOTENCY_KEYS);
    private final Map<String, Webhook> webhooks = new LinkedHashMap<>();
    private final Map<Long, Trigger> triggers = new LinkedHashMap<>();
    private long nextUserId = 100;
    // Ticket and comment ids go on from where an earlier run of the stand-in left off: its state is in memory, Parley's
    // is in the database, and Parley tells a desk's replies apart by comment id (a restarted demo that numbered from 1
    // again had its first agent reply dropped as a duplicate, its tickets mistaken for old ones). Seeded from the
    // clock in the constructor: one a millisecond for tickets, ten for comments, more than any test or demo makes.
    private long nextTicketId;
    private long nextCommentId;
    private long nextTriggerId = 360000000001L;

    public ZendeskSandbox(ConnectionContext ctx, ZendeskSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.credentialDigest = sha256(settings.email() + "/token:" + settings.apiToken());
        this.ownAuthorization = SandboxHeaders.basic(settings.email() + "/token", settings.apiToken());
        this.sender = new SandboxWebhookSender(ctx);
        this.helpCenterUrl = ctx.sandboxUrl().toString();
        Instant now = now();
        long sinceEpoch = ctx.clock().millis() - TICKET_ID_EPOCH * 1000;
        this.nextTicketId = Math.max(1, sinceEpoch);
        this.nextCommentId = Math.max(1000, sinceEpoch * 10);
        this.articles = DemoArticles.seed(now);
        this.admin = new User(ADMIN_ID, "Parley API user", settings.email(), "admin", null, null, now);
    }

    // ---- routing --------------------------------------------------------------------------------

    @Override
    public SandboxResponse handleForAdmin(String method, String path, Map<String, List<String>> headers, byte[] body) {
        // The webhook's signing secret is what Parley checks the sandbox's webhooks with: it stays on the server.
        String p = path == null ? "" : path.split("\\?", 2)[0];
        if (p.toLowerCase(Locale.ROOT).contains("signing_secret")) {
            return new SandboxResponse(403, "{\"error\":\"the webhook signing secret stays on the server\"}");
        }
        return handle(method, path, SandboxHeaders.withAuthorization(headers, ownAuthorization), body);
    }

    @Override
    public SandboxResponse handle(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String p = path == null ? "/" : path;
        Map<String, String> query = Map.of();
        int q = p.indexOf('?');
        if (q >= 0) {
            query = query(p.substring(q + 1));
            p = p.substring(0, q);
        }
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.endsWith(".json")) p = p.substring(0, p.length() - 5);
        Call call = new Call(m, p, query, headers == null ? Map.of() : headers, body == null ? new byte[0] : body);

        String auth = header(call.headers, "Authorization");
        if (auth == null && m.equals("GET") && p.equals("/api/v2/users/me")) {
            return ok(Jsons.BUILDERS.createObjectBuilder().add("user", Jsons.BUILDERS.createObjectBuilder()
                    .addNull("id").add("name", "Anonymous user").add("email", "invalid@example.com")
                    .add("role", "end-user")).build());
        }
        if (!authorized(auth)) {
            String error = Jsons.BUILDERS.createObjectBuilder().add("error", "Couldn't authenticate you").build().toString();
            // The agent console is opened in a browser (the handoff's ticket link): let it ask for the credentials.
            return p.startsWith("/agent/") ? new SandboxResponse(401, error, Map.of("WWW-Authenticate",
                    "Basic realm=\"Zendesk sandbox: <email>/token and the api-token\", charset=\"UTF-8\""))
                    : new SandboxResponse(401, error);
        }
        try {
            if (p.startsWith("/api/v2/")) return zendesk(call, segments(p.substring("/api/v2/".length())));
            if (p.startsWith("/agent/")) return console(call, segments(p.substring(1)));
            return notFound(call);
        } catch (BadRequest e) {
            return e.response;
        }
    }

    private SandboxResponse zendesk(Call c, List<String> s) {
        String first = s.get(0);
        int n = s.size();
        switch (first) {
            case "users":
                if (n == 2 && s.get(1).equals("me")) return only(c, "GET", () -> ok(userJson(admin)));
                if (n == 2 && s.get(1).equals("create_or_update")) return only(c, "POST", () -> createOrUpdateUser(c));
                if (n == 2) return only(c, "GET", () -> showUser(id(s.get(1))));
                break;
            case "tickets":
                if (n == 1) {
                    if (c.method.equals("GET")) return listTickets(c);
                    return only(c, "POST", () -> createTicket(c));
                }
                long ticketId = id(s.get(1));
                if (n == 2) {
                    if (c.method.equals("GET")) return showTicket(ticketId);
                    return only(c, "PUT", () -> updateTicket(c, ticketId));
                }
                if (n == 3 && s.get(2).equals("tags")) return tags(c, ticketId);
                if (n == 3 && s.get(2).equals("comments")) return only(c, "GET", () -> comments(c, ticketId));
                break;
            case "webhooks":
                if (n == 1) {
                    if (c.method.equals("GET")) return listWebhooks(c);
                    return only(c, "POST", () -> createWebhook(c));
                }
                if (n == 2) {
                    if (c.method.equals("GET")) return showWebhook(s.get(1));
                    return only(c, "DELETE", () -> deleteWebhook(s.get(1)));
                }
                if (n == 3 && s.get(2).equals("signing_secret")) {
                    if (c.method.equals("GET")) return signingSecret(s.get(1), false);
                    return only(c, "POST", () -> signingSecret(s.get(1), true));
                }
                break;
            case "triggers":
                if (n == 1) {
                    if (c.method.equals("GET")) return listTriggers();
                    return only(c, "POST", () -> createTrigger(c));
                }
                if (n == 2) {
                    long triggerId = id(s.get(1));
                    switch (c.method) {
                        case "GET": return showTrigger(triggerId);
                        case "PUT": return updateTrigger(c, triggerId);
                        case "DELETE": return deleteTrigger(triggerId);
                        default: return methodNotAllowed(c);
                    }
                }
                break;
            case "help_center":
                if (n == 3 && s.get(1).equals("incremental") && s.get(2).equals("articles")) {
                    return only(c, "GET", () -> incrementalArticles(c));
                }
                break;
            default:
                break;
        }
        return notFound(c);
    }

    private SandboxResponse console(Call c, List<String> s) {
        if (s.size() < 2 || !s.get(1).equals("tickets")) return notFound(c);
        if (s.size() == 2) {
            if (c.method.equals("GET")) return consoleTickets();
            return only(c, "POST", () -> customerTicket(c));
        }
        long ticketId = id(s.get(2));
        if (s.size() == 3) return only(c, "GET", () -> consoleTicket(ticketId));
        if (s.size() == 4) {
            switch (s.get(3)) {
                case "reply": return only(c, "POST", () -> agentReply(c, ticketId));
                case "solve": return only(c, "POST", () -> agentSolve(c, ticketId));
                case "customer-comment": return only(c, "POST", () -> customerComment(c, ticketId));
                default: break;
            }
        }
        return notFound(c);
    }

    // ---- users ----------------------------------------------------------------------------------

    private SandboxResponse createOrUpdateUser(Call c) {
        JsonObject u = Jsons.object(bodyObject(c), "user");
        if (u == null) throw invalid("user", "is required: {\"user\":{\"name\":...,\"email\":...}}");
        String email = Jsons.nonBlank(u, "email");
        String externalId = Jsons.nonBlank(u, "external_id");
        String name = Jsons.nonBlank(u, "name");
        String phone = Jsons.nonBlank(u, "phone");
        String role = Jsons.nonBlank(u, "role");
        if (email != null && !email.contains("@")) throw invalid("email", email + " is not properly formatted");
        if (role != null && !Set.of("end-user", "agent", "admin").contains(role)) {
            throw invalid("role", "must be end-user, agent or admin");
        }
        synchronized (lock) {
            User found = null;
            if (email != null) found = findUser(x -> email.equalsIgnoreCase(x.email));
            if (found == null && externalId != null) {
                found = findUser(x -> x.externalId != null && externalId.equalsIgnoreCase(x.externalId));
            }
            if (found != null) {
                if (found != admin) {
                    if (name != null) found.name = name;
                    if (phone != null) found.phone = phone;
                    if (externalId != null) found.externalId = externalId; // rewritten to the case sent
                    if (email != null && found.email == null) found.email = email;
                }
                return new SandboxResponse(200, userJson(found).toString(), Map.of("Location", userLocation(found.id)));
            }
            if (name == null && email == null) throw invalid("name", "is too short (minimum one character)");
            User created = new User(nextUserId++, name != null ? name : email, email, role == null ? "end-user" : role,
                    externalId, phone, now());
            users.put(created.id, created);
            return new SandboxResponse(201, userJson(created).toString(), Map.of("Location", userLocation(created.id)));
        }
    }

    private SandboxResponse showUser(long id) {
        synchronized (lock) {
            User u = user(id);
            return u == null ? recordNotFound() : ok(userJson(u));
        }
    }

    // ---- tickets --------------------------------------------------------------------------------

    private SandboxResponse createTicket(Call c) {
        JsonObject body = bodyObject(c);
        String key = header(c.headers, "Idempotency-Key");
        synchronized (lock) {
            Instant now = now();
            if (key != null) {
                Remembered r = idempotency.get(key);
                if (r != null && r.at.plus(IDEMPOTENCY_TTL).isAfter(now)) {
                    if (!r.request.equals(body)) {
                        return json(400, Jsons.BUILDERS.createObjectBuilder().add("error", "IdempotentRequestError")
                                .add("description", "The idempotency key was already used with a different request body")
                                .build());
                    }
                    return new SandboxResponse(r.status, r.json, Map.of("x-idempotency-lookup", "hit"));
                }
            }
            JsonObject t = Jsons.object(body, "ticket");
            if (t == null) throw invalid("ticket", "is required: {\"ticket\":{...}}");
            JsonObject comment = Jsons.object(t, "comment");
            String text = comment == null ? null : commentText(comment);
            if (text == null) throw invalid("description", "cannot be blank (send ticket.comment.body)");
            User requester = requester(t);
            String status = Jsons.nonBlank(t, "status");
            if (status == null) status = "new";
            checkStatus(status);
            Long authorId = Jsons.integer(comment, "author_id");
            User author = authorId == null ? admin : user(authorId);
            if (author == null) throw invalid("comment.author_id", "user " + authorId + " does not exist");
            Ticket ticket = new Ticket(nextTicketId++, Jsons.string(t, "subject"), status, requester.id,
                    Jsons.nonBlank(t, "external_id"), now);
            tagsOf(t, "tags").forEach(ticket.tags::add);
            JsonArray fields = Jsons.array(t, "custom_fields");
            ticket.customFields = fields == null ? JsonValue.EMPTY_JSON_ARRAY : fields;
            Comment first = new Comment(nextCommentId++, author.id, text, Jsons.bool(comment, "public", true), now);
            ticket.comments.add(first);
            tickets.put(ticket.id, ticket);
            fire(ticket, true, "new", first, author);
            String json = Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket)).build().toString();
            Map<String, String> headers = new HashMap<>();
            headers.put("Location", helpCenterUrl + "/api/v2/tickets/" + ticket.id + ".json");
            if (key != null) {
                idempotency.remove(key); // re-inserted as newest, so the bound drops the oldest
                idempotency.put(key, new Remembered(body, 201, json, now));
                headers.put("x-idempotency-lookup", "miss");
            }
            return new SandboxResponse(201, json, headers);
        }
    }

    private User requester(JsonObject t) {
        Long requesterId = Jsons.integer(t, "requester_id");
        if (requesterId != null) {
            User u = user(requesterId);
            if (u == null) throw invalid("requester", "user " + requesterId + " does not exist");
            return u;
        }
        JsonObject r = Jsons.object(t, "requester");
        String email = Jsons.nonBlank(r, "email");
        if (email != null) return endUser(email, Jsons.nonBlank(r, "name"));
        return admin; // Zendesk makes the API user the requester when none is given
    }

    private SandboxResponse showTicket(long id) {
        synchronized (lock) {
            Ticket t = tickets.get(id);
            return t == null ? recordNotFound() : ok(Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(t)).build());
        }
    }

    private SandboxResponse listTickets(Call c) {
        String externalId = c.query.get("external_id");
        synchronized (lock) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            int count = 0;
            for (Ticket t : tickets.values()) {
                if (externalId != null && !externalId.equals(t.externalId)) continue;
                a.add(ticketJson(t));
                count++;
            }
            return ok(Jsons.BUILDERS.createObjectBuilder().add("tickets", a).addNull("next_page")
                    .addNull("previous_page").add("count", count).build());
        }
    }

    private SandboxResponse updateTicket(Call c, long id) {
        JsonObject t = Jsons.object(bodyObject(c), "ticket");
        if (t == null) throw invalid("ticket", "is required: {\"ticket\":{...}}");
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            if (ticket.status.equals("closed")) throw invalid("status", "closed prevents ticket update");
            String before = ticket.status;
            String status = Jsons.nonBlank(t, "status");
            if (status != null) checkStatus(status);
            JsonObject comment = Jsons.object(t, "comment");
            Comment added = null;
            User actor = admin;
            if (comment != null) {
                String text = commentText(comment);
                if (text == null) throw invalid("comment", "body cannot be blank");
                Long authorId = Jsons.integer(comment, "author_id");
                if (authorId != null) {
                    actor = user(authorId);
                    if (actor == null) throw invalid("comment.author_id", "user " + authorId + " does not exist");
                }
                added = addComment(ticket, actor, text, Jsons.bool(comment, "public", true));
            }
            if (t.containsKey("tags")) {
                ticket.tags.clear();
                tagsOf(t, "tags").forEach(ticket.tags::add);
            }
            tagsOf(t, "additional_tags").forEach(ticket.tags::add);
            tagsOf(t, "remove_tags").forEach(ticket.tags::remove);
            String subject = Jsons.string(t, "subject");
            if (subject != null) ticket.subject = subject;
            String externalId = Jsons.string(t, "external_id");
            if (externalId != null) ticket.externalId = externalId;
            if (status != null) ticket.status = status;
            else if (added != null) reopenOrOpen(ticket, actor);
            ticket.updatedAt = now();
            fire(ticket, false, before, added, actor);
            return ok(Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket)).build());
        }
    }

    /** Zendesk moves a ticket on with a comment: an agent's takes it from new to open, a customer's reopens it. */
    private static void reopenOrOpen(Ticket ticket, User author) {
        if (author.role.equals("end-user")) {
            if (ticket.status.equals("solved") || ticket.status.equals("pending")) ticket.status = "open";
        } else if (ticket.status.equals("new")) {
            ticket.status = "open";
        }
    }

    private SandboxResponse tags(Call c, long id) {
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            if (!c.method.equals("GET")) {
                List<String> given = tagsOf(bodyObject(c), "tags");
                switch (c.method) {
                    case "PUT" -> given.forEach(ticket.tags::add); // add
                    case "POST" -> {                                // set
                        ticket.tags.clear();
                        given.forEach(ticket.tags::add);
                    }
                    case "DELETE" -> given.forEach(ticket.tags::remove);
                    default -> {
                        return methodNotAllowed(c);
                    }
                }
                ticket.updatedAt = now();
                fire(ticket, false, ticket.status, null, admin);
            }
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            ticket.tags.forEach(a::add);
            return ok(Jsons.BUILDERS.createObjectBuilder().add("tags", a).build());
        }
    }

    private SandboxResponse comments(Call c, long id) {
        String order = c.query.getOrDefault("sort_order", "asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            return json(400, Jsons.BUILDERS.createObjectBuilder().add("error", "InvalidParameter")
                    .add("description", "sort_order must be asc or desc").build());
        }
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            List<Comment> list = new ArrayList<>(ticket.comments);
            if (order.equals("desc")) list.sort(Comparator.comparingLong((Comment x) -> x.id).reversed());
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            list.forEach(x -> a.add(commentJson(x, false)));
            return ok(Jsons.BUILDERS.createObjectBuilder().add("comments", a).addNull("next_page")
                    .addNull("previous_page").add("count", list.size()).build());
        }
    }

    // ---- webhooks -------------------------------------------------------------------------------

    private SandboxResponse createWebhook(Call c) {
        JsonObject w = Jsons.object(bodyObject(c), "webhook");
        if (w == null) throw webhookError(400, "InvalidInput", "webhook is required: {\"webhook\":{...}}");
        String name = Jsons.nonBlank(w, "name");
        String endpoint = Jsons.nonBlank(w, "endpoint");
        if (name == null) throw webhookError(400, "InvalidInput", "name is required");
        URI uri;
        try {
            uri = endpoint == null ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw webhookError(400, "InvalidInput", "endpoint must be an absolute http(s) URL");
        }
        String httpMethod = w.containsKey("http_method") ? Jsons.string(w, "http_method") : "POST";
        String format = w.containsKey("request_format") ? Jsons.string(w, "request_format") : "json";
        if (!"POST".equals(httpMethod) || !"json".equals(format)) {
            throw webhookError(400, "InvalidInput", "the sandbox supports only http_method POST with request_format json");
        }
        JsonArray subscriptions = Jsons.array(w, "subscriptions");
        if (subscriptions == null || subscriptions.isEmpty()) {
            throw webhookError(400, "InvalidInput", "subscriptions is required, e.g. [\"conditional_ticket_events\"]");
        }
        synchronized (lock) {
            if (webhooks.size() >= MAX_WEBHOOKS) {
                throw webhookError(422, "TooManyWebhooks", "at most " + MAX_WEBHOOKS + " webhooks; delete unused ones");
            }
            Instant now = now();
            Webhook hook = new Webhook(ulid(now), name, Jsons.string(w, "description"),
                    Jsons.nonBlank(w, "status") == null ? "active" : Jsons.string(w, "status"), uri, subscriptions,
                    randomSecret(), now);
            webhooks.put(hook.id, hook);
            return json(201, Jsons.BUILDERS.createObjectBuilder().add("webhook", webhookJson(hook)).build());
        }
    }

    private SandboxResponse listWebhooks(Call c) {
        String contains = c.query.get("filter[name_contains]");
        synchronized (lock) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            for (Webhook w : webhooks.values()) {
                if (contains == null || w.name.toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT))) {
                    a.add(webhookJson(w));
                }
            }
            return ok(Jsons.BUILDERS.createObjectBuilder().add("webhooks", a)
                    .add("meta", Jsons.BUILDERS.createObjectBuilder().add("has_more", false)
                            .addNull("after_cursor").addNull("before_cursor"))
                    .add("links", Jsons.BUILDERS.createObjectBuilder().addNull("next").addNull("prev")).build());
        }
    }

    private SandboxResponse showWebhook(String id) {
        synchronized (lock) {
            Webhook w = webhooks.get(id);
            return w == null ? webhookNotFound() : ok(Jsons.BUILDERS.createObjectBuilder().add("webhook", webhookJson(w)).build());
        }
    }

    private SandboxResponse deleteWebhook(String id) {
        synchronized (lock) {
            return webhooks.remove(id) == null ? webhookNotFound() : new SandboxResponse(204, "");
        }
    }

    private SandboxResponse signingSecret(String id, boolean reset) {
        synchronized (lock) {
            Webhook w = webhooks.get(id);
            if (w == null) return webhookNotFound();
            if (reset) w.secret = randomSecret();
            return ok(Jsons.BUILDERS.createObjectBuilder().add("signing_secret", Jsons.BUILDERS.createObjectBuilder()
                    .add("algorithm", "sha256").add("secret", w.secret)).build());
        }
    }

    // ---- triggers -------------------------------------------------------------------------------

    private SandboxResponse createTrigger(Call c) {
        JsonObject t = Jsons.object(bodyObject(c), "trigger");
        if (t == null) throw invalid("trigger", "is required: {\"trigger\":{...}}");
        synchronized (lock) {
            if (triggers.size() >= MAX_TRIGGERS) throw invalid("base", "at most " + MAX_TRIGGERS + " triggers");
            Trigger trigger = new Trigger(nextTriggerId++, now());
            apply(trigger, t, true);
            triggers.put(trigger.id, trigger);
            return json(201, Jsons.BUILDERS.createObjectBuilder().add("trigger", triggerJson(trigger)).build());
        }
    }

    private SandboxResponse updateTrigger(Call c, long id) {
        JsonObject t = Jsons.object(bodyObject(c), "trigger");
        if (t == null) throw invalid("trigger", "is required: {\"trigger\":{...}}");
        synchronized (lock) {
            Trigger trigger = triggers.get(id);
            if (trigger == null) return recordNotFound();
            apply(trigger, t, false);
            trigger.updatedAt = now();
            return ok(Jsons.BUILDERS.createObjectBuilder().add("trigger", triggerJson(trigger)).build());
        }
    }

    /** Validates and applies a trigger's fields; on update, absent fields keep their value. */
    private void apply(Trigger trigger, JsonObject t, boolean create) {
        String title = t.containsKey("title") || create ? Jsons.nonBlank(t, "title") : trigger.title;
        JsonObject conditions = t.containsKey("conditions") || create ? Jsons.object(t, "conditions") : trigger.conditions;
        JsonArray actions = t.containsKey("actions") || create ? Jsons.array(t, "actions") : trigger.actions;
        if (title == null) throw invalid("title", "cannot be blank");
        if (conditions == null || (isEmpty(Jsons.array(conditions, "all")) && isEmpty(Jsons.array(conditions, "any")))) {
            throw invalid("conditions", "must have at least one condition in all or any");
        }
        if (actions == null || actions.isEmpty()) throw invalid("actions", "must have at least one action");
        for (JsonValue a : actions) {
            JsonObject action = a instanceof JsonObject o ? o : null;
            if (action == null || Jsons.nonBlank(action, "field") == null) throw invalid("actions", "each needs a field");
            if ("notification_webhook".equals(Jsons.string(action, "field"))) {
                JsonArray value = Jsons.array(action, "value");
                if (value == null || value.size() != 2 || !(value.get(0) instanceof JsonString hook)
                        || !(value.get(1) instanceof JsonString)) {
                    throw invalid("actions", "notification_webhook takes [\"<webhook id>\", \"<body>\"]");
                }
                if (!webhooks.containsKey(hook.getString())) {
                    throw invalid("actions", "webhook " + hook.getString() + " does not exist");
                }
            } else {
                ctx.log().warn("SANDBOX: trigger '" + title + "' has action '" + Jsons.string(action, "field")
                        + "'; the sandbox performs only notification_webhook actions");
            }
        }
        for (String key : List.of("all", "any")) {
            JsonArray list = Jsons.array(conditions, key);
            if (list == null) continue;
            for (JsonValue v : list) {
                String field = v instanceof JsonObject o ? Jsons.string(o, "field") : null;
                if (field == null || !SandboxTriggers.KNOWN_FIELDS.contains(field)) {
                    ctx.log().warn("SANDBOX: trigger '" + title + "' uses condition field '" + field
                            + "', which the sandbox does not evaluate; that condition never matches");
                }
            }
        }
        trigger.title = title;
        trigger.conditions = conditions;
        trigger.actions = actions;
        if (t.containsKey("active")) trigger.active = Jsons.bool(t, "active", true);
        if (t.containsKey("description")) trigger.description = Jsons.string(t, "description");
    }

    private SandboxResponse listTriggers() {
        synchronized (lock) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            triggers.values().forEach(t -> a.add(triggerJson(t)));
            return ok(Jsons.BUILDERS.createObjectBuilder().add("triggers", a).addNull("next_page")
                    .addNull("previous_page").add("count", triggers.size()).build());
        }
    }

    private SandboxResponse showTrigger(long id) {
        synchronized (lock) {
            Trigger t = triggers.get(id);
            return t == null ? recordNotFound() : ok(Jsons.BUILDERS.createObjectBuilder().add("trigger", triggerJson(t)).build());
        }
    }

    private SandboxResponse deleteTrigger(long id) {
        synchronized (lock) {
            return triggers.remove(id) == null ? recordNotFound() : new SandboxResponse(204, "");
        }
    }

    /** Evaluates every active trigger against one update and schedules the webhook posts that fire. */
    private void fire(Ticket ticket, boolean created, String previousStatus, Comment comment, User actor) {
        User requester = user(ticket.requesterId);
        String latest = ticket.comments.isEmpty() ? "" : ticket.comments.get(ticket.comments.size() - 1).body;
        String latestPublic = "";
        for (Comment x : ticket.comments) if (x.isPublic) latestPublic = x.body;
        SandboxTriggers.Update u = new SandboxTriggers.Update(created, ticket.id, ticket.externalId, ticket.subject,
                ticket.status, previousStatus, Set.copyOf(ticket.tags), comment == null ? null : comment.isPublic,
                actor.role, actor.name, actor.email, requester == null ? null : requester.name,
                requester == null ? null : requester.email, latest, latestPublic,
                helpCenterUrl + "/agent/tickets#" + ticket.id);
        for (Trigger t : triggers.values()) {
            if (!t.active || !SandboxTriggers.matches(t.conditions, u)) continue;
            for (JsonValue a : t.actions) {
                JsonObject action = (JsonObject) a;
                if (!"notification_webhook".equals(Jsons.string(action, "field"))) continue;
                JsonArray value = action.getJsonArray("value");
                Webhook hook = webhooks.get(value.getString(0));
                if (hook == null || !"active".equals(hook.status)) {
                    ctx.log().warn("SANDBOX: trigger '" + t.title + "' fired for ticket " + ticket.id + " but webhook "
                            + value.getString(0) + " is missing or inactive");
                    continue;
                }
                String body = SandboxTriggers.render(value.getString(1), u);
                sender.schedule(new SandboxWebhookSender.Post(hook.id, t.title, hook.endpoint, hook.secret, body));
            }
        }
    }

    // ---- help center ----------------------------------------------------------------------------

    private SandboxResponse incrementalArticles(Call c) {
        String raw = c.query.get("start_time");
        long start;
        try {
            start = Long.parseLong(raw == null ? "" : raw.strip());
        } catch (NumberFormatException e) {
            return json(400, Jsons.BUILDERS.createObjectBuilder().add("error", "InvalidPaginationParameter")
                    .add("description", "start_time is required: unix seconds, e.g. start_time=0").build());
        }
        JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
        long end = start;
        int count = 0;
        List<DemoArticles.Article> sorted = new ArrayList<>(articles);
        sorted.sort(Comparator.comparing(DemoArticles.Article::updatedAt));
        for (DemoArticles.Article article : sorted) {
            long updated = article.updatedAt().getEpochSecond();
            if (updated < start) continue;
            a.add(article.toJson(helpCenterUrl));
            end = Math.max(end, updated);
            count++;
        }
        return ok(Jsons.BUILDERS.createObjectBuilder().add("articles", a).addNull("next_page")
                .add("end_time", end).add("count", count).build());
    }

    // ---- agent console (sandbox only) -----------------------------------------------------------

    private SandboxResponse consoleTickets() {
        synchronized (lock) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            for (Ticket t : tickets.values()) {
                JsonArrayBuilder comments = Jsons.BUILDERS.createArrayBuilder();
                t.comments.forEach(x -> comments.add(commentJson(x, true)));
                a.add(Jsons.BUILDERS.createObjectBuilder(ticketJson(t)).add("comments", comments));
            }
            return ok(Jsons.BUILDERS.createObjectBuilder().add("tickets", a).build());
        }
    }

    /** The agent's view of one ticket, its comments included: what the handoff's ticket link opens. */
    private SandboxResponse consoleTicket(long id) {
        synchronized (lock) {
            Ticket t = tickets.get(id);
            if (t == null) return recordNotFound();
            JsonArrayBuilder comments = Jsons.BUILDERS.createArrayBuilder();
            t.comments.forEach(x -> comments.add(commentJson(x, true)));
            return ok(Jsons.BUILDERS.createObjectBuilder().add("ticket",
                    Jsons.BUILDERS.createObjectBuilder(ticketJson(t)).add("comments", comments)).build());
        }
    }

    private SandboxResponse agentReply(Call c, long id) {
        JsonObject b = bodyObject(c);
        String text = Jsons.nonBlank(b, "text");
        if (text == null) throw invalid("text", "cannot be blank: {\"text\":\"...\",\"public\":true,\"agent\":\"Dana\"}");
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            if (ticket.status.equals("closed")) throw invalid("status", "closed prevents ticket update");
            User agent = agent(Jsons.nonBlank(b, "agent"));
            String before = ticket.status;
            Comment added = addComment(ticket, agent, text, Jsons.bool(b, "public", true));
            reopenOrOpen(ticket, agent);
            ticket.updatedAt = now();
            fire(ticket, false, before, added, agent);
            ctx.log().info("SANDBOX: agent " + agent.name + " added a " + (added.isPublic ? "public reply" : "internal note")
                    + " to ticket " + id);
            return ok(Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket))
                    .add("comment", commentJson(added, true)).build());
        }
    }

    private SandboxResponse agentSolve(Call c, long id) {
        JsonObject b = c.body.length == 0 ? JsonValue.EMPTY_JSON_OBJECT : bodyObject(c);
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            if (ticket.status.equals("closed")) throw invalid("status", "closed prevents ticket update");
            User agent = agent(Jsons.nonBlank(b, "agent"));
            String before = ticket.status;
            ticket.status = "solved";
            ticket.updatedAt = now();
            fire(ticket, false, before, null, agent);
            ctx.log().info("SANDBOX: agent " + agent.name + " solved ticket " + id);
            return ok(Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket)).build());
        }
    }

    private SandboxResponse customerTicket(Call c) {
        JsonObject b = bodyObject(c);
        String text = Jsons.nonBlank(b, "text");
        String email = Jsons.nonBlank(b, "email");
        if (text == null) throw invalid("text", "cannot be blank: {\"subject\":\"...\",\"text\":\"...\",\"email\":\"...\"}");
        if (email == null || !email.contains("@")) throw invalid("email", "must be the customer's email address");
        synchronized (lock) {
            Instant now = now();
            User customer = endUser(email, null);
            String subject = Jsons.nonBlank(b, "subject");
            Ticket ticket = new Ticket(nextTicketId++, subject != null ? subject : clip(text, 60), "new", customer.id,
                    null, now);
            Comment first = new Comment(nextCommentId++, customer.id, text, true, now);
            ticket.comments.add(first);
            tickets.put(ticket.id, ticket);
            fire(ticket, true, "new", first, customer);
            ctx.log().info("SANDBOX: customer opened ticket " + ticket.id);
            return json(201, Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket)).build());
        }
    }

    private SandboxResponse customerComment(Call c, long id) {
        String text = Jsons.nonBlank(bodyObject(c), "text");
        if (text == null) throw invalid("text", "cannot be blank: {\"text\":\"...\"}");
        synchronized (lock) {
            Ticket ticket = tickets.get(id);
            if (ticket == null) return recordNotFound();
            if (ticket.status.equals("closed")) throw invalid("status", "closed prevents ticket update");
            User customer = user(ticket.requesterId);
            if (customer == null) throw invalid("requester", "the ticket's requester no longer exists in the sandbox");
            String before = ticket.status;
            Comment added = addComment(ticket, customer, text, true);
            reopenOrOpen(ticket, customer);
            ticket.updatedAt = now();
            fire(ticket, false, before, added, customer);
            return ok(Jsons.BUILDERS.createObjectBuilder().add("ticket", ticketJson(ticket))
                    .add("comment", commentJson(added, true)).build());
        }
    }

    /** The agent user with this name, created on first use. */
    private User agent(String name) {
        String n = name == null ? DEFAULT_AGENT : name.strip();
        User found = findUser(u -> u.role.equals("agent") && u.name.equalsIgnoreCase(n));
        if (found != null) return found;
        String local = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".");
        User created = new User(nextUserId++, n, local + "@agents.sandbox.invalid", "agent", null, null, now());
        users.put(created.id, created);
        return created;
    }

    private User endUser(String email, String name) {
        User found = findUser(u -> email.equalsIgnoreCase(u.email));
        if (found != null) return found;
        User created = new User(nextUserId++, name != null ? name : email, email, "end-user", null, null, now());
        users.put(created.id, created);
        return created;
    }

    // ---- model and JSON -------------------------------------------------------------------------

    private static final class User {
        final long id;
        String name;
        String email;
        final String role;
        String externalId;
        String phone;
        final Instant createdAt;

        User(long id, String name, String email, String role, String externalId, String phone, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.email = email;
            this.role = role;
            this.externalId = externalId;
            this.phone = phone;
            this.createdAt = createdAt;
        }
    }

    private static final class Ticket {
        final long id;
        String subject;
        String status;
        final long requesterId;
        String externalId;
        final Set<String> tags = new LinkedHashSet<>();
        JsonArray customFields = JsonValue.EMPTY_JSON_ARRAY;
        final List<Comment> comments = new ArrayList<>();
        final Instant createdAt;
        Instant updatedAt;

        Ticket(long id, String subject, String status, long requesterId, String externalId, Instant createdAt) {
            this.id = id;
            this.subject = subject;
            this.status = status;
            this.requesterId = requesterId;
            this.externalId = externalId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private record Comment(long id, long authorId, String body, boolean isPublic, Instant createdAt) {
    }

    private static final class Webhook {
        final String id;
        final String name;
        final String description;
        final String status;
        final URI endpoint;
        final JsonArray subscriptions;
        String secret;
        final Instant createdAt;

        Webhook(String id, String name, String description, String status, URI endpoint, JsonArray subscriptions,
                String secret, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.status = status;
            this.endpoint = endpoint;
            this.subscriptions = subscriptions;
            this.secret = secret;
            this.createdAt = createdAt;
        }
    }

    private static final class Trigger {
        final long id;
        String title;
        String description;
        boolean active = true;
        JsonObject conditions;
        JsonArray actions;
        final Instant createdAt;
        Instant updatedAt;

        Trigger(long id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** A ticket creation remembered under its Idempotency-Key. */
    private record Remembered(JsonObject request, int status, String json, Instant at) {
    }

    private record Call(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                        byte[] body) {
    }

    private Comment addComment(Ticket ticket, User author, String text, boolean isPublic) {
        if (ticket.comments.size() >= MAX_COMMENTS_PER_TICKET) {
            throw invalid("comment", "the ticket has reached the sandbox's limit of " + MAX_COMMENTS_PER_TICKET + " comments");
        }
        Comment c = new Comment(nextCommentId++, author.id, text, isPublic, now());
        ticket.comments.add(c);
        return c;
    }

    private JsonObject userJson(User u) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", u.id)
                .add("url", userLocation(u.id))
                .add("name", u.name)
                .add("role", u.role)
                .add("restricted_agent", false)
                .add("active", true)
                .add("verified", true)
                .add("created_at", u.createdAt.toString());
        addOrNull(b, "email", u.email);
        addOrNull(b, "phone", u.phone);
        addOrNull(b, "external_id", u.externalId);
        return Jsons.BUILDERS.createObjectBuilder().add("user", b).build();
    }

    private String userLocation(long id) {
        return helpCenterUrl + "/api/v2/users/" + id + ".json";
    }

    private JsonObject ticketJson(Ticket t) {
        JsonArrayBuilder tags = Jsons.BUILDERS.createArrayBuilder();
        t.tags.forEach(tags::add);
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", t.id)
                .add("url", helpCenterUrl + "/api/v2/tickets/" + t.id + ".json")
                .add("status", t.status)
                .add("requester_id", t.requesterId)
                .add("submitter_id", ADMIN_ID)
                .addNull("assignee_id")
                .add("tags", tags)
                .add("custom_fields", t.customFields)
                .add("description", t.comments.isEmpty() ? "" : t.comments.get(0).body)
                .add("via", Jsons.BUILDERS.createObjectBuilder().add("channel", "api"))
                .add("created_at", t.createdAt.toString())
                .add("updated_at", t.updatedAt.toString());
        addOrNull(b, "subject", t.subject);
        addOrNull(b, "raw_subject", t.subject);
        addOrNull(b, "external_id", t.externalId);
        return b.build();
    }

    private JsonObject commentJson(Comment c, boolean withAuthor) {
        String html = "<div class=\"zd-comment\" dir=\"auto\"><p>" + escapeHtml(c.body).replace("\n", "<br>")
                + "</p></div>";
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", c.id)
                .add("type", "Comment")
                .add("author_id", c.authorId)
                .add("body", c.body)
                .add("html_body", html)
                .add("plain_body", c.body)
                .add("public", c.isPublic)
                .add("attachments", Jsons.BUILDERS.createArrayBuilder())
                .add("via", Jsons.BUILDERS.createObjectBuilder().add("channel", "api"))
                .add("created_at", c.createdAt.toString());
        if (withAuthor) {
            User author = user(c.authorId);
            b.add("author", author == null ? "(removed)" : author.name + " (" + author.role + ")");
        }
        return b.build();
    }

    private JsonObject webhookJson(Webhook w) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", w.id)
                .add("name", w.name)
                .add("status", w.status)
                .add("endpoint", w.endpoint.toString())
                .add("http_method", "POST")
                .add("request_format", "json")
                .add("subscriptions", w.subscriptions)
                .add("created_at", w.createdAt.toString())
                .add("created_by", String.valueOf(ADMIN_ID));
        addOrNull(b, "description", w.description);
        return b.build();
    }

    private JsonObject triggerJson(Trigger t) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("id", t.id)
                .add("url", helpCenterUrl + "/api/v2/triggers/" + t.id + ".json")
                .add("title", t.title)
                .add("raw_title", t.title)
                .add("active", t.active)
                .add("position", 0)
                .add("conditions", t.conditions)
                .add("actions", t.actions)
                .add("created_at", t.createdAt.toString())
                .add("updated_at", t.updatedAt.toString());
        addOrNull(b, "description", t.description);
        return b.build();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private User user(long id) {
        return id == ADMIN_ID ? admin : users.get(id);
    }

    private User findUser(java.util.function.Predicate<User> p) {
        if (p.test(admin)) return admin;
        for (User u : users.values()) if (p.test(u)) return u;
        return null;
    }

    private Instant now() {
        return ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private boolean authorized(String header) {
        String credentials = "";
        if (header != null && header.length() > 6 && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                credentials = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                credentials = "";
            }
        }
        // Digests of both sides: constant time whatever the lengths.
        return MessageDigest.isEqual(credentialDigest, sha256(credentials)) & !credentials.isEmpty();
    }

    private static String commentText(JsonObject comment) {
        String body = Jsons.nonBlank(comment, "body");
        if (body != null) return body;
        String html = Jsons.nonBlank(comment, "html_body");
        return html == null ? null : html.replaceAll("<[^>]*>", "").strip();
    }

    private static List<String> tagsOf(JsonObject o, String key) {
        JsonArray a = Jsons.array(o, key);
        List<String> out = new ArrayList<>();
        if (a == null) return out;
        for (JsonValue v : a) {
            if (v instanceof JsonString s) {
                // Zendesk stores tags lower case, and a tag with spaces as several tags.
                Arrays.stream(s.getString().toLowerCase(Locale.ROOT).split("\\s+")).filter(x -> !x.isEmpty())
                        .forEach(out::add);
            }
        }
        return out;
    }

    private static void checkStatus(String status) {
        if (!SandboxTriggers.STATUSES.contains(status)) {
            throw invalid("status", "must be one of " + String.join(", ", SandboxTriggers.STATUSES));
        }
    }

    private JsonObject bodyObject(Call c) {
        JsonValue v;
        try {
            v = Jsons.parse(c.body);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(json(400, Jsons.BUILDERS.createObjectBuilder().add("error", "Unprocessable JSON")
                    .add("description", "The request body is not valid JSON").build()));
        }
        if (!(v instanceof JsonObject o)) {
            throw new BadRequest(json(400, Jsons.BUILDERS.createObjectBuilder().add("error", "Unprocessable JSON")
                    .add("description", "The request body must be a JSON object").build()));
        }
        return o;
    }

    private static long id(String segment) {
        try {
            return Long.parseLong(segment);
        } catch (NumberFormatException e) {
            throw new BadRequest(recordNotFound());
        }
    }

    private static List<String> segments(String rest) {
        List<String> out = new ArrayList<>(Arrays.asList(rest.split("/", -1)));
        if (out.isEmpty()) out.add("");
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                    && !e.getValue().isEmpty() && e.getValue().get(0) != null && !e.getValue().get(0).isBlank()) {
                return e.getValue().get(0).strip();
            }
        }
        return null;
    }

    private interface Handler {
        SandboxResponse run();
    }

    private static SandboxResponse only(Call c, String method, Handler h) {
        return c.method.equals(method) ? h.run() : methodNotAllowed(c);
    }

    private static SandboxResponse ok(JsonObject body) {
        return json(200, body);
    }

    private static SandboxResponse json(int status, JsonObject body) {
        return new SandboxResponse(status, body.toString());
    }

    private static SandboxResponse notFound(Call c) {
        return json(404, Jsons.BUILDERS.createObjectBuilder().add("error", "InvalidEndpoint")
                .add("description", "Not found: " + c.method + " " + c.path + " is not an endpoint of the Zendesk sandbox")
                .build());
    }

    private static SandboxResponse methodNotAllowed(Call c) {
        return json(405, Jsons.BUILDERS.createObjectBuilder().add("error", "MethodNotAllowed")
                .add("description", c.method + " is not allowed on " + c.path).build());
    }

    private static SandboxResponse recordNotFound() {
        return json(404, Jsons.BUILDERS.createObjectBuilder().add("error", "RecordNotFound")
                .add("description", "Not found").build());
    }

    private static SandboxResponse webhookNotFound() {
        return json(404, Jsons.BUILDERS.createObjectBuilder().add("errors", Jsons.BUILDERS.createArrayBuilder()
                .add(Jsons.BUILDERS.createObjectBuilder().add("code", "WebhookNotFound").add("title", "Webhook not found")
                        .add("detail", "No webhook with this id"))).build());
    }

    private static BadRequest invalid(String field, String description) {
        return new BadRequest(json(422, Jsons.BUILDERS.createObjectBuilder()
                .add("error", "RecordInvalid")
                .add("description", "Record validation errors")
                .add("details", Jsons.BUILDERS.createObjectBuilder().add(field, Jsons.BUILDERS.createArrayBuilder()
                        .add(Jsons.BUILDERS.createObjectBuilder().add("description", field + ": " + description))))
                .build()));
    }

    private static BadRequest webhookError(int status, String code, String detail) {
        return new BadRequest(json(status, Jsons.BUILDERS.createObjectBuilder().add("errors",
                Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder().add("code", code)
                        .add("title", "Invalid webhook").add("detail", detail))).build()));
    }

    /** An error answer thrown out of a handler (also out of the lock). */
    private static final class BadRequest extends RuntimeException {
        final SandboxResponse response;

        BadRequest(SandboxResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static boolean isEmpty(JsonArray a) {
        return a == null || a.isEmpty();
    }

    private static void addOrNull(JsonObjectBuilder b, String key, String value) {
        if (value == null) b.addNull(key);
        else b.add(key, value);
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }

    /** A ULID-shaped id like Zendesk's webhook ids ({@code 01FMJQSY40HZBCBVPZB9212S8V}). */
    private static String ulid(Instant at) {
        StringBuilder b = new StringBuilder(26);
        long ms = at.toEpochMilli();
        for (int i = 9; i >= 0; i--) b.append(ULID_CHARS[(int) ((ms >>> (5 * i)) & 31)]);
        for (int i = 0; i < 16; i++) b.append(ULID_CHARS[RANDOM.nextInt(32)]);
        return b.toString();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Cancels webhook posts not yet sent. Idempotent. */
    @Override
    public void close() {
        sender.close();
    }

    /** Webhook posts scheduled and not yet sent (tests). */
    int pendingWebhookPosts() {
        return sender.pending();
    }
}
