package dev.parley.zendesk.sandbox;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the sandbox evaluates trigger conditions and renders webhook bodies, for the subset of Zendesk's
 * trigger language Parley uses. A condition on a field the sandbox does not know never matches, so a
 * trigger that relies on one stays quiet rather than firing when Zendesk would not.
 */
final class SandboxTriggers {

    /** Zendesk's status order, which {@code less_than}/{@code greater_than} compare by. */
    static final List<String> STATUSES = List.of("new", "open", "pending", "hold", "solved", "closed");

    /** Condition fields {@link #condition} understands. */
    static final Set<String> KNOWN_FIELDS = Set.of("update_type", "comment_is_public", "role", "current_tags", "status");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    /**
     * One ticket update as triggers see it.
     *
     * @param created        true for the update that created the ticket ({@code update_type} Create)
     * @param commentPublic  the comment this update added: true public, false internal note, null none
     * @param actorRole      role of the user making the update: {@code admin}, {@code agent} or {@code end-user}
     * @param previousStatus the status before the update (same as {@code status} when unchanged)
     */
    record Update(boolean created, long ticketId, String externalId, String subject, String status,
                  String previousStatus, Set<String> tags, Boolean commentPublic, String actorRole, String actorName,
                  String actorEmail, String requesterName, String requesterEmail, String latestComment,
                  String latestPublicComment, String link) {
    }

    private SandboxTriggers() {
    }

    /** True when every {@code all} condition and, if there are any, one {@code any} condition holds. */
    static boolean matches(JsonObject conditions, Update u) {
        if (conditions == null) return false;
        JsonArray all = conditions.get("all") instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
        JsonArray any = conditions.get("any") instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
        if (all.isEmpty() && any.isEmpty()) return false; // Zendesk refuses such triggers; never fire them
        for (JsonValue c : all) {
            if (!(c instanceof JsonObject o) || !condition(o, u)) return false;
        }
        if (any.isEmpty()) return true;
        for (JsonValue c : any) {
            if (c instanceof JsonObject o && condition(o, u)) return true;
        }
        return false;
    }

    static boolean condition(JsonObject c, Update u) {
        String field = text(c.get("field"));
        String op = text(c.get("operator"));
        if (op == null || op.isEmpty()) op = "is"; // older trigger JSON leaves "is" out
        String value = text(c.get("value"));
        if (field == null) return false;
        String v = value == null ? "" : value.strip();
        switch (field) {
            case "update_type": {
                boolean is = v.equalsIgnoreCase(u.created() ? "Create" : "Change");
                return op.equals("is") ? is : op.equals("is_not") && !is;
            }
            case "comment_is_public": {
                boolean is;
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "requester_can_see_comment" -> is = Boolean.TRUE.equals(u.commentPublic());
                    case "false" -> is = Boolean.FALSE.equals(u.commentPublic());
                    case "not_relevant" -> is = u.commentPublic() != null;
                    default -> is = false;
                }
                return op.equals("is") ? is : op.equals("is_not") && !is;
            }
            case "role": {
                // Admins are agents to Zendesk's "current user is agent".
                String role = u.actorRole() == null ? "" : u.actorRole();
                boolean agent = role.equals("agent") || role.equals("admin");
                boolean is = switch (v.toLowerCase(Locale.ROOT)) {
                    case "agent" -> agent;
                    case "admin" -> role.equals("admin");
                    case "end_user", "end-user" -> role.equals("end-user");
                    default -> false;
                };
                return op.equals("is") ? is : op.equals("is_not") && !is;
            }
            case "current_tags": {
                // The value is a space-separated list; includes = at least one of them.
                boolean anyPresent = Arrays.stream(v.toLowerCase(Locale.ROOT).split("\\s+"))
                        .filter(t -> !t.isEmpty()).anyMatch(u.tags()::contains);
                return switch (op) {
                    case "includes" -> anyPresent;
                    case "not_includes" -> !anyPresent;
                    default -> false;
                };
            }
            case "status": {
                int now = STATUSES.indexOf(u.status());
                int before = STATUSES.indexOf(u.previousStatus());
                int wanted = STATUSES.indexOf(v.toLowerCase(Locale.ROOT));
                boolean changed = u.created() || now != before;
                return switch (op) {
                    case "is" -> wanted >= 0 && now == wanted;
                    case "is_not" -> wanted >= 0 && now != wanted;
                    case "less_than" -> wanted >= 0 && now >= 0 && now < wanted;
                    case "greater_than" -> wanted >= 0 && now > wanted;
                    case "changed" -> changed;
                    case "not_changed" -> !changed;
                    case "value" -> changed && wanted >= 0 && now == wanted;
                    case "value_previous" -> changed && !u.created() && wanted >= 0 && before == wanted;
                    default -> false;
                };
            }
            default:
                return false;
        }
    }

    /**
     * Renders a webhook body template: known placeholders become their values, escaped so the body stays
     * valid JSON (real Zendesk's escaping is unconfirmed); unknown ones (and Liquid filters) become "".
     */
    static String render(String template, Update u) {
        if (template == null) return "";
        Map<String, String> values = placeholders(u);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(jsonEscape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> placeholders(Update u) {
        Map<String, String> p = new HashMap<>();
        p.put("ticket.id", Long.toString(u.ticketId()));
        p.put("ticket.external_id", nn(u.externalId()));
        p.put("ticket.status", nn(u.status()));
        p.put("ticket.title", nn(u.subject()));
        p.put("ticket.tags", String.join(" ", u.tags()));
        p.put("ticket.link", nn(u.link()));
        p.put("ticket.url", nn(u.link()));
        p.put("ticket.latest_comment", nn(u.latestComment()));
        p.put("ticket.latest_public_comment", nn(u.latestPublicComment()));
        p.put("ticket.requester.name", nn(u.requesterName()));
        p.put("ticket.requester.email", nn(u.requesterEmail()));
        p.put("current_user.name", nn(u.actorName()));
        p.put("current_user.email", nn(u.actorEmail()));
        return p;
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static String text(JsonValue v) {
        if (v instanceof JsonString s) return s.getString();
        if (v == null || v == JsonValue.NULL) return null;
        return v.toString(); // true/false/numbers as their JSON text
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
