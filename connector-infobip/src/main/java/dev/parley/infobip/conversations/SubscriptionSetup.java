package dev.parley.infobip.conversations;

import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.webhook.WebhookSettings;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.ProviderSetup;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.SetupClaim;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connection's event subscription at Infobip (channel {@code CUSTOMER_ENGAGEMENT}): found, created, repaired and
 * removed. Its id is {@link ConversationsRequests#subscriptionId}, the same on every instance.
 *
 * <p>Several instances starting together: the one that wins the claim {@code subscription-claim} in the connection's
 * store (decided in Parley's database) creates; the others find it, or report it as being created. The claim reads
 * {@code creating@<instant>} while the create runs and {@code created@<instant>} after it. Either stands for
 * {@link #STALE_CLAIM}: a {@code creating} claim is another instance at work, and right after a create Infobip's list
 * may not show the new subscription yet. After that a subscription still missing (its creator died, it was deleted at
 * Infobip, a sandbox restarted) is created again by whoever takes the claim over with a compare-and-set.
 * Infobip itself refuses a second subscription with the same id (it is the path key), a second fence. An instance
 * that found the claim held looks again when it turns stale ({@link #blockedFor}), so a subscription lost within
 * those 60 s (an instance restarted right after creating it against a sandbox that forgot it) comes back by itself.
 */
final class SubscriptionSetup {

    static final String CLAIM = "subscription-claim";
    static final String CREATING_STAGE = "creating";
    static final String CREATED_STAGE = "created";
    static final String CREATING = CREATING_STAGE + "@";
    static final String CREATED = CREATED_STAGE + "@";
    static final String STORED_ID = "subscription";
    static final Duration STALE_CLAIM = Duration.ofSeconds(60);
    private static final String CHANNEL = SubscriptionsApi.CUSTOMER_ENGAGEMENT;

    private final ConnectionContext ctx;
    private final InfobipClient client;
    private final SubscriptionsApi api;
    private final WebhookSettings webhooks;
    private final String id;
    private final URI notifyUrl;
    private final SetupClaim claim;

    SubscriptionSetup(ConnectionContext ctx, InfobipClient client, WebhookSettings webhooks) {
        this.ctx = ctx;
        this.client = client;
        this.api = client.proxy(SubscriptionsApi.class);
        this.webhooks = webhooks;
        this.id = ConversationsRequests.subscriptionId(ctx.connectionId());
        this.notifyUrl = ctx.webhookUrl("events");
        this.claim = new SetupClaim(ctx.store(), () -> ctx.clock().instant(), CLAIM, STALE_CLAIM);
    }

    /** Ours as Infobip has it: absent, or present with the URL its profile notifies. */
    private record Found(boolean exists, String notifyUrl) {
    }

    ProviderSetup.SetupStatus check() {
        return status(find());
    }

    ProviderSetup.SetupStatus register() {
        Found found = find();
        if (found.exists() && notifyUrl.toString().equals(found.notifyUrl())) return status(found);
        ConnectionStore store = ctx.store();
        if (!claim.take(CREATING_STAGE)) {
            return new ProviderSetup.SetupStatus(false, List.of("subscription " + id + ": being created by another "
                    + "Parley instance (claim " + claim.held().orElse("?") + ")"), Map.of());
        }
        if (found.exists()) { // points elsewhere (the public URL changed): replace it
            InfobipResponse d = client.write(api, (a, auth) -> a.delete(auth, CHANNEL, id));
            if (!d.ok() && d.status() != 404) throw client.failure("deleting subscription " + id, d, ConversationsErrors.SUBSCRIPTION_SCOPES);
        }
        String body = ConversationsRequests.subscription(ctx.connectionId(), notifyUrl,
                webhooks.enabled() ? webhooks.username() : null, webhooks.password()).toString();
        InfobipResponse r = client.write(api, (a, auth) -> a.create(auth, CHANNEL, body));
        if (!r.ok()) {
            Found again = find(); // refused because another creator was first: that one counts
            if (again.exists()) {
                claim.mark(CREATED_STAGE);
                return status(again);
            }
            claim.release();
            throw client.failure("creating subscription " + id, r, ConversationsErrors.SUBSCRIPTION_SCOPES);
        }
        store.put(STORED_ID, id);
        claim.mark(CREATED_STAGE);
        return status(new Found(true, notifyUrl.toString()));
    }

    ProviderSetup.SetupStatus unregister() {
        InfobipResponse r = client.write(api, (a, auth) -> a.delete(auth, CHANNEL, id));
        if (!r.ok() && r.status() != 404) throw client.failure("deleting subscription " + id, r, ConversationsErrors.SUBSCRIPTION_SCOPES);
        ctx.store().remove(STORED_ID);
        ctx.store().remove(CLAIM);
        return new ProviderSetup.SetupStatus(false, List.of("subscription " + id + ": "
                + (r.status() == 404 ? "was not there" : "deleted")), Map.of());
    }

    /**
     * When the claim that refused this instance's last {@link #register} turns stale (zero if it is already); empty
     * when that register was not refused.
     */
    Optional<Duration> blockedFor() {
        return claim.blockedFor();
    }

    private ProviderSetup.SetupStatus status(Found f) {
        if (!f.exists()) {
            return new ProviderSetup.SetupStatus(false, List.of("subscription " + id + " (CUSTOMER_ENGAGEMENT): missing"),
                    Map.of());
        }
        boolean right = notifyUrl.toString().equals(f.notifyUrl());
        return new ProviderSetup.SetupStatus(right, List.of("subscription " + id + " (CUSTOMER_ENGAGEMENT): "
                + (right ? "active, notifies " + notifyUrl : "notifies " + f.notifyUrl() + ", not " + notifyUrl)),
                Map.of("subscription", id));
    }

    /** Pages through the channel's subscriptions for ours, then reads its profile's URL. */
    private Found find() {
        for (int page = 0; page < 20; page++) {
            int p = page;
            InfobipResponse r = client.read(api, (a, auth) -> a.subscriptions(auth, CHANNEL, p, 100));
            if (!r.ok()) throw client.failure("listing the CUSTOMER_ENGAGEMENT subscriptions", r, ConversationsErrors.SUBSCRIPTION_SCOPES);
            JsonArray results = Jsons.array(Jsons.parseObjectOrNull(r.body()), "results");
            if (results == null || results.isEmpty()) break;
            for (JsonValue v : results) {
                if (v instanceof JsonObject s && id.equals(Jsons.nonBlank(s, "subscriptionId"))) {
                    JsonObject profile = Jsons.object(s, "profile");
                    String profileId = profile == null ? null : Jsons.nonBlank(profile, "profileId");
                    return new Found(true, profileId == null ? null : profileUrl(profileId));
                }
            }
            if (results.size() < 100) break;
        }
        return new Found(false, null);
    }

    private String profileUrl(String profileId) {
        InfobipResponse r = client.read(api, (a, auth) -> a.profile(auth, profileId));
        if (!r.ok()) return null;
        return Jsons.nonBlank(Jsons.object(Jsons.parseObjectOrNull(r.body()), "webhook"), "notifyUrl");
    }
}
