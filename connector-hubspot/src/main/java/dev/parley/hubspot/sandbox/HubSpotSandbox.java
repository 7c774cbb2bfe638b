package dev.parley.hubspot.sandbox;

import static dev.parley.spi.util.SandboxRequests.header;
import static dev.parley.spi.util.SandboxRequests.query;

import dev.parley.hubspot.sandbox.HubSpotSandboxModel.AssocKey;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.CrmObject;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.Fail;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.FileRecord;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.Option;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.Part;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.PropertyDef;
import dev.parley.hubspot.sandbox.HubSpotSandboxModel.Stage;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.CONTACTS;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.NOTES;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.TICKETS;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.error;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.fail;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.invalid;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.iso;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.notFound;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.printable;
import static dev.parley.hubspot.sandbox.HubSpotSandboxModel.propertyError;

/**
 * A built-in, in-memory stand-in of the HubSpot CRM API for the {@code hubspot} connection's {@code base-url=sandbox},
 * served at {@code /sandbox/<id>}: a handoff becomes a ticket with its contact and an internal note, without a HubSpot
 * account. Built from Parley's notes ({@code hubspot.md}), not from HubSpot's spec collection.
 *
 * <p>Like HubSpot: {@code Authorization: Bearer <token>} on every path (else 401 INVALID_AUTHENTICATION); errors are
 * {@code {status:"error", message, correlationId, category, context?}}; bad property values answer 400 VALIDATION_ERROR
 * "Property values were not valid: [{isValid,message,error,name}]"; property values are strings (numbers and booleans
 * taken as their text); a ticket's {@code hs_pipeline}/{@code hs_pipeline_stage} must be an existing pipeline and one
 * of its stages (default pipeline "0"); search ORs filterGroups and ANDs filters, at most 5 groups, 10 filters a group,
 * 25 in all, {@code limit} at most 200, and EQ compares the whole stored string (a phone stored as "+49 151 1234 5679"
 * is not found by EQ "+4915112345679"); a contact's email is unique (409 "... Existing ID: n"); batch upsert needs an
 * {@code idProperty} with unique values and marks results {@code new}; a note needs {@code hs_timestamp} and holds at
 * most 65,536 characters of {@code hs_note_body}; association type ids are checked against HubSpot's HUBSPOT_DEFINED
 * table (16/15 ticket↔contact, 228/227 note↔ticket, 202/201 note↔contact) and each association is kept both ways;
 * rate-limit headers ({@value #TEN_SECOND_MAX} per rolling 10 s, {@value #DAILY_MAX} a day) and HubSpot's 429 body.
 *
 * <p>Choices where the notes are silent:
 * <ul>
 * <li>Status codes: creates 201; PATCH, search, batch upsert 200; v4 default PUT 200 (a batch answer with both
 * directions), labeled PUT 201 ({@code {fromObjectTypeId, fromObjectId, toObjectTypeId, toObjectId, labels}}); file
 * upload 201. Unknown object in the path 404 OBJECT_NOT_FOUND; an unknown object referenced in a body (association
 * target, attachment id) 400; unknown route 404; wrong method 405; unknown object type 400 "Unable to infer object
 * type from: x"; a body over {@value #MAX_BODY} bytes 413.</li>
 * <li>A ticket needs {@code subject} and {@code hs_pipeline_stage} on create ({@code hs_pipeline} defaults to "0").
 * Unknown properties are refused (PROPERTY_DOESNT_EXIST), read-only ones too (READ_ONLY_VALUE). Priority options are
 * LOW, MEDIUM, HIGH, URGENT; categories PRODUCT_ISSUE, BILLING_ISSUE, FEATURE_REQUEST, GENERAL_INQUIRY.</li>
 * <li>EQ, NEQ and IN ignore case (nothing else is normalised); NEQ matches objects without the property;
 * CONTAINS_TOKEN splits the stored value at anything not a letter or digit and matches the value's tokens as a run,
 * {@code *} a wildcard inside a token. A filter on an unknown property is refused 400. Search {@code after} is an
 * offset; list {@code after} is the next id.</li>
 * <li>Emails are stored lower-cased. A value already held by another object in a {@code hasUniqueValue} property:
 * 409 CONFLICT with "Existing ID: n", as for emails. A batch upsert is validated whole before anything is written.</li>
 * <li>Rate limiting counts only authenticated API calls (not 401s, not 429s, not the agent view); the day is UTC's.
 * No separate search limit.</li>
 * <li>Files: only the record is kept (name, size, MD5), not the bytes; its {@code url} is the sandbox's
 * {@code GET /files/v3/files/{id}}, which answers the record.</li>
 * </ul>
 *
 * <p>Seeded contacts (ids 101-103): 101 Max Mustermann, max@example.com, {@code phone} "+4915112345678"; 102 Erika
 * Musterfrau, erika@example.com, {@code mobilephone} "+49 151 1234 5679" (as typed: EQ "+4915112345679" misses it);
 * 103 Jane Doe, jane@example.com, no phone. Ids then count up from 104 (contacts), 2001 (tickets), 30001 (notes),
 * 400001 (files). Portal {@value #PORTAL_ID}.
 *
 * <p>Agent view, behind the same token, neither counted nor rate-limited: {@code GET /agent/tickets} (newest first),
 * {@code GET /agent/tickets/{id}}, {@code GET /agent/contacts}; shapes in {@link #agentTicket}.
 *
 * <p>Everything is in memory and bounded (oldest objects dropped first). Thread-safe: one lock guards the state; the
 * connection log is written after the lock is released.
 */
public final class HubSpotSandbox implements AutoCloseable {

    public static final long PORTAL_ID = 24681357L;
    public static final int TEN_SECOND_MAX = 100;
    public static final int DAILY_MAX = 250_000;
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final int MAX_BODY = 2 * 1024 * 1024;
    static final int MAX_OBJECTS = 1000;
    static final int MAX_NOTES = 2000;
    static final int MAX_ASSOCIATIONS = 20_000;
    static final int MAX_CUSTOM_PROPERTIES = 100;
    static final int MAX_FILES = 1000;
    static final int MAX_VALUE = 65_536;
    static final int MAX_BATCH = 100;
    static final String AUTH_MESSAGE = "Authentication credentials not found. This API supports OAuth 2.0 authentication "
            + "and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    private static final Set<String> PROPERTY_TYPES = Set.of("string", "number", "date", "datetime", "enumeration", "bool");
    private static final Set<String> FIELD_TYPES = Set.of("text", "textarea", "date", "file", "number", "select", "radio",
            "checkbox", "booleancheckbox", "html", "phonenumber");
    private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
            "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");
    private static final Set<String> CATEGORIES = Set.of("HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK");
    private static final Set<String> ACCESS = Set.of("PUBLIC_INDEXABLE", "PUBLIC_NOT_INDEXABLE", "HIDDEN_INDEXABLE",
            "HIDDEN_NOT_INDEXABLE", "HIDDEN_PRIVATE", "PRIVATE", "HIDDEN_SENSITIVE", "SENSITIVE");

    private final ConnectionContext ctx;
    private final byte[] tokenDigest;
    private final boolean tokenSet;
    private final Object lock = new Object();
    // Guarded by lock:
    private final Map<String, Map<Long, CrmObject>> objects = new LinkedHashMap<>();
    private final Map<String, Map<String, PropertyDef>> properties = new LinkedHashMap<>();
    private final Map<AssocKey, Set<Integer>> associations = bounded(MAX_ASSOCIATIONS);
    private final Map<Long, FileRecord> files = bounded(MAX_FILES);
    private final Map<String, Long> nextId = new LinkedHashMap<>();
    private final ArrayDeque<Instant> window = new ArrayDeque<>();
    private LocalDate day;
    private long dayCount;

    public HubSpotSandbox(ConnectionContext ctx, String accessToken) {
        this.ctx = ctx;
        this.tokenSet = accessToken != null && !accessToken.isBlank();
        this.tokenDigest = sha256(accessToken == null ? "" : accessToken.trim());
        objects.put(CONTACTS, bounded(MAX_OBJECTS));
        objects.put(TICKETS, bounded(MAX_OBJECTS));
        objects.put(NOTES, bounded(MAX_NOTES));
        for (String type : objects.keySet()) {
            Map<String, PropertyDef> defs = new LinkedHashMap<>();
            HubSpotSandboxModel.builtIns(type).forEach(d -> defs.put(d.name(), d));
            properties.put(type, defs);
        }
        nextId.put(CONTACTS, 101L);
        nextId.put(TICKETS, 2001L);
        nextId.put(NOTES, 30001L);
        nextId.put("files", 400001L);
        Instant now = now();
        seedContact(now, "max@example.com", "Max", "Mustermann", "phone", "+4915112345678");
        seedContact(now, "erika@example.com", "Erika", "Musterfrau", "mobilephone", "+49 151 1234 5679");
        seedContact(now, "jane@example.com", "Jane", "Doe", null, null);
    }

    private void seedContact(Instant now, String email, String first, String last, String phoneProperty, String phone) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("email", email);
        p.put("firstname", first);
        p.put("lastname", last);
        if (phoneProperty != null) p.put(phoneProperty, phone);
        insert(CONTACTS, p, now);
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

        if (!bearerMatches(headers)) return error(401, "INVALID_AUTHENTICATION", AUTH_MESSAGE, null);
        byte[] b = body == null ? new byte[0] : body;
        List<String> logs = new ArrayList<>();
        Request r = new Request(m, p, s, query, header(headers, "Content-Type"), b, logs);
        if (s[0].equals("agent")) {
            synchronized (lock) {
                return guarded(() -> agent(r));
            }
        }
        Map<String, String> limitHeaders = new LinkedHashMap<>();
        SandboxResponse answer;
        synchronized (lock) {
            SandboxResponse refused = rateLimit(now(), limitHeaders);
            if (refused != null) return withHeaders(refused, limitHeaders);
            answer = b.length > MAX_BODY
                    ? error(413, "VALIDATION_ERROR", "Request body larger than " + MAX_BODY + " bytes", null)
                    : guarded(() -> route(r));
        }
        for (String line : logs) ctx.log().info(line);
        return withHeaders(answer, limitHeaders);
    }

    /** Nothing to release: all state is in memory. */
    @Override
    public void close() {
    }

    private record Request(String method, String path, String[] s, Map<String, String> query, String contentType,
                           byte[] body, List<String> logs) {
        JsonObject json() {
            try {
                if (Jsons.parse(body) instanceof JsonObject o) return o;
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid input JSON: " + printable(e.getMessage()));
            }
            throw invalid("Invalid input JSON: the body must be a JSON object");
        }

        JsonValue jsonValue() {
            try {
                return Jsons.parse(body);
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid input JSON: " + printable(e.getMessage()));
            }
        }
    }

    private interface Handler {
        SandboxResponse handle();
    }

    private static SandboxResponse guarded(Handler h) {
        try {
            return h.handle();
        } catch (Fail f) {
            return f.response;
        }
    }

    // ---- routing --------------------------------------------------------------------------------

    private SandboxResponse route(Request r) {
        String[] s = r.s();
        String m = r.method();
        if (s.length == 3 && s[0].equals("account-info") && s[1].equals("v3") && s[2].equals("details")) {
            return only(r, "GET", this::accountInfo);
        }
        if (s.length >= 4 && s[0].equals("crm") && s[1].equals("v3")) {
            switch (s[2]) {
                case "objects" -> {
                    String type = type(s[3]);
                    if (s.length == 4) {
                        if (m.equals("GET")) return list(type, r);
                        return only(r, "POST", () -> create(type, r));
                    }
                    if (s.length == 5 && s[4].equals("search")) return only(r, "POST", () -> search(type, r));
                    if (s.length == 6 && s[4].equals("batch") && s[5].equals("upsert")) {
                        return only(r, "POST", () -> upsert(type, r));
                    }
                    if (s.length == 5) {
                        if (m.equals("GET")) return get(type, s[4], r);
                        return only(r, "PATCH", () -> patch(type, s[4], r));
                    }
                }
                case "pipelines" -> {
                    String type = type(s[3]);
                    if (!type.equals(TICKETS)) throw notFound("The sandbox has pipelines only for tickets");
                    if (s.length == 4) return only(r, "GET", () -> ok(Jsons.BUILDERS.createObjectBuilder()
                            .add("results", Jsons.BUILDERS.createArrayBuilder().add(HubSpotSandboxModel.pipeline()))));
                    if (!s[4].equals(HubSpotSandboxModel.PIPELINE_ID)) throw notFound("Pipeline " + printable(s[4]) + " not found");
                    if (s.length == 5) return only(r, "GET", () -> new SandboxResponse(200, HubSpotSandboxModel.pipeline().toString()));
                    if (s.length == 6 && s[5].equals("stages")) {
                        JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
                        HubSpotSandboxModel.STAGES.forEach(st -> a.add(HubSpotSandboxModel.stage(st)));
                        return only(r, "GET", () -> ok(Jsons.BUILDERS.createObjectBuilder().add("results", a)));
                    }
                }
                case "properties" -> {
                    String type = type(s[3]);
                    if (s.length == 4) {
                        if (m.equals("GET")) {
                            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
                            properties.get(type).values().forEach(d -> a.add(HubSpotSandboxModel.property(d)));
                            return ok(Jsons.BUILDERS.createObjectBuilder().add("results", a));
                        }
                        return only(r, "POST", () -> createProperty(type, r));
                    }
                    if (s.length == 5) {
                        return only(r, "GET", () -> {
                            PropertyDef d = properties.get(type).get(s[4]);
                            if (d == null) {
                                throw notFound("Unable to find property " + printable(s[4]) + " on object type " + type);
                            }
                            return new SandboxResponse(200, HubSpotSandboxModel.property(d).toString());
                        });
                    }
                }
                default -> {
                }
            }
        }
        if (s.length >= 6 && s[0].equals("crm") && s[1].equals("v4") && s[2].equals("objects") && s[5].equals("associations")) {
            if (s.length == 9 && s[6].equals("default")) {
                return only(r, "PUT", () -> associateDefault(s[3], s[4], s[7], s[8], r));
            }
            if (s.length == 8) return only(r, "PUT", () -> associateLabeled(s[3], s[4], s[6], s[7], r));
            if (s.length == 7) return only(r, "GET", () -> listAssociations(s[3], s[4], s[6]));
        }
        if (s.length >= 3 && s[0].equals("files") && s[1].equals("v3") && s[2].equals("files")) {
            if (s.length == 3) return only(r, "POST", () -> upload(r));
            if (s.length == 4) {
                return only(r, "GET", () -> {
                    FileRecord f = files.get(numericId(s[3]));
                    if (f == null) throw notFound("File " + printable(s[3]) + " not found");
                    return new SandboxResponse(200, HubSpotSandboxModel.file(f, fileUrl(f)).toString());
                });
            }
        }
        throw notFound("No route for " + m + " " + printable(r.path()));
    }

    private static SandboxResponse only(Request r, String method, Handler h) {
        if (!r.method().equals(method)) {
            throw fail(405, "METHOD_NOT_ALLOWED", "Method " + r.method() + " not allowed on " + printable(r.path()));
        }
        return h.handle();
    }

    private static String type(String segment) {
        String t = HubSpotSandboxModel.canonicalType(segment);
        if (t == null) {
            throw invalid("Unable to infer object type from: " + printable(segment)
                    + " (the sandbox holds contacts, tickets and notes)");
        }
        return t;
    }

    private SandboxResponse accountInfo() {
        return ok(Jsons.BUILDERS.createObjectBuilder().add("portalId", PORTAL_ID).add("accountType", "SANDBOX")
                .add("timeZone", "UTC").add("companyCurrency", "USD").add("additionalCurrencies", Jsons.BUILDERS.createArrayBuilder())
                .add("utcOffset", "+00:00").add("utcOffsetMilliseconds", 0).add("uiDomain", "app.hubspot.com")
                .add("dataHostingLocation", "na1"));
    }

    // ---- objects --------------------------------------------------------------------------------

    private SandboxResponse list(String type, Request r) {
        long limit = queryNumber(r.query(), "limit", 10, 1, 100);
        long after = queryNumber(r.query(), "after", 0, 0, Long.MAX_VALUE);
        List<String> names = requestedNames(type, r.query().get("properties"));
        List<CrmObject> page = objects.get(type).values().stream().filter(o -> o.id >= after)
                .sorted(Comparator.comparingLong(o -> o.id)).limit(limit + 1).toList();
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        page.stream().limit(limit).forEach(o -> results.add(HubSpotSandboxModel.object(o, names)));
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("results", results);
        if (page.size() > limit) {
            String next = String.valueOf(page.get((int) limit).id);
            b.add("paging", Jsons.BUILDERS.createObjectBuilder().add("next", Jsons.BUILDERS.createObjectBuilder()
                    .add("after", next).add("link", base() + "/crm/v3/objects/" + type + "?after=" + next + "&limit=" + limit)));
        }
        return ok(b);
    }

    private SandboxResponse get(String type, String id, Request r) {
        CrmObject o = find(type, id, r.query().get("idProperty"));
        JsonObjectBuilder b = HubSpotSandboxModel.object(o, requestedNames(type, r.query().get("properties")));
        String wanted = r.query().get("associations");
        if (wanted != null && !wanted.isBlank()) {
            JsonObjectBuilder all = Jsons.BUILDERS.createObjectBuilder();
            for (String w : wanted.split(",")) {
                String to = HubSpotSandboxModel.canonicalType(w.trim());
                if (to == null) continue;
                JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
                boolean any = false;
                for (long toId : associated(type, o.id, to)) {
                    any = true;
                    a.add(Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(toId))
                            .add("type", HubSpotSandboxModel.singular(type) + "_to_" + HubSpotSandboxModel.singular(to)));
                }
                if (any) all.add(to, Jsons.BUILDERS.createObjectBuilder().add("results", a));
            }
            b.add("associations", all);
        }
        return ok(b);
    }

    /** The object by id, or by a unique property's value with {@code idProperty}; else 404. */
    private CrmObject find(String type, String id, String idProperty) {
        if (idProperty != null && !idProperty.isBlank() && !idProperty.equals("hs_object_id")) {
            id = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
            PropertyDef d = properties.get(type).get(idProperty);
            if (d == null || !d.unique()) {
                throw invalid("idProperty " + printable(idProperty) + " is not a property with unique values on " + type);
            }
            CrmObject o = holder(type, idProperty, idProperty.equals("email") ? id.toLowerCase(Locale.ROOT) : id, -1);
            if (o == null) throw notFound("Object not found. No " + HubSpotSandboxModel.singular(type) + " has "
                    + idProperty + " " + printable(id));
            return o;
        }
        if (!id.matches("\\d{1,18}")) throw notFound("Object not found.  objectId are usually numeric.");
        CrmObject o = objects.get(type).get(Long.parseLong(id));
        if (o == null) throw notFound("Object not found: no " + HubSpotSandboxModel.singular(type) + " with id " + id);
        return o;
    }

    private SandboxResponse create(String type, Request r) {
        JsonObject body = r.json();
        Map<String, String> values = validated(type, properties(body), null);
        List<Link> links = links(type, Jsons.array(body, "associations"));
        checkUnique(type, values, -1);
        CrmObject o = insert(type, values, now());
        for (Link l : links) link(type, o.id, l.toType(), l.toId());
        r.logs().add("SANDBOX: " + HubSpotSandboxModel.singular(type) + " " + o.id + " created" + describe(o));
        return new SandboxResponse(201, HubSpotSandboxModel.object(o, createdNames(o)).build().toString());
    }

    private SandboxResponse patch(String type, String id, Request r) {
        CrmObject o = find(type, id, r.query().get("idProperty"));
        Map<String, String> values = validated(type, properties(r.json()), o);
        checkUnique(type, values, o.id);
        update(o, values, now());
        r.logs().add("SANDBOX: " + HubSpotSandboxModel.singular(type) + " " + o.id + " updated: " + String.join(", ", values.keySet()));
        return ok(HubSpotSandboxModel.object(o, createdNames(o)));
    }

    /** {@code {"inputs":[{"id","idProperty","properties"}]}}: validated whole, then written. */
    private SandboxResponse upsert(String type, Request r) {
        if (type.equals(NOTES)) throw invalid("The sandbox upserts contacts and tickets only");
        JsonArray inputs = Jsons.array(r.json(), "inputs");
        if (inputs == null || inputs.isEmpty()) throw invalid("inputs must be a non-empty array");
        if (inputs.size() > MAX_BATCH) throw invalid("At most " + MAX_BATCH + " inputs are allowed in a batch, got " + inputs.size());
        record Plan(CrmObject existing, Map<String, String> values) {
        }
        List<Plan> plans = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonObject input = inputs.get(i) instanceof JsonObject o ? o : null;
            if (input == null) throw invalid("inputs[" + i + "] must be an object");
            String id = Jsons.nonBlank(input, "id");
            String idProperty = Jsons.nonBlank(input, "idProperty");
            if (id == null) throw invalid("inputs[" + i + "].id is required");
            if (idProperty == null) throw invalid("inputs[" + i + "].idProperty is required for an upsert");
            PropertyDef d = properties.get(type).get(idProperty);
            if (d == null) throw invalid("idProperty " + printable(idProperty) + " does not exist on " + type);
            if (!d.unique()) {
                throw invalid("idProperty " + printable(idProperty) + " must be a property with unique values "
                        + "(hasUniqueValue: true) to upsert on it");
            }
            String key = idProperty.equals("email") ? id.toLowerCase(Locale.ROOT) : id;
            if (!seen.add(idProperty + "\u0000" + key)) throw invalid("Duplicate id " + printable(id) + " in inputs");
            Map<String, String> given = properties(input);
            String conflicting = given.get(idProperty);
            if (conflicting != null && !conflicting.equals(id)) {
                throw invalid("inputs[" + i + "].properties." + idProperty + " differs from its id " + printable(id));
            }
            CrmObject existing = holder(type, idProperty, key, -1);
            Map<String, String> withId = new LinkedHashMap<>(given);
            if (existing == null) withId.put(idProperty, id);
            Map<String, String> values = validated(type, withId, existing);
            checkUnique(type, values, existing == null ? -1 : existing.id);
            plans.add(new Plan(existing, values));
        }
        Instant now = now();
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        for (Plan plan : plans) {
            CrmObject o = plan.existing();
            if (o == null) o = insert(type, plan.values(), now);
            else update(o, plan.values(), now);
            r.logs().add("SANDBOX: " + HubSpotSandboxModel.singular(type) + " " + o.id
                    + (plan.existing() == null ? " created by upsert" : " updated by upsert") + describe(o));
            results.add(HubSpotSandboxModel.object(o, createdNames(o)).add("new", plan.existing() == null));
        }
        return ok(Jsons.BUILDERS.createObjectBuilder().add("status", "COMPLETE").add("results", results)
                .add("startedAt", iso(now)).add("completedAt", iso(now)));
    }

    private CrmObject insert(String type, Map<String, String> values, Instant now) {
        long id = nextId.merge(type, 1L, Long::sum) - 1;
        CrmObject o = new CrmObject(type, id, now);
        o.props.put("hs_object_id", String.valueOf(id));
        o.props.put(HubSpotSandboxModel.createdProperty(type), iso(now));
        o.props.put(HubSpotSandboxModel.modifiedProperty(type), iso(now));
        if (type.equals(TICKETS)) o.props.put("hs_pipeline", HubSpotSandboxModel.PIPELINE_ID);
        values.forEach((k, v) -> o.props.put(k, v));
        objects.get(type).put(id, o);
        return o;
    }

    private static void update(CrmObject o, Map<String, String> values, Instant now) {
        o.props.putAll(values);
        o.updatedAt = now;
        o.props.put(HubSpotSandboxModel.modifiedProperty(o.type), iso(now));
    }

    private static String describe(CrmObject o) {
        String label = switch (o.type) {
            case TICKETS -> o.get("subject");
            case CONTACTS -> o.get("email");
            default -> null;
        };
        return label == null ? "" : ": " + printable(label);
    }

    /** The defaults plus every property set (what a create, update or upsert answers). */
    private static List<String> createdNames(CrmObject o) {
        Set<String> names = new LinkedHashSet<>(HubSpotSandboxModel.defaultProperties(o.type));
        names.addAll(o.props.keySet());
        return List.copyOf(names);
    }

    /** {@code properties=a,b}: those plus id and dates; none given: the type's defaults. */
    private static List<String> requestedNames(String type, String requested) {
        if (requested == null || requested.isBlank()) return HubSpotSandboxModel.defaultProperties(type);
        Set<String> names = new LinkedHashSet<>();
        for (String n : requested.split(",")) if (!n.isBlank()) names.add(n.trim());
        names.add("hs_object_id");
        names.add(HubSpotSandboxModel.createdProperty(type));
        names.add(HubSpotSandboxModel.modifiedProperty(type));
        return List.copyOf(names);
    }

    /** The object holding {@code value} in {@code property}, other than {@code exceptId}; null when none. */
    private CrmObject holder(String type, String property, String value, long exceptId) {
        for (CrmObject o : objects.get(type).values()) {
            if (o.id != exceptId && value.equals(o.props.get(property))) return o;
        }
        return null;
    }

    private void checkUnique(String type, Map<String, String> values, long selfId) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            PropertyDef d = properties.get(type).get(e.getKey());
            if (d == null || !d.unique() || e.getValue().isEmpty()) continue;
            CrmObject other = holder(type, e.getKey(), e.getValue(), selfId);
            if (other == null) continue;
            if (type.equals(CONTACTS) && e.getKey().equals("email")) {
                throw fail(409, "CONFLICT", "Contact already exists. Existing ID: " + other.id);
            }
            throw fail(409, "CONFLICT", "A " + HubSpotSandboxModel.singular(type) + " with " + e.getKey() + " "
                    + printable(e.getValue()) + " already exists. Existing ID: " + other.id);
        }
    }

    // ---- property values ------------------------------------------------------------------------

    /** The {@code properties} object of a create/update body as strings; missing means none. */
    private static Map<String, String> properties(JsonObject body) {
        JsonValue v = body.get("properties");
        if (v == null || v == JsonValue.NULL) return new LinkedHashMap<>();
        if (!(v instanceof JsonObject props)) throw invalid("properties must be an object of property names to values");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : props.entrySet()) {
            JsonValue value = e.getValue();
            String s;
            if (value instanceof JsonString js) s = js.getString();
            else if (value instanceof JsonNumber n) s = n.toString();
            else if (value == JsonValue.TRUE || value == JsonValue.FALSE) s = value.toString();
            else if (value == JsonValue.NULL) s = "";
            else throw invalid("The value of property " + printable(e.getKey()) + " must be a string, number or boolean");
            out.put(e.getKey(), s);
        }
        return out;
    }

    /**
     * Checks (and normalises) the values against the type's properties; {@code existing} is null on create, when the
     * type's required properties are checked. All problems are answered together.
     */
    private Map<String, String> validated(String type, Map<String, String> given, CrmObject existing) {
        Map<String, PropertyDef> defs = properties.get(type);
        List<JsonObject> errors = new ArrayList<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            PropertyDef d = defs.get(name);
            if (d == null) {
                errors.add(propertyError(name, "PROPERTY_DOESNT_EXIST", "Property \"" + printable(name) + "\" does not exist"));
                continue;
            }
            if (d.readOnly()) {
                errors.add(propertyError(name, "READ_ONLY_VALUE", "\"" + name + "\" is a read only property; its value cannot be set."));
                continue;
            }
            if (value.length() > MAX_VALUE) {
                errors.add(propertyError(name, "INVALID_LENGTH", name + " holds at most 65,536 characters, got " + value.length()));
                continue;
            }
            if (value.isEmpty()) {
                out.put(name, value);
                continue;
            }
            String normal = switch (d.type()) {
                case "number" -> HubSpotSandboxModel.decimal(value) == null ? null : value.trim();
                case "bool" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? value.toLowerCase(Locale.ROOT) : null;
                case "date", "datetime" -> {
                    Instant t = HubSpotSandboxModel.instant(value);
                    yield t == null ? null : iso(t);
                }
                default -> value;
            };
            if (normal == null) {
                errors.add(propertyError(name, d.type().startsWith("date") ? "INVALID_DATE" : "INVALID_" + d.type().toUpperCase(Locale.ROOT),
                        printable(value) + " is not a valid " + d.type() + (d.type().startsWith("date") ? " (epoch milliseconds or ISO-8601)" : "")));
                continue;
            }
            if (d.type().equals("enumeration") && !name.equals("hs_pipeline_stage")) {
                Set<String> allowed = new LinkedHashSet<>(d.options().stream().map(Option::value).toList());
                List<String> chosen = d.fieldType().equals("checkbox") ? List.of(value.split(";")) : List.of(value);
                String bad = chosen.stream().filter(c -> !allowed.contains(c)).findFirst().orElse(null);
                if (bad != null) {
                    errors.add(propertyError(name, "INVALID_OPTION", printable(bad) + " was not one of the allowed options: " + allowed));
                    continue;
                }
            }
            if (name.equals("email")) {
                if (!value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    errors.add(propertyError(name, "INVALID_EMAIL", "Email address " + printable(value) + " is invalid"));
                    continue;
                }
                normal = value.toLowerCase(Locale.ROOT);
            }
            if (name.equals("hs_attachment_ids")) {
                String unknown = List.of(value.split(";")).stream().map(String::trim)
                        .filter(f -> !f.matches("\\d{1,18}") || !files.containsKey(Long.parseLong(f))).findFirst().orElse(null);
                if (unknown != null) {
                    errors.add(propertyError(name, "INVALID_OPTION", "File " + printable(unknown) + " does not exist"));
                    continue;
                }
            }
            out.put(name, normal);
        }
        if (type.equals(TICKETS)) ticketRules(out, existing, errors);
        if (type.equals(NOTES) && errors.stream().noneMatch(e -> e.getString("name").equals("hs_timestamp"))) {
            String ts = out.get("hs_timestamp");
            if (existing == null ? ts == null || ts.isEmpty() : "".equals(ts)) {
                errors.add(propertyError("hs_timestamp", "REQUIRED_PROPERTY",
                        "hs_timestamp is required: the note's time on the timeline (epoch milliseconds or ISO-8601)"));
            }
        }
        if (!errors.isEmpty()) throw HubSpotSandboxModel.invalidProperties(errors);
        return out;
    }

    /** Pipeline and stage must exist, the stage in the pipeline; subject and stage are needed on create. */
    private static void ticketRules(Map<String, String> out, CrmObject existing, List<JsonObject> errors) {
        String pipeline = out.getOrDefault("hs_pipeline",
                existing == null ? HubSpotSandboxModel.PIPELINE_ID : existing.props.getOrDefault("hs_pipeline", HubSpotSandboxModel.PIPELINE_ID));
        if (out.containsKey("hs_pipeline") && !HubSpotSandboxModel.PIPELINE_ID.equals(out.get("hs_pipeline"))) {
            errors.add(propertyError("hs_pipeline", "INVALID_OPTION", printable(pipeline)
                    + " is not a valid pipeline id; the sandbox's only ticket pipeline is \"0\" (Support Pipeline)"));
            return;
        }
        String stage = out.get("hs_pipeline_stage");
        if (stage != null && (stage.isEmpty() || HubSpotSandboxModel.stage(stage) == null)) {
            errors.add(propertyError("hs_pipeline_stage", "INVALID_OPTION", printable(stage)
                    + " is not a valid stage of pipeline " + pipeline + "; its stages are 1 (New), 2 (Waiting on contact), "
                    + "3 (Waiting on us), 4 (Closed)"));
        }
        if (existing == null) {
            if (!out.containsKey("hs_pipeline_stage")) {
                errors.add(propertyError("hs_pipeline_stage", "REQUIRED_PROPERTY", "hs_pipeline_stage is required to create a ticket"));
            }
            if (out.getOrDefault("subject", "").isBlank()) {
                errors.add(propertyError("subject", "REQUIRED_PROPERTY", "subject is required to create a ticket"));
            }
        }
    }

    // ---- custom properties ----------------------------------------------------------------------

    private SandboxResponse createProperty(String type, Request r) {
        JsonObject body = r.json();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (String f : List.of("name", "label", "type", "fieldType", "groupName")) {
            if (Jsons.nonBlank(body, f) == null) missing.computeIfAbsent("missing", k -> new ArrayList<>()).add(f);
        }
        if (!missing.isEmpty()) {
            throw new Fail(error(400, "VALIDATION_ERROR", "Missing required fields: " + missing.get("missing"), missing));
        }
        String name = Jsons.nonBlank(body, "name").trim();
        String ptype = Jsons.nonBlank(body, "type").trim();
        String fieldType = Jsons.nonBlank(body, "fieldType").trim();
        boolean unique = Jsons.bool(body, "hasUniqueValue", false);
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw invalid("Property name " + printable(name) + " is invalid: lower-case letters, digits and _, starting with a letter");
        }
        if (!PROPERTY_TYPES.contains(ptype)) throw invalid("type " + printable(ptype) + " is not one of " + sorted(PROPERTY_TYPES));
        if (!FIELD_TYPES.contains(fieldType)) throw invalid("fieldType " + printable(fieldType) + " is not one of " + sorted(FIELD_TYPES));
        if (unique && !ptype.equals("string") && !ptype.equals("number")) {
            throw invalid("hasUniqueValue is only allowed for string and number properties, not " + ptype);
        }
        List<Option> options = new ArrayList<>();
        JsonArray given = Jsons.array(body, "options");
        if (given != null) {
            for (JsonValue v : given) {
                JsonObject o = v instanceof JsonObject x ? x : null;
                String value = Jsons.nonBlank(o, "value");
                if (value == null) throw invalid("Every option needs a value");
                String label = Jsons.nonBlank(o, "label");
                Long order = Jsons.integer(o, "displayOrder");
                options.add(new Option(label == null ? value : label, value, order == null ? options.size() : order.intValue()));
            }
        }
        if (ptype.equals("enumeration") && options.isEmpty()) throw invalid("An enumeration property needs options");
        Map<String, PropertyDef> defs = properties.get(type);
        if (defs.containsKey(name)) {
            throw fail(409, "OBJECT_ALREADY_EXISTS", "Property named '" + name + "' already exists on " + type + ".");
        }
        if (defs.values().stream().filter(d -> !d.hubspotDefined()).count() >= MAX_CUSTOM_PROPERTIES) {
            throw invalid("The sandbox holds at most " + MAX_CUSTOM_PROPERTIES + " custom properties per object type");
        }
        String description = Jsons.string(body, "description");
        PropertyDef d = new PropertyDef(name, Jsons.nonBlank(body, "label"), ptype, fieldType, Jsons.nonBlank(body, "groupName"),
                description == null ? "" : description, unique, false, false, List.copyOf(options), now());
        defs.put(name, d);
        r.logs().add("SANDBOX: custom " + HubSpotSandboxModel.singular(type) + " property " + name + " created"
                + (unique ? " (unique values)" : ""));
        return new SandboxResponse(201, HubSpotSandboxModel.property(d).toString());
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    // ---- search ---------------------------------------------------------------------------------

    private SandboxResponse search(String type, Request r) {
        JsonObject body = r.json();
        Map<String, PropertyDef> defs = properties.get(type);
        JsonArray groups = Jsons.array(body, "filterGroups");
        List<List<JsonObject>> filterGroups = new ArrayList<>();
        int total = 0;
        if (groups != null) {
            if (groups.size() > 5) {
                throw invalid("Too many filterGroups: " + groups.size() + " given, at most 5 are allowed");
            }
            for (JsonValue g : groups) {
                JsonArray filters = g instanceof JsonObject go ? Jsons.array(go, "filters") : null;
                if (filters == null) throw invalid("Every filterGroup needs a filters array");
                if (filters.size() > 10) {
                    throw invalid("Too many filters in a filterGroup: " + filters.size() + " given, at most 10 are allowed");
                }
                total += filters.size();
                List<JsonObject> group = new ArrayList<>();
                for (JsonValue f : filters) group.add(checkedFilter(f, defs));
                filterGroups.add(group);
            }
            if (total > 25) throw invalid("Too many filters: " + total + " given in all, at most 25 are allowed");
        }
        Long limitGiven = Jsons.integer(body, "limit");
        long limit = limitGiven == null ? 10 : limitGiven;
        if (limit < 1 || limit > 200) throw invalid("limit must be between 1 and 200, got " + limit);
        String afterText = Jsons.string(body, "after");
        long after;
        try {
            after = afterText == null || afterText.isBlank() ? 0 : Long.parseLong(afterText.trim());
        } catch (NumberFormatException e) {
            throw invalid("after must be a number (the offset of the next page), got " + printable(afterText));
        }
        if (after < 0) throw invalid("after must not be negative");
        String text = Jsons.string(body, "query");
        if (text != null && text.length() > 3000) throw invalid("query holds at most 3000 characters");
        Comparator<CrmObject> order = sortOrder(body, defs);
        List<String> names = requestedNames(type, joined(Jsons.array(body, "properties")));

        List<CrmObject> matches = objects.get(type).values().stream()
                .filter(o -> filterGroups.isEmpty() || filterGroups.stream().anyMatch(g -> g.stream().allMatch(f -> matches(o, f))))
                .filter(o -> text == null || text.isBlank() || freeText(o, text))
                .sorted(order).toList();
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        matches.stream().skip(after).limit(limit).forEach(o -> results.add(HubSpotSandboxModel.object(o, names)));
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("total", matches.size()).add("results", results);
        if (after + limit < matches.size()) {
            b.add("paging", Jsons.BUILDERS.createObjectBuilder().add("next", Jsons.BUILDERS.createObjectBuilder()
                    .add("after", String.valueOf(after + limit))));
        }
        return ok(b);
    }

    private static String joined(JsonArray a) {
        if (a == null) return null;
        List<String> names = new ArrayList<>();
        for (JsonValue v : a) if (v instanceof JsonString s) names.add(s.getString());
        return names.isEmpty() ? null : String.join(",", names);
    }

    private static JsonObject checkedFilter(JsonValue f, Map<String, PropertyDef> defs) {
        if (!(f instanceof JsonObject filter)) throw invalid("Every filter must be an object");
        String property = Jsons.nonBlank(filter, "propertyName");
        String operator = Jsons.nonBlank(filter, "operator");
        if (property == null) throw invalid("Every filter needs a propertyName");
        if (operator == null || !OPERATORS.contains(operator)) {
            throw invalid("Unknown filter operator " + printable(operator) + "; use one of " + sorted(OPERATORS));
        }
        if (!defs.containsKey(property)) throw invalid("Unknown property " + printable(property) + " in a filter");
        switch (operator) {
            case "IN", "NOT_IN" -> {
                if (Jsons.array(filter, "values") == null) throw invalid(operator + " needs a values array");
            }
            case "BETWEEN" -> {
                if (Jsons.string(filter, "value") == null || Jsons.string(filter, "highValue") == null) {
                    throw invalid("BETWEEN needs value and highValue");
                }
            }
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
            }
            default -> {
                if (filterValue(filter, "value") == null) {
                    throw invalid(operator + " on " + printable(property) + " needs a value");
                }
            }
        }
        return filter;
    }

    private static String filterValue(JsonObject f, String key) {
        JsonValue v = f.get(key);
        if (v == JsonValue.TRUE || v == JsonValue.FALSE) return v.toString();
        return Jsons.string(f, key);
    }

    private static boolean matches(CrmObject o, JsonObject f) {
        String stored = o.get(f.getString("propertyName"));
        String value = filterValue(f, "value");
        return switch (f.getString("operator")) {
            case "EQ" -> stored != null && stored.equalsIgnoreCase(value);
            case "NEQ" -> stored == null || !stored.equalsIgnoreCase(value);
            case "LT" -> stored != null && compare(stored, value) < 0;
            case "LTE" -> stored != null && compare(stored, value) <= 0;
            case "GT" -> stored != null && compare(stored, value) > 0;
            case "GTE" -> stored != null && compare(stored, value) >= 0;
            case "BETWEEN" -> stored != null && compare(stored, value) >= 0 && compare(stored, filterValue(f, "highValue")) <= 0;
            case "IN" -> stored != null && inValues(stored, f);
            case "NOT_IN" -> stored == null || !inValues(stored, f);
            case "HAS_PROPERTY" -> stored != null;
            case "NOT_HAS_PROPERTY" -> stored == null;
            case "CONTAINS_TOKEN" -> stored != null && containsToken(stored, value);
            default -> stored == null || !containsToken(stored, value); // NOT_CONTAINS_TOKEN
        };
    }

    private static boolean inValues(String stored, JsonObject f) {
        for (JsonValue v : f.getJsonArray("values")) {
            String s = v instanceof JsonString js ? js.getString() : v.toString();
            if (stored.equalsIgnoreCase(s)) return true;
        }
        return false;
    }

    /** Numbers as numbers, dates as instants, else text ignoring case. */
    private static int compare(String stored, String value) {
        BigDecimal a = HubSpotSandboxModel.decimal(stored);
        BigDecimal b = HubSpotSandboxModel.decimal(value);
        if (a != null && b != null) return a.compareTo(b);
        Instant x = HubSpotSandboxModel.instant(stored);
        Instant y = HubSpotSandboxModel.instant(value);
        if (x != null && y != null) return x.compareTo(y);
        return stored.compareToIgnoreCase(value == null ? "" : value);
    }

    private static List<String> tokens(String s) {
        List<String> t = new ArrayList<>();
        for (String part : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}*]+")) if (!part.isEmpty()) t.add(part);
        return t;
    }

    /** The value's tokens appear as a run among the stored value's; {@code *} matches any characters in a token. */
    static boolean containsToken(String stored, String value) {
        List<String> have = tokens(stored.replace("*", " "));
        List<String> want = tokens(value == null ? "" : value);
        if (want.isEmpty()) return false;
        List<Pattern> patterns = want.stream()
                .map(w -> Pattern.compile(String.join(".*", List.of(w.split("\\*", -1)).stream().map(Pattern::quote).toList())))
                .toList();
        for (int i = 0; i + patterns.size() <= have.size(); i++) {
            boolean all = true;
            for (int j = 0; j < patterns.size() && all; j++) all = patterns.get(j).matcher(have.get(i + j)).matches();
            if (all) return true;
        }
        return false;
    }

    private static boolean freeText(CrmObject o, String text) {
        String needle = text.toLowerCase(Locale.ROOT).trim();
        List<String> fields = switch (o.type) {
            case CONTACTS -> List.of("email", "firstname", "lastname", "phone", "mobilephone", "company");
            case TICKETS -> List.of("subject", "content");
            default -> List.of("hs_note_body");
        };
        return fields.stream().map(o::get).anyMatch(v -> v != null && v.toLowerCase(Locale.ROOT).contains(needle));
    }

    /** At most one sort: {@code "-createdate"}, {@code "createdate"} or {@code {propertyName, direction}}; default id. */
    private static Comparator<CrmObject> sortOrder(JsonObject body, Map<String, PropertyDef> defs) {
        Comparator<CrmObject> byId = Comparator.comparingLong(o -> o.id);
        JsonArray sorts = Jsons.array(body, "sorts");
        if (sorts == null || sorts.isEmpty()) return byId;
        if (sorts.size() > 1) throw invalid("At most one sort is allowed");
        String property;
        boolean descending;
        if (sorts.get(0) instanceof JsonString s) {
            descending = s.getString().startsWith("-");
            property = descending ? s.getString().substring(1) : s.getString();
        } else if (sorts.get(0) instanceof JsonObject so && Jsons.nonBlank(so, "propertyName") != null) {
            property = so.getString("propertyName");
            descending = "DESCENDING".equals(Jsons.string(so, "direction"));
        } else {
            throw invalid("A sort is a property name (\"-name\" descending) or {propertyName, direction}");
        }
        if (!defs.containsKey(property)) throw invalid("Unknown property " + printable(property) + " in sorts");
        String p = property;
        Comparator<CrmObject> c = (a, b) -> {
            String x = a.get(p);
            String y = b.get(p);
            if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
            return compare(x, y);
        };
        return (descending ? c.reversed() : c).thenComparing(byId);
    }

    // ---- associations ---------------------------------------------------------------------------

    private record Link(String toType, long toId) {
    }

    /** The {@code associations} of a create: every type id must be HUBSPOT_DEFINED from {@code type}, every target exist. */
    private List<Link> links(String type, JsonArray given) {
        List<Link> out = new ArrayList<>();
        if (given == null) return out;
        for (int i = 0; i < given.size(); i++) {
            JsonObject a = given.get(i) instanceof JsonObject o ? o : null;
            String toId = a == null ? null : Jsons.nonBlank(Jsons.object(a, "to"), "id");
            JsonArray types = a == null ? null : Jsons.array(a, "types");
            if (toId == null || types == null || types.isEmpty()) {
                throw invalid("associations[" + i + "] needs to.id and a non-empty types array");
            }
            for (JsonValue t : types) {
                JsonObject spec = t instanceof JsonObject o ? o : null;
                Long typeId = Jsons.integer(spec, "associationTypeId");
                String category = Jsons.string(spec, "associationCategory");
                String toType = checkedType(type, null, category, typeId);
                CrmObject target = toId.matches("\\d{1,18}") ? objects.get(toType).get(Long.parseLong(toId)) : null;
                if (target == null) {
                    throw invalid("associations[" + i + "]: no " + HubSpotSandboxModel.singular(toType) + " with id "
                            + printable(toId) + " (association type " + typeId + " is " + type + " to " + toType + ")");
                }
                out.add(new Link(toType, target.id));
            }
        }
        return out;
    }

    /**
     * The target type an association spec implies from {@code fromType}; with {@code toType} given, the spec must be
     * that pair's id. Else 400 naming the valid ids.
     */
    private static String checkedType(String fromType, String toType, String category, Long typeId) {
        if (category == null || !CATEGORIES.contains(category)) {
            throw invalid("associationCategory " + printable(category) + " is not one of " + sorted(CATEGORIES));
        }
        if (typeId == null) throw invalid("associationTypeId is required");
        if (!category.equals("HUBSPOT_DEFINED")) {
            throw invalid("association type " + typeId + " (" + category + ") does not exist: the sandbox has no custom "
                    + "association labels, only HUBSPOT_DEFINED types");
        }
        List<String> valid = new ArrayList<>();
        for (String to : List.of(CONTACTS, TICKETS, NOTES)) {
            if (toType != null && !to.equals(toType)) continue;
            Integer id = HubSpotSandboxModel.typeId(fromType, to);
            if (id == null) continue;
            if (id.longValue() == typeId) return to;
            valid.add(id + " (" + HubSpotSandboxModel.singular(fromType) + " to " + HubSpotSandboxModel.singular(to) + ")");
        }
        throw invalid("associationTypeId " + typeId + " is not a valid HUBSPOT_DEFINED type from a "
                + HubSpotSandboxModel.singular(fromType) + (toType == null ? "" : " to a " + HubSpotSandboxModel.singular(toType))
                + (valid.isEmpty() ? "; no association exists between these types" : "; valid: " + String.join(", ", valid)));
    }

    /** Links both ways, with the pair's HUBSPOT_DEFINED ids. */
    private void link(String fromType, long fromId, String toType, long toId) {
        associations.computeIfAbsent(new AssocKey(fromType, fromId, toType, toId), k -> new LinkedHashSet<>())
                .add(HubSpotSandboxModel.typeId(fromType, toType));
        associations.computeIfAbsent(new AssocKey(toType, toId, fromType, fromId), k -> new LinkedHashSet<>())
                .add(HubSpotSandboxModel.typeId(toType, fromType));
    }

    /** Ids of the live objects of {@code toType} associated with the object, oldest association first. */
    private List<Long> associated(String type, long id, String toType) {
        List<Long> out = new ArrayList<>();
        for (AssocKey k : associations.keySet()) {
            if (k.fromType().equals(type) && k.fromId() == id && k.toType().equals(toType)
                    && objects.get(toType).containsKey(k.toId())) {
                out.add(k.toId());
            }
        }
        return out;
    }

    private CrmObject pathObject(String typeSegment, String id) {
        String type = type(typeSegment);
        CrmObject o = id.matches("\\d{1,18}") ? objects.get(type).get(Long.parseLong(id)) : null;
        if (o == null) throw notFound("No " + HubSpotSandboxModel.singular(type) + " with id " + printable(id));
        return o;
    }

    private SandboxResponse associateDefault(String fromSeg, String fromId, String toSeg, String toId, Request r) {
        CrmObject from = pathObject(fromSeg, fromId);
        CrmObject to = pathObject(toSeg, toId);
        Integer typeId = HubSpotSandboxModel.typeId(from.type, to.type);
        if (typeId == null) throw invalid("No association exists between " + from.type + " and " + to.type);
        link(from.type, from.id, to.type, to.id);
        r.logs().add("SANDBOX: " + HubSpotSandboxModel.singular(from.type) + " " + from.id + " associated with "
                + HubSpotSandboxModel.singular(to.type) + " " + to.id);
        Instant now = now();
        return ok(Jsons.BUILDERS.createObjectBuilder().add("status", "COMPLETE")
                .add("results", Jsons.BUILDERS.createArrayBuilder().add(defaultResult(from, to)).add(defaultResult(to, from)))
                .add("startedAt", iso(now)).add("completedAt", iso(now)));
    }

    private static JsonObjectBuilder defaultResult(CrmObject from, CrmObject to) {
        return Jsons.BUILDERS.createObjectBuilder()
                .add("from", Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(from.id)))
                .add("to", Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(to.id)))
                .add("associationSpec", Jsons.BUILDERS.createObjectBuilder().add("associationCategory", "HUBSPOT_DEFINED")
                        .add("associationTypeId", HubSpotSandboxModel.typeId(from.type, to.type)));
    }

    /** Body {@code [{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":16}]}. */
    private SandboxResponse associateLabeled(String fromSeg, String fromId, String toSeg, String toId, Request r) {
        CrmObject from = pathObject(fromSeg, fromId);
        CrmObject to = pathObject(toSeg, toId);
        if (!(r.jsonValue() instanceof JsonArray specs) || specs.isEmpty()) {
            throw invalid("The body must be a non-empty array of {associationCategory, associationTypeId}");
        }
        for (JsonValue v : specs) {
            JsonObject spec = v instanceof JsonObject o ? o : null;
            checkedType(from.type, to.type, Jsons.string(spec, "associationCategory"), Jsons.integer(spec, "associationTypeId"));
        }
        link(from.type, from.id, to.type, to.id);
        r.logs().add("SANDBOX: " + HubSpotSandboxModel.singular(from.type) + " " + from.id + " associated with "
                + HubSpotSandboxModel.singular(to.type) + " " + to.id);
        return new SandboxResponse(201, Jsons.BUILDERS.createObjectBuilder()
                .add("fromObjectTypeId", HubSpotSandboxModel.objectTypeId(from.type)).add("fromObjectId", from.id)
                .add("toObjectTypeId", HubSpotSandboxModel.objectTypeId(to.type)).add("toObjectId", to.id)
                .add("labels", Jsons.BUILDERS.createArrayBuilder()).build().toString());
    }

    private SandboxResponse listAssociations(String fromSeg, String fromId, String toSeg) {
        CrmObject from = pathObject(fromSeg, fromId);
        String toType = type(toSeg);
        JsonArrayBuilder results = Jsons.BUILDERS.createArrayBuilder();
        for (long id : associated(from.type, from.id, toType)) {
            JsonArrayBuilder types = Jsons.BUILDERS.createArrayBuilder();
            for (int typeId : associations.get(new AssocKey(from.type, from.id, toType, id))) {
                types.add(Jsons.BUILDERS.createObjectBuilder().add("category", "HUBSPOT_DEFINED").add("typeId", typeId).addNull("label"));
            }
            results.add(Jsons.BUILDERS.createObjectBuilder().add("toObjectId", id).add("associationTypes", types));
        }
        return ok(Jsons.BUILDERS.createObjectBuilder().add("results", results));
    }

    // ---- files ----------------------------------------------------------------------------------

    private SandboxResponse upload(Request r) {
        Map<String, Part> parts = HubSpotSandboxModel.multipart(r.contentType(), r.body());
        if (parts == null) throw invalid("The body must be multipart/form-data with a boundary");
        Part file = parts.get("file");
        if (file == null) throw invalid("The part 'file' is required");
        String folderId = text(parts.get("folderId"));
        String folderPath = text(parts.get("folderPath"));
        if (folderId == null && folderPath == null) throw invalid("folderId or folderPath must be provided");
        String optionsText = text(parts.get("options"));
        JsonObject options = optionsText == null ? null : Jsons.parseObjectOrNull(optionsText);
        if (options == null) throw invalid("The part 'options' is required: a JSON object with access");
        String access = Jsons.string(options, "access");
        if (access == null || !ACCESS.contains(access)) {
            throw invalid("options.access " + printable(access) + " is not one of " + sorted(ACCESS));
        }
        String fileName = text(parts.get("fileName"));
        if (fileName == null) fileName = file.filename();
        if (fileName == null || fileName.isBlank()) throw invalid("fileName is required (or a filename on the file part)");
        fileName = fileName.replaceAll("[/\\\\\\p{Cntrl}]", "_");
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        String extension = dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        String kind = switch (extension) {
            case "png", "jpg", "jpeg", "gif", "webp" -> "IMG";
            case "pdf", "txt", "doc", "docx", "csv" -> "DOCUMENT";
            case "mp3", "ogg", "wav" -> "AUDIO";
            case "mp4", "mov" -> "MOVIE";
            default -> "OTHER";
        };
        String folder = folderPath == null ? "/folder-" + folderId : (folderPath.startsWith("/") ? folderPath : "/" + folderPath);
        long id = nextId.merge("files", 1L, Long::sum) - 1;
        FileRecord f = new FileRecord(id, name, extension, folder.replaceAll("/+$", "") + "/" + fileName, folderId, access,
                file.data().length, kind, md5(file.data()), now());
        files.put(id, f);
        r.logs().add("SANDBOX: file " + id + " uploaded: " + printable(f.path()) + " (" + f.size() + " bytes, " + access + ")");
        return new SandboxResponse(201, HubSpotSandboxModel.file(f, fileUrl(f)).toString());
    }

    private static String text(Part p) {
        if (p == null) return null;
        String s = new String(p.data(), StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? null : s;
    }

    private String fileUrl(FileRecord f) {
        return base() + "/files/v3/files/" + f.id();
    }

    // ---- agent view -----------------------------------------------------------------------------

    private SandboxResponse agent(Request r) {
        String[] s = r.s();
        if (!r.method().equals("GET")) {
            return error(405, "METHOD_NOT_ALLOWED", "The agent view is read-only: GET only", null);
        }
        if (s.length == 2 && s[1].equals("tickets")) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            newestFirst(TICKETS).forEach(t -> a.add(agentTicket(t, false)));
            return ok(Jsons.BUILDERS.createObjectBuilder().add("tickets", a));
        }
        if (s.length == 3 && s[1].equals("tickets")) {
            CrmObject t = s[2].matches("\\d{1,18}") ? objects.get(TICKETS).get(Long.parseLong(s[2])) : null;
            if (t == null) throw notFound("No ticket with id " + printable(s[2]));
            return ok(agentTicket(t, true));
        }
        if (s.length == 2 && s[1].equals("contacts")) {
            JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
            for (CrmObject c : newestFirst(CONTACTS)) {
                JsonArrayBuilder tickets = Jsons.BUILDERS.createArrayBuilder();
                associated(CONTACTS, c.id, TICKETS).forEach(id -> tickets.add(String.valueOf(id)));
                a.add(agentContact(c).add("createdAt", iso(c.createdAt)).add("tickets", tickets));
            }
            return ok(Jsons.BUILDERS.createObjectBuilder().add("contacts", a));
        }
        throw notFound("No route for GET " + printable(r.path()));
    }

    private List<CrmObject> newestFirst(String type) {
        return objects.get(type).values().stream().sorted(Comparator.comparing((CrmObject o) -> o.createdAt)
                .thenComparingLong(o -> o.id).reversed()).toList();
    }

    /**
     * A ticket as an agent sees it: {@code {id, subject, priority, pipeline:{id,label}, stage:{id,label,ticketState},
     * createdAt, updatedAt, contact:{id,email,firstname,lastname,phone,mobilephone}|null, notes:[{id, timestamp}]}};
     * the detail adds {@code content}, {@code properties} (all set), {@code contacts} (all associated) and each note's
     * {@code body} and {@code attachmentIds}.
     */
    private JsonObjectBuilder agentTicket(CrmObject t, boolean detail) {
        String pipelineId = t.props.getOrDefault("hs_pipeline", HubSpotSandboxModel.PIPELINE_ID);
        Stage st = HubSpotSandboxModel.stage(t.props.get("hs_pipeline_stage"));
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(t.id));
        addOrNull(b, "subject", t.get("subject"));
        addOrNull(b, "priority", t.get("hs_ticket_priority"));
        b.add("pipeline", Jsons.BUILDERS.createObjectBuilder().add("id", pipelineId).add("label", HubSpotSandboxModel.PIPELINE_LABEL));
        b.add("stage", st == null ? Jsons.BUILDERS.createObjectBuilder().addNull("id") : Jsons.BUILDERS.createObjectBuilder()
                .add("id", st.id()).add("label", st.label()).add("ticketState", st.ticketState()));
        b.add("createdAt", iso(t.createdAt)).add("updatedAt", iso(t.updatedAt));
        List<Long> contactIds = associated(TICKETS, t.id, CONTACTS);
        if (contactIds.isEmpty()) b.addNull("contact");
        else b.add("contact", agentContact(objects.get(CONTACTS).get(contactIds.get(0))));
        JsonArrayBuilder notes = Jsons.BUILDERS.createArrayBuilder();
        List<CrmObject> noteObjects = associated(TICKETS, t.id, NOTES).stream().map(id -> objects.get(NOTES).get(id))
                .sorted(Comparator.comparing((CrmObject n) -> n.props.getOrDefault("hs_timestamp", "")).thenComparingLong(n -> n.id))
                .toList();
        for (CrmObject n : noteObjects) {
            JsonObjectBuilder nb = Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(n.id));
            addOrNull(nb, "timestamp", n.get("hs_timestamp"));
            if (detail) {
                addOrNull(nb, "body", n.get("hs_note_body"));
                JsonArrayBuilder ids = Jsons.BUILDERS.createArrayBuilder();
                String att = n.get("hs_attachment_ids");
                if (att != null) for (String a : att.split(";")) ids.add(a.trim());
                nb.add("attachmentIds", ids);
            }
            notes.add(nb);
        }
        b.add("notes", notes);
        if (detail) {
            addOrNull(b, "content", t.get("content"));
            JsonObjectBuilder props = Jsons.BUILDERS.createObjectBuilder();
            t.props.forEach(props::add);
            b.add("properties", props);
            JsonArrayBuilder contacts = Jsons.BUILDERS.createArrayBuilder();
            contactIds.forEach(id -> contacts.add(agentContact(objects.get(CONTACTS).get(id))));
            b.add("contacts", contacts);
        }
        return b;
    }

    private static JsonObjectBuilder agentContact(CrmObject c) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(c.id));
        for (String p : List.of("email", "firstname", "lastname", "phone", "mobilephone")) addOrNull(b, p, c.get(p));
        return b;
    }

    private static void addOrNull(JsonObjectBuilder b, String key, String value) {
        if (value == null) b.addNull(key);
        else b.add(key, value);
    }

    // ---- auth, rate limits, helpers ---------------------------------------------------------------

    private boolean bearerMatches(Map<String, List<String>> headers) {
        String value = header(headers, "Authorization");
        String token = value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : "";
        return MessageDigest.isEqual(tokenDigest, sha256(token)) & !token.isEmpty() & tokenSet;
    }

    /** Counts the call in the rolling window and the UTC day; the 429 when over a limit. Fills the headers. */
    private SandboxResponse rateLimit(Instant now, Map<String, String> h) {
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(WINDOW))) window.removeFirst();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!today.equals(day)) {
            day = today;
            dayCount = 0;
        }
        SandboxResponse refused = null;
        if (dayCount >= DAILY_MAX) {
            refused = rateLimited("You have reached your daily limit.", "DAILY");
        } else if (window.size() >= TEN_SECOND_MAX) {
            refused = rateLimited("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING");
        } else {
            window.addLast(now);
            dayCount++;
        }
        h.put("X-HubSpot-RateLimit-Max", String.valueOf(TEN_SECOND_MAX));
        h.put("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(WINDOW.toMillis()));
        h.put("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, TEN_SECOND_MAX - window.size())));
        h.put("X-HubSpot-RateLimit-Daily", String.valueOf(DAILY_MAX));
        h.put("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, DAILY_MAX - dayCount)));
        return refused;
    }

    private static SandboxResponse rateLimited(String message, String policy) {
        return new SandboxResponse(429, Jsons.BUILDERS.createObjectBuilder().add("status", "error").add("message", message)
                .add("errorType", "RATE_LIMIT").add("correlationId", java.util.UUID.randomUUID().toString())
                .add("policyName", policy).build().toString());
    }

    private static SandboxResponse withHeaders(SandboxResponse r, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.putAll(extra);
        return new SandboxResponse(r.status(), r.json(), h, r.bytes());
    }

    private static SandboxResponse ok(JsonObjectBuilder b) {
        return new SandboxResponse(200, b.build().toString());
    }

    private static long numericId(String s) {
        return s.matches("\\d{1,18}") ? Long.parseLong(s) : -1;
    }

    private static long queryNumber(Map<String, String> query, String key, long fallback, long min, long max) {
        String s = query.get(key);
        if (s == null || s.isBlank()) return fallback;
        try {
            long v = Long.parseLong(s.trim());
            if (v < min || v > max) throw invalid(key + " must be between " + min + " and " + max + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a number, got " + printable(s));
        }
    }

    private static byte[] sha256(String s) {
        return digest("SHA-256", s.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5(byte[] b) {
        return HexFormat.of().formatHex(digest("MD5", b));
    }

    private static byte[] digest(String algorithm, byte[] b) {
        try {
            return MessageDigest.getInstance(algorithm).digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    private Instant now() {
        return ctx.clock().instant();
    }

    private String base() {
        String b = ctx.sandboxUrl().toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }
}
