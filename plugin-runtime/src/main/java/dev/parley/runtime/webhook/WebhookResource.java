package dev.parley.runtime.webhook;

import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.web.Problems;
import dev.parley.runtime.web.PublicEndpoint;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.parley.runtime.web.JsonSupport;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /channel/<connectionId>/webhook/<kind>}: the connection's receiver checks authenticity and
 * parses; every event is stored (dedup + session + bot turn) before the 200. A duplicate answers 200
 * and changes nothing. A storage failure answers 500 so the provider retries: nothing is lost, and the
 * events already stored are deduplicated on the retry. Under overload {@link IngestAdmission} answers 503 with
 * {@code Retry-After} instead, so what was acknowledged keeps its share of the machine.
 */
@ApplicationScoped
@PublicEndpoint("the connection's receiver checks the provider's credentials or signature")
@Path("/channel/{connectionId}/webhook/{kind}")
@Tag(name = "webhooks", description = "Called by providers")
public class WebhookResource {

    @Inject
    ConnectionManager connections;
    @Inject
    InboundIngest ingest;
    @Inject
    ConnectionLogService logs;
    @Inject
    dev.parley.runtime.health.StartupStatus startup;
    @Inject
    IngestAdmission admission;

    /** Skipped items named in an answer or a log entry; the rest are counted. */
    static final int MAX_LISTED = 20;

    static String summary(java.util.List<String> skipped) {
        String listed = String.join("; ", skipped.subList(0, Math.min(skipped.size(), 5)));
        return skipped.size() <= 5 ? listed : skipped.size() + " items, the first 5: " + listed;
    }

    private Response busy(String reason) {
        return Response.fromResponse(Problems.response(503, reason))
                .header("Retry-After", Integer.toString(admission.retryAfterSeconds())).build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a provider webhook")
    public Response receive(@PathParam("connectionId") String connectionId, @PathParam("kind") String kind,
                            @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        if (!startup.ready()) {
            return Response.fromResponse(Problems.response(503, "Parley is starting; retry shortly"))
                    .header("Retry-After", "5").build();
        }
        String refusal = admission.refusalBeforeWork();
        if (refusal != null) {
            return busy(refusal);
        }
        ManagedConnection connection = connections.running(connectionId).orElse(null);
        if (connection == null) {
            return Problems.response(404, "unknown or stopped connection '" + Problems.clip(connectionId) + "'");
        }
        WebhookReceiver receiver = connection.capability(WebhookReceiver.class).orElse(null);
        if (receiver == null) {
            return Problems.response(404, "connection '" + connectionId + "' does not receive webhooks");
        }
        try (dev.parley.runtime.logging.LogContext.Scope logged = dev.parley.runtime.logging.LogContext.connection(connection.id())) {
            return receive(connection, receiver, kind, headers, uri, body);
        }
    }

    /** What the connection's receiver makes of the webhook, stored; records logged meanwhile carry the connection. */
    private Response receive(ManagedConnection connection, WebhookReceiver receiver, String kind, HttpHeaders headers,
                             UriInfo uri, byte[] body) {
        String connectionId = connection.id();
        WebhookReceiver.WebhookBatch batch;
        try {
            batch = receiver.receive(new WebhookRequest(kind, headers.getRequestHeaders(), uri.getQueryParameters(), body));
        } catch (WebhookRejectedException e) {
            logs.rejected(connectionId, "webhook '" + Problems.clip(kind) + "' rejected (" + e.status() + "): " + e.getMessage());
            return Problems.response(e.status(), e.getMessage());
        }
        if (!batch.skipped().isEmpty()) {
            // One entry per batch (and per burst of batches), however many items it skipped: a batch of 20,000
            // empty items must not become 20,000 rows and transactions.
            logs.rejected(connectionId, "webhook '" + Problems.clip(kind) + "': skipped " + summary(batch.skipped()));
        }
        if (!admission.enter()) {
            return busy("Parley is storing other webhooks; retry in " + admission.retryAfterSeconds() + " s");
        }
        InboundIngest.Outcome outcome;
        try {
            outcome = ingest.ingest(connection, batch.events());
        } finally {
            admission.leave();
        }
        if (outcome.refused()) {
            // 422, not 404 (kept for an unknown connection) and not 5xx: the call is authentic and well formed,
            // but no retry can make it match, and desks such as Zendesk do not retry 4xx other than 409/429
            // (UNCONFIRMED), so it stops here. The reason is in the connection log (WARN) too.
            return Problems.response(422, String.join("; ", outcome.rejected()));
        }
        JsonArrayBuilder skipped = JsonSupport.JSON.createArrayBuilder();
        java.util.List<String> all = new java.util.ArrayList<>(batch.skipped());
        all.addAll(outcome.unmatched());
        all.addAll(outcome.rejected());
        all.stream().limit(MAX_LISTED).forEach(skipped::add);
        if (all.size() > MAX_LISTED) {
            skipped.add("... and " + (all.size() - MAX_LISTED) + " more");
        }
        return Response.ok(JsonSupport.JSON.createObjectBuilder()
                .add("accepted", outcome.accepted())
                .add("duplicates", outcome.duplicates())
                .add("skipped", skipped)
                .build().toString(), MediaType.APPLICATION_JSON).build();
    }
}
