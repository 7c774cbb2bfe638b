package dev.parley.hubspot;

import dev.parley.hubspot.http.HubSpotApi;
import dev.parley.hubspot.http.HubSpotClient;
import dev.parley.hubspot.ticket.TicketDesk;
import dev.parley.hubspot.ticket.TicketSetup;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.TranscriptLine;

/**
 * A running {@code hubspot} connection: one {@link HubSpotClient} (the rate-limit buckets of its token, shared with
 * every Parley instance) used by the verification and the desk.
 */
public class HubSpotConnection implements Connection, HandoffDesk, Diagnosable {

    protected final ConnectionContext ctx;
    protected final HubSpotSettings settings;
    protected final HubSpotClient client;
    private final TicketSetup setup;
    private final TicketDesk desk;

    public HubSpotConnection(ConnectionContext ctx, HubSpotSettings settings) {
        this(ctx, settings, d -> Thread.sleep(d.toMillis()));
    }

    /** With the client's in-line waits done by {@code sleeper} (tests move their clock instead). */
    public HubSpotConnection(ConnectionContext ctx, HubSpotSettings settings, HubSpotClient.Sleeper sleeper) {
        this.ctx = ctx;
        this.settings = settings;
        HubSpotApi api = ctx.restClients().create(HubSpotApi.class, settings.baseUri());
        this.client = new HubSpotClient(api, settings.accessToken(), settings.tokenHash(), ctx.rateLimits(),
                settings.rateLimit(), settings.dailyLimit(), sleeper, ctx.clock());
        this.setup = new TicketSetup(client, settings, ctx);
        this.desk = new TicketDesk(client, settings, ctx, setup);
    }

    /**
     * Checks the token (401), the scopes (403 naming the missing one) with cheap reads of contacts, tickets and the
     * ticket pipelines, resolves the pipeline and stage (an open one), and makes sure the unique ticket property
     * exists (creating it when {@code create-property} is on). Creates nothing else.
     */
    @Override
    public String verify() {
        String portal = setup.portal(true).map(p -> "HubSpot portal " + p).orElse("HubSpot (portal unknown)");
        client.ok("read HubSpot contacts", "crm.objects.contacts.read", (api, auth) -> api.listContacts(auth, 1));
        client.ok("read HubSpot tickets", "tickets", (api, auth) -> api.listTickets(auth, 1));
        TicketSetup.Target t = setup.resolveTarget();
        String property = setup.ensureProperty();
        return (sandbox() ? "sandbox: " : "") + portal + ": contacts and tickets readable; pipeline '"
                + t.pipelineLabel() + "' (" + t.pipelineId() + "), open stage '" + t.stageLabel() + "' ("
                + t.stageId() + "); " + property;
    }

    @Override
    public boolean sandbox() {
        return settings.sandbox();
    }

    @Override
    public DeskTicket open(Handoff handoff) {
        return desk.open(handoff);
    }

    @Override
    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
        desk.relay(ticket, line, messageKey);
    }

    @Override
    public void close(DeskTicket ticket, String reason) {
        desk.close(ticket, reason);
    }

    @Override
    public void close() {
        // nothing held: the REST client proxy is the runtime's
    }

    /**
     * The token and its scopes (one read of contacts and of tickets) and the configured pipeline and stage (still
     * there, still an open stage), by the verification's own calls; creates nothing.
     */
    @Override
    public java.util.List<Finding> diagnose() {
        java.util.List<Finding> out = new java.util.ArrayList<>();
        String fix = "in HubSpot (Settings > Integrations > Private apps) give the app's token the scopes "
                + "crm.objects.contacts.read/write and tickets, or put a valid token into 'access-token'";
        try {
            client.ok("read HubSpot contacts", "crm.objects.contacts.read", (api, auth) -> api.listContacts(auth, 1));
            client.ok("read HubSpot tickets", "tickets", (api, auth) -> api.listTickets(auth, 1));
            out.add(Finding.ok("hubspot.token", "the token reads contacts and tickets"));
        } catch (dev.parley.spi.PermanentException e) {
            out.add(Finding.error("hubspot.token", "handoffs to HubSpot fail: no ticket is opened", String.valueOf(e.getMessage()), fix));
            return out;
        } catch (RuntimeException e) {
            out.add(Finding.warning("hubspot.token", "Parley cannot reach HubSpot just now", String.valueOf(e.getMessage()),
                    "check HubSpot's status and base-url; ask again"));
            return out;
        }
        try {
            TicketSetup.Target t = setup.resolveTarget();
            out.add(Finding.ok("hubspot.pipeline", "pipeline '" + t.pipelineLabel() + "' (" + t.pipelineId()
                    + "), open stage '" + t.stageLabel() + "' (" + t.stageId() + ")"));
        } catch (dev.parley.spi.PermanentException e) {
            out.add(Finding.error("hubspot.pipeline", "handoffs to HubSpot fail: no ticket is opened",
                    String.valueOf(e.getMessage()), "set 'pipeline' and 'stage' to a pipeline and one of its open "
                            + "stages that exist (HubSpot: Settings > Objects > Tickets > Pipelines), then verify"));
        } catch (RuntimeException e) {
            out.add(Finding.warning("hubspot.pipeline", "Parley cannot read HubSpot's ticket pipelines just now",
                    String.valueOf(e.getMessage()), "ask again; if it stays, check HubSpot's status"));
        }
        return out;
    }
}
