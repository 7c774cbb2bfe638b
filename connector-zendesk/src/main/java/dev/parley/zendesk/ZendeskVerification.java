package dev.parley.zendesk;

import dev.parley.spi.PermanentException;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import jakarta.json.JsonObject;

import java.util.Locale;

/**
 * Proves the credentials work with {@code GET /api/v2/users/me}. That endpoint also answers anonymous
 * callers with 200, so a 200 alone proves nothing: the user must have an id, be the configured one, and
 * be an agent or admin who may manage end users and create tickets.
 */
final class ZendeskVerification {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private Long userId;

    ZendeskVerification(ZendeskClient client, ZendeskSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** The API user's id once {@link #verify()} succeeded (Parley's own comments are never echoed), else null. */
    Long userId() {
        return userId;
    }

    /** @return a one-line detail, e.g. "Zendesk acme: signed in as bot@acme.com (admin, user 123)" */
    String verify() {
        ZendeskResponse r = client.call("verify the Zendesk credentials", (api, auth) -> api.me(auth));
        String host = settings.baseUri().getHost();
        String noAccount = "no Zendesk account at " + host + ": check '" + ZendeskSettings.SUBDOMAIN
                + "' (just 'acme' for acme.zendesk.com)";
        if (r.status() == 401) {
            throw new PermanentException("Zendesk refused the credentials (401): check '" + ZendeskSettings.EMAIL
                    + "' and '" + ZendeskSettings.API_TOKEN + "', and that token access is on (Admin Center > Apps and "
                    + "integrations > APIs > Zendesk API > Settings)");
        }
        if ((r.status() >= 300 && r.status() < 400) || !r.isJson()) {
            throw new PermanentException(noAccount + " (answered " + r.status() + " without Zendesk's JSON)");
        }
        if (!r.ok()) {
            throw ZendeskClient.failure("verify the Zendesk credentials", r);
        }
        JsonObject user = Jsons.object(r.json(), "user");
        if (user == null) {
            throw new PermanentException(noAccount + " (the answer has no user)");
        }
        Long id = Jsons.integer(user, "id");
        String role = String.valueOf(Jsons.string(user, "role")).toLowerCase(Locale.ROOT);
        String email = Jsons.string(user, "email");
        boolean sameEmail = email != null && email.equalsIgnoreCase(settings.email());
        if (id == null || ("end-user".equals(role) && !sameEmail)) {
            throw new PermanentException("Zendesk answered as an anonymous user: the email/token pair was not accepted; "
                    + "check '" + ZendeskSettings.EMAIL + "' (" + settings.email() + ") and '" + ZendeskSettings.API_TOKEN
                    + "', and that token access is on (Admin Center > Apps and integrations > APIs > Zendesk API)");
        }
        if ("end-user".equals(role)) {
            throw new PermanentException("the Zendesk user " + settings.email() + " is an end user: use an admin, or an "
                    + "agent whose role may manage end users and create tickets");
        }
        if (!"admin".equals(role) && !"agent".equals(role)) {
            throw new PermanentException("the Zendesk user " + settings.email() + " has role '" + role + "': use an admin, "
                    + "or an agent whose role may manage end users and create tickets");
        }
        if (Jsons.bool(user, "restricted_agent", false)) {
            throw new PermanentException("the Zendesk user " + settings.email() + " is a restricted agent: use an admin, or "
                    + "an agent whose role may manage end users and create tickets and who sees all tickets");
        }
        userId = id;
        return "Zendesk " + settings.subdomain() + ": signed in as " + (email == null ? settings.email() : email)
                + " (" + role + ", user " + id + ")";
    }
}
