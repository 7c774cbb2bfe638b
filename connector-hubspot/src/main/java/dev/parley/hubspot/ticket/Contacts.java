package dev.parley.hubspot.ticket;

import dev.parley.hubspot.http.HubSpotClient;
import dev.parley.hubspot.http.HubSpotResponse;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the HubSpot contact of a handoff's customer, or creates it.
 *
 * <ol>
 *   <li>By email ({@code email EQ}) when the handoff has one: email is HubSpot's unique contact key.</li>
 *   <li>By phone, normalised to E.164: one search on {@code phone} and one on {@code mobilephone}, each OR-ing
 *   {@code EQ} over the usual typed forms ({@link Phones#variants}); then a loose search on the last digits
 *   ({@code CONTAINS_TOKEN *<last 4 digits>}, for numbers typed with unusual grouping such as
 *   {@code +49 151 1234 5678}; HubSpot's tokenising of phone values is UNCONFIRMED, so this is a best effort). Every candidate is confirmed by normalising
 *   its stored number back to E.164, so a loose hit on someone else's number never counts.</li>
 *   <li>Else a new contact with the phone, the email and the name split into first and last name. A 409 naming the
 *   existing contact ("Existing ID: N") answers N.</li>
 * </ol>
 */
final class Contacts {

    static final String SCOPE_READ = "crm.objects.contacts.read";
    static final String SCOPE_WRITE = "crm.objects.contacts.write";
    private static final List<String> PROPERTIES = List.of("email", "firstname", "lastname", "phone", "mobilephone");
    private static final Pattern EXISTING_ID = Pattern.compile("Existing ID:\\s*([0-9]+)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final int LOOSE_DIGITS = 4;

    private final HubSpotClient client;

    Contacts(HubSpotClient client) {
        this.client = client;
    }

    /** The customer's E.164 number: the contact's phone, or its address when that looks like one. */
    static Optional<String> phone(HandoffContact c) {
        Optional<String> p = Phones.e164(c.phone());
        return p.isPresent() ? p : Phones.e164(c.address());
    }

    /** The customer's email: the contact's email, or its address when that is one. */
    static Optional<String> email(HandoffContact c) {
        for (String s : new String[] {c.email(), c.address()}) {
            if (s != null && EMAIL.matcher(s.strip()).matches()) return Optional.of(s.strip().toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    /** The contact id, found or created; empty when the customer has neither phone nor email. */
    Optional<String> findOrCreate(HandoffContact contact) {
        Optional<String> email = email(contact);
        Optional<String> phone = phone(contact);
        if (email.isPresent()) {
            Optional<String> id = byEmail(email.get());
            if (id.isPresent()) return id;
        }
        if (phone.isPresent()) {
            Optional<String> id = byPhone(phone.get());
            if (id.isPresent()) return id;
        }
        if (email.isEmpty() && phone.isEmpty()) return Optional.empty();
        return Optional.of(create(contact, email.orElse(null), phone.orElse(null)));
    }

    Optional<String> byEmail(String email) {
        JsonObject body = search(List.of(filter("email", "EQ", email)), 10);
        for (JsonObject c : results(body, "find the HubSpot contact by email")) {
            String stored = Jsons.string(Jsons.object(c, "properties"), "email");
            if (stored != null && stored.strip().equalsIgnoreCase(email)) return Optional.ofNullable(Jsons.string(c, "id"));
        }
        return Optional.empty();
    }

    Optional<String> byPhone(String e164) {
        List<String> variants = Phones.variants(e164);
        for (String property : List.of("phone", "mobilephone")) {
            List<JsonObject> groups = variants.stream().map(v -> filter(property, "EQ", v)).toList();
            Optional<String> id = confirmed(search(groups, 20), e164);
            if (id.isPresent()) return id;
        }
        String token = "*" + Phones.lastDigits(e164, LOOSE_DIGITS);
        return confirmed(search(List.of(filter("phone", "CONTAINS_TOKEN", token),
                filter("mobilephone", "CONTAINS_TOKEN", token)), 100), e164);
    }

    /** The first candidate whose stored phone or mobile phone is {@code e164} once normalised. */
    private Optional<String> confirmed(JsonObject answer, String e164) {
        for (JsonObject c : results(answer, "find the HubSpot contact by phone")) {
            JsonObject p = Jsons.object(c, "properties");
            for (String property : List.of("phone", "mobilephone")) {
                if (Phones.e164(Jsons.string(p, property), e164).filter(e164::equals).isPresent()) {
                    return Optional.ofNullable(Jsons.string(c, "id"));
                }
            }
        }
        return Optional.empty();
    }

    private String create(HandoffContact contact, String email, String phone) {
        JsonObjectBuilder props = Jsons.BUILDERS.createObjectBuilder();
        if (email != null) props.add("email", email);
        if (phone != null) props.add("phone", phone);
        String[] name = splitName(contact.name());
        if (name[0] != null) props.add("firstname", name[0]);
        if (name[1] != null) props.add("lastname", name[1]);
        String body = Jsons.BUILDERS.createObjectBuilder().add("properties", props).build().toString();
        String what = "create the HubSpot contact";
        HubSpotResponse r = client.write(what, (api, auth) -> api.createContact(auth, body));
        if (r.status() == 409) {
            Matcher m = EXISTING_ID.matcher(String.valueOf(Jsons.string(r.json(), "message")));
            if (m.find()) return m.group(1);
        }
        if (!r.ok()) throw client.failure(what, SCOPE_WRITE, r);
        String id = Jsons.string(r.json(), "id");
        if (id == null) throw client.failure(what + " (no id in the answer)", SCOPE_WRITE, r);
        return id;
    }

    /** First name and last name: the last word is the last name; a single word is the first name. */
    static String[] splitName(String name) {
        if (name == null || name.isBlank()) return new String[] {null, null};
        String n = name.strip().replaceAll("\\s+", " ");
        int cut = n.lastIndexOf(' ');
        return cut < 0 ? new String[] {n, null} : new String[] {n.substring(0, cut), n.substring(cut + 1)};
    }

    private JsonObject search(List<JsonObject> groupFilters, int limit) {
        JsonArrayBuilder groups = Jsons.BUILDERS.createArrayBuilder();
        for (JsonObject f : groupFilters) {
            groups.add(Jsons.BUILDERS.createObjectBuilder().add("filters", Jsons.BUILDERS.createArrayBuilder().add(f)));
        }
        JsonArrayBuilder props = Jsons.BUILDERS.createArrayBuilder();
        PROPERTIES.forEach(props::add);
        String body = Jsons.BUILDERS.createObjectBuilder().add("filterGroups", groups).add("properties", props)
                .add("limit", limit).build().toString();
        return client.ok("search HubSpot contacts", SCOPE_READ, (api, auth) -> api.searchContacts(auth, body));
    }

    private static JsonObject filter(String property, String operator, String value) {
        return Jsons.BUILDERS.createObjectBuilder().add("propertyName", property).add("operator", operator)
                .add("value", value).build();
    }

    private static List<JsonObject> results(JsonObject answer, String what) {
        JsonArray a = Jsons.array(answer, "results");
        if (a == null) return List.of();
        return a.stream().filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT).map(JsonObject.class::cast).toList();
    }
}
