package dev.parley.hubspot.sandbox;

import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link HubSpotSandbox}'s records and how it renders them: CRM objects, property definitions, the ticket
 * pipeline, files, HubSpot's error bodies, and the sandbox-only agent view. Callers hold the sandbox's lock.
 */
final class HubSpotSandboxModel {

    private HubSpotSandboxModel() {
    }

    static final String CONTACTS = "contacts";
    static final String TICKETS = "tickets";
    static final String NOTES = "notes";

    private static final DateTimeFormatter ISO_MS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A contact, ticket or note: string properties, as HubSpot keeps them. */
    static final class CrmObject {
        final String type;
        final long id;
        final Map<String, String> props = new LinkedHashMap<>();
        final Instant createdAt;
        Instant updatedAt;

        CrmObject(String type, long id, Instant createdAt) {
            this.type = type;
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        String get(String name) {
            String v = props.get(name);
            return v == null || v.isEmpty() ? null : v;
        }
    }

    record Option(String label, String value, int displayOrder) {
    }

    /** A property definition; {@code unique} is HubSpot's {@code hasUniqueValue} (and, for contacts, email). */
    record PropertyDef(String name, String label, String type, String fieldType, String groupName, String description,
                       boolean unique, boolean hubspotDefined, boolean readOnly, List<Option> options, Instant createdAt) {
    }

    record Stage(String id, String label, int displayOrder, String ticketState) {
    }

    record FileRecord(long id, String name, String extension, String path, String folderId, String access, long size,
                      String type, String md5, Instant createdAt) {
    }

    /** A directed association: HubSpot keeps one each way (16 ticket→contact has its 15 contact→ticket). */
    record AssocKey(String fromType, long fromId, String toType, long toId) {
    }

    /** The default pipeline's stages, as the brief fixes them. */
    static final List<Stage> STAGES = List.of(
            new Stage("1", "New", 0, "OPEN"),
            new Stage("2", "Waiting on contact", 1, "OPEN"),
            new Stage("3", "Waiting on us", 2, "OPEN"),
            new Stage("4", "Closed", 3, "CLOSED"));
    static final String PIPELINE_ID = "0";
    static final String PIPELINE_LABEL = "Support Pipeline";

    static Stage stage(String id) {
        return STAGES.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** HUBSPOT_DEFINED association type ids, "from>to" (HubSpot's Ruby SDK table in the notes). */
    static final Map<String, Integer> TYPE_IDS = Map.of(
            TICKETS + ">" + CONTACTS, 16, CONTACTS + ">" + TICKETS, 15,
            NOTES + ">" + TICKETS, 228, TICKETS + ">" + NOTES, 227,
            NOTES + ">" + CONTACTS, 202, CONTACTS + ">" + NOTES, 201);

    static Integer typeId(String from, String to) {
        return TYPE_IDS.get(from + ">" + to);
    }

    /** The canonical type of a path segment: singular and plural names, and the object type ids. */
    static String canonicalType(String segment) {
        return switch (segment.toLowerCase(Locale.ROOT)) {
            case "contacts", "contact", "0-1" -> CONTACTS;
            case "tickets", "ticket", "0-5" -> TICKETS;
            case "notes", "note", "0-46" -> NOTES;
            default -> null;
        };
    }

    static String singular(String type) {
        return type.substring(0, type.length() - 1);
    }

    static String objectTypeId(String type) {
        return switch (type) {
            case CONTACTS -> "0-1";
            case TICKETS -> "0-5";
            default -> "0-46";
        };
    }

    static String createdProperty(String type) {
        return type.equals(NOTES) ? "hs_createdate" : "createdate";
    }

    static String modifiedProperty(String type) {
        return type.equals(CONTACTS) ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    /** What a GET answers without {@code properties=} (the notes' defaults). */
    static List<String> defaultProperties(String type) {
        return switch (type) {
            case CONTACTS -> List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
            case TICKETS -> List.of("content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline",
                    "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject");
            default -> List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id");
        };
    }

    /** The built-in properties of each type (a small subset of HubSpot's hundreds). */
    static List<PropertyDef> builtIns(String type) {
        List<PropertyDef> p = new ArrayList<>();
        switch (type) {
            case CONTACTS -> {
                p.add(text("email", "Email", "contactinformation", "text", true));
                p.add(text("firstname", "First Name", "contactinformation", "text", false));
                p.add(text("lastname", "Last Name", "contactinformation", "text", false));
                p.add(text("phone", "Phone Number", "contactinformation", "phonenumber", false));
                p.add(text("mobilephone", "Mobile Phone Number", "contactinformation", "phonenumber", false));
                p.add(text("company", "Company Name", "contactinformation", "text", false));
                p.add(text("jobtitle", "Job Title", "contactinformation", "text", false));
                p.add(text("hubspot_owner_id", "Contact owner", "contactinformation", "text", false));
            }
            case TICKETS -> {
                p.add(text("subject", "Ticket name", "ticketinformation", "text", false));
                p.add(text("content", "Ticket description", "ticketinformation", "textarea", false));
                p.add(enumeration("hs_pipeline", "Pipeline", "select", List.of(new Option(PIPELINE_LABEL, PIPELINE_ID, 0))));
                p.add(enumeration("hs_pipeline_stage", "Ticket status", "select",
                        STAGES.stream().map(s -> new Option(s.label(), s.id(), s.displayOrder())).toList()));
                p.add(enumeration("hs_ticket_priority", "Priority", "select", List.of(new Option("Low", "LOW", 0),
                        new Option("Medium", "MEDIUM", 1), new Option("High", "HIGH", 2), new Option("Urgent", "URGENT", 3))));
                p.add(enumeration("hs_ticket_category", "Category", "checkbox", List.of(
                        new Option("Product issue", "PRODUCT_ISSUE", 0), new Option("Billing issue", "BILLING_ISSUE", 1),
                        new Option("Feature request", "FEATURE_REQUEST", 2), new Option("General inquiry", "GENERAL_INQUIRY", 3))));
                p.add(text("hubspot_owner_id", "Ticket owner", "ticketinformation", "text", false));
            }
            default -> {
                p.add(new PropertyDef("hs_timestamp", "Activity date", "datetime", "date", "engagement", "", false, true,
                        false, List.of(), Instant.EPOCH));
                p.add(text("hs_note_body", "Note body", "engagement", "html", false));
                p.add(text("hubspot_owner_id", "Activity assigned to", "engagement", "text", false));
                p.add(text("hs_attachment_ids", "Attached file IDs", "engagement", "text", false));
            }
        }
        p.add(readOnly(createdProperty(type), "Create date", "datetime"));
        p.add(readOnly(modifiedProperty(type), "Last modified date", "datetime"));
        p.add(readOnly("hs_object_id", "Record ID", "number"));
        return p;
    }

    private static PropertyDef text(String name, String label, String group, String fieldType, boolean unique) {
        return new PropertyDef(name, label, "string", fieldType, group, "", unique, true, false, List.of(), Instant.EPOCH);
    }

    private static PropertyDef enumeration(String name, String label, String fieldType, List<Option> options) {
        return new PropertyDef(name, label, "enumeration", fieldType, "ticketinformation", "", false, true, false, options,
                Instant.EPOCH);
    }

    private static PropertyDef readOnly(String name, String label, String type) {
        return new PropertyDef(name, label, type, type.equals("number") ? "number" : "date", "", "", false, true, true,
                List.of(), Instant.EPOCH);
    }

    // ---- rendering ------------------------------------------------------------------------------

    static String iso(Instant t) {
        return ISO_MS.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Epoch milliseconds or an ISO-8601 date-time (with offset), else null. */
    static Instant instant(String s) {
        if (s == null || s.isBlank()) return null;
        String v = s.trim();
        try {
            if (v.matches("-?\\d{1,15}")) return Instant.ofEpochMilli(Long.parseLong(v));
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    static BigDecimal decimal(String s) {
        if (s == null || s.length() > 100) return null;
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code SimplePublicObject}: {@code names} rendered, null when unset. */
    static JsonObjectBuilder object(CrmObject o, Collection<String> names) {
        JsonObjectBuilder props = Jsons.BUILDERS.createObjectBuilder();
        for (String n : names) {
            String v = o.props.get(n);
            if (v == null) props.addNull(n);
            else props.add(n, v);
        }
        return Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(o.id)).add("properties", props)
                .add("createdAt", iso(o.createdAt)).add("updatedAt", iso(o.updatedAt)).add("archived", false);
    }

    static JsonObject property(PropertyDef d) {
        JsonArrayBuilder options = Jsons.BUILDERS.createArrayBuilder();
        for (Option o : d.options()) {
            options.add(Jsons.BUILDERS.createObjectBuilder().add("label", o.label()).add("value", o.value())
                    .add("displayOrder", o.displayOrder()).add("hidden", false));
        }
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                .add("updatedAt", iso(d.createdAt())).add("createdAt", iso(d.createdAt()))
                .add("name", d.name()).add("label", d.label()).add("type", d.type()).add("fieldType", d.fieldType())
                .add("description", d.description()).add("groupName", d.groupName()).add("options", options)
                .add("displayOrder", -1).add("calculated", false).add("externalOptions", false)
                .add("hasUniqueValue", d.unique() && !d.hubspotDefined()).add("hidden", false);
        if (d.hubspotDefined()) b.add("hubspotDefined", true);
        return b.add("modificationMetadata", Jsons.BUILDERS.createObjectBuilder()
                        .add("archivable", !d.hubspotDefined()).add("readOnlyDefinition", d.hubspotDefined())
                        .add("readOnlyValue", d.readOnly()))
                .add("formField", !d.readOnly()).add("archived", false).build();
    }

    static JsonObject pipeline() {
        String epoch = iso(Instant.EPOCH);
        JsonArrayBuilder stages = Jsons.BUILDERS.createArrayBuilder();
        for (Stage s : STAGES) stages.add(stage(s));
        return Jsons.BUILDERS.createObjectBuilder().add("id", PIPELINE_ID).add("label", PIPELINE_LABEL)
                .add("displayOrder", 0).add("archived", false).add("createdAt", epoch).add("updatedAt", epoch)
                .add("stages", stages).build();
    }

    static JsonObject stage(Stage s) {
        String epoch = iso(Instant.EPOCH);
        return Jsons.BUILDERS.createObjectBuilder().add("id", s.id()).add("label", s.label())
                .add("displayOrder", s.displayOrder()).add("archived", false)
                .add("metadata", Jsons.BUILDERS.createObjectBuilder().add("ticketState", s.ticketState()))
                .add("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT").add("createdAt", epoch).add("updatedAt", epoch)
                .build();
    }

    static JsonObject file(FileRecord f, String url) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("id", String.valueOf(f.id()))
                .add("name", f.name()).add("extension", f.extension()).add("path", f.path());
        if (f.folderId() != null) b.add("parentFolderId", f.folderId());
        return b.add("access", f.access()).add("size", f.size()).add("type", f.type()).add("fileMd5", f.md5())
                .add("url", url).add("isUsableInContent", true)
                .add("createdAt", iso(f.createdAt())).add("updatedAt", iso(f.createdAt())).add("archived", false).build();
    }

    // ---- errors ---------------------------------------------------------------------------------

    /** Thrown by a handler to answer an error; the sandbox turns it into the response. */
    static final class Fail extends RuntimeException {
        final transient SandboxResponse response;

        Fail(SandboxResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /** HubSpot's error body {@code {status:"error", message, correlationId, category, context?}}. */
    static SandboxResponse error(int status, String category, String message, Map<String, List<String>> context) {
        JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder().add("status", "error").add("message", message)
                .add("correlationId", UUID.randomUUID().toString()).add("category", category);
        if (context != null && !context.isEmpty()) {
            JsonObjectBuilder c = Jsons.BUILDERS.createObjectBuilder();
            context.forEach((k, v) -> c.add(k, Jsons.BUILDERS.createArrayBuilder(v)));
            b.add("context", c);
        }
        return new SandboxResponse(status, b.build().toString());
    }

    static Fail fail(int status, String category, String message) {
        return new Fail(error(status, category, message, null));
    }

    static Fail invalid(String message) {
        return fail(400, "VALIDATION_ERROR", message);
    }

    static Fail notFound(String message) {
        return fail(404, "OBJECT_NOT_FOUND", message);
    }

    /** HubSpot's 400 for bad property values: the per-property errors as JSON inside the message. */
    static Fail invalidProperties(List<JsonObject> errors) {
        JsonArrayBuilder a = Jsons.BUILDERS.createArrayBuilder();
        errors.forEach(a::add);
        List<String> names = errors.stream().map(e -> e.getString("name", "")).toList();
        return new Fail(error(400, "VALIDATION_ERROR", "Property values were not valid: " + a.build(),
                Map.of("properties", names)));
    }

    static JsonObject propertyError(String name, String code, String message) {
        return Jsons.BUILDERS.createObjectBuilder().add("isValid", false).add("message", message).add("error", code)
                .add("name", name).build();
    }

    /** Request text for a message or log line: control characters shown as '?', at most 200 characters. */
    static String printable(String s) {
        if (s == null) return "";
        String p = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return p.length() > 200 ? p.substring(0, 200) + "..." : p;
    }

    // ---- multipart ------------------------------------------------------------------------------

    record Part(String filename, String contentType, byte[] data) {
    }

    /** The parts of a {@code multipart/form-data} body by name; null when the body is not one. */
    static Map<String, Part> multipart(String contentType, byte[] body) {
        String boundary = null;
        for (String param : contentType.split(";")) {
            String t = param.trim();
            if (t.regionMatches(true, 0, "boundary=", 0, 9)) boundary = unquote(t.substring(9));
        }
        if (boundary == null || boundary.isEmpty() || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        // ISO-8859-1 maps every byte to one char, so indexes are byte offsets.
        String all = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        Map<String, Part> parts = new LinkedHashMap<>();
        int at = all.indexOf(delimiter);
        if (at < 0) return null;
        while (true) {
            int start = at + delimiter.length();
            if (all.startsWith("--", start)) break; // the closing delimiter
            if (all.startsWith("\r\n", start)) start += 2;
            int next = all.indexOf("\r\n" + delimiter, start);
            if (next < 0) return null;
            int headerEnd = all.indexOf("\r\n\r\n", start);
            if (headerEnd < 0 || headerEnd > next) return null;
            String name = null;
            String filename = null;
            String type = null;
            for (String line : all.substring(start, headerEnd).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim();
                String value = new String(line.substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8);
                if (key.equalsIgnoreCase("Content-Type")) type = value;
                if (key.equalsIgnoreCase("Content-Disposition")) {
                    for (String param : value.split(";")) {
                        String t = param.trim();
                        if (t.startsWith("name=")) name = unquote(t.substring(5));
                        if (t.startsWith("filename=")) filename = unquote(t.substring(9));
                    }
                }
            }
            byte[] data = all.substring(headerEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1);
            if (name != null) parts.putIfAbsent(name, new Part(filename, type, data));
            at = next + 2;
        }
        return parts;
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
