package dev.parley.zendesk;

import dev.parley.spi.AssistDesk;
import dev.parley.spi.Connection;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.KnowledgeSource;
import dev.parley.spi.PermanentException;
import dev.parley.spi.ProviderSetup;
import dev.parley.spi.SandboxApi;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.LookAgain;
import dev.parley.zendesk.assist.TicketAssist;
import dev.parley.zendesk.helpcenter.HelpCenterSource;
import dev.parley.zendesk.http.RateLimiter;
import dev.parley.zendesk.http.ZendeskApi;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.sandbox.ZendeskSandbox;
import dev.parley.zendesk.setup.WebhookRegistration;
import dev.parley.zendesk.ticket.TicketDesk;
import dev.parley.zendesk.webhook.TicketWebhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A running {@code zendesk} connection: one {@link ZendeskClient} (one rate limit) shared by every
 * capability, each built in its own feature package.
 */
public class ZendeskConnection implements Connection, HandoffDesk, WebhookReceiver, ProviderSetup, KnowledgeSource,
        AssistDesk, Diagnosable {

    protected final ConnectionContext ctx;
    protected final ZendeskSettings settings;
    protected final ZendeskClient client;
    private final TicketDesk desk;
    private final TicketWebhooks webhooks;
    private final WebhookRegistration registration;
    private final HelpCenterSource helpCenter;
    private final TicketAssist assist;
    private final ZendeskSandbox sandbox;
    /** A second setup attempt, when another instance was setting up at start. */
    private final LookAgain lookAgain;
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(5);

    protected ZendeskConnection(ConnectionContext ctx, ZendeskSettings settings, ZendeskSandbox sandbox) {
        this.ctx = ctx;
        this.settings = settings;
        this.sandbox = sandbox;
        ZendeskApi api = ctx.restClients().create(ZendeskApi.class, settings.baseUri());
        this.client = new ZendeskClient(api, settings.authorization(),
                new RateLimiter(ctx.rateLimits(), settings.sandbox() ? "zendesk-sandbox:" + ctx.connectionId()
                        : RateLimiter.bucket(settings.subdomain()), settings.rateLimit(),
                        settings.rateWindow(), ctx.clock()), settings.maxRetries(),
                d -> Thread.sleep(d.toMillis()), ctx.clock());
        this.registration = new WebhookRegistration(client, settings, ctx);
        this.lookAgain = new LookAgain(ctx);
        this.desk = new TicketDesk(client, settings, ctx);
        this.webhooks = new TicketWebhooks(settings, ctx, registration::signingSecrets);
        this.helpCenter = new HelpCenterSource(client, settings, ctx);
        this.assist = new TicketAssist(client, settings, ctx);
    }

    static ZendeskConnection open(ConnectionContext ctx, ZendeskSettings settings) {
        ZendeskSandbox sandbox = settings.sandbox() ? new ZendeskSandbox(ctx, settings) : null;
        return new ZendeskConnection(ctx, settings, sandbox);
    }

    @Override
    public String verify() {
        ZendeskVerification verification = new ZendeskVerification(client, settings);
        String who = verification.verify();
        desk.rememberOwnUser(verification.userId());
        ProviderSetup.SetupStatus setup = settings.autoRegister() ? registerOrLookAgain() : registration.check();
        return who + "; " + (setup.complete() ? "webhook and triggers in place"
                : "webhook or triggers missing (" + String.join("; ", setup.items())
                + "): POST /api/connections/" + ctx.connectionId() + "/setup to create them");
    }

    /**
     * {@link WebhookRegistration#register}, and when another instance was setting up just then, the same again a few
     * seconds later (it gives its claim up when done, or the claim turns stale when that instance died), so every
     * instance ends up having checked the webhook and the triggers itself.
     */
    private ProviderSetup.SetupStatus registerOrLookAgain() {
        return lookAgain.setUp("Zendesk setup", registration::register, registration::blockedFor,
                ZendeskConnection::lookAgainIn);
    }

    /**
     * When to look again at a setup another instance holds the claim of: in 5 s (it gives the claim up when done), or
     * just after the claim turns stale if that comes sooner.
     */
    protected static Duration lookAgainIn(Duration claimHeld) {
        return claimHeld.compareTo(LOOK_AGAIN) < 0 ? claimHeld.plusSeconds(1) : LOOK_AGAIN;
    }

    @Override
    public boolean sandbox() {
        return sandbox != null;
    }

    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type == SandboxApi.class) {
            return Optional.ofNullable(sandbox).map(type::cast);
        }
        if (type == KnowledgeSource.class && !settings.knowledge()) {
            return Optional.empty();
        }
        return Connection.super.capability(type);
    }

    // --- HandoffDesk

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
    public List<InboundEvent> activity(DeskTicket ticket) {
        return desk.activity(ticket);
    }

    // --- WebhookReceiver

    @Override
    public WebhookBatch receive(WebhookRequest request) {
        return webhooks.receive(request);
    }

    // --- ProviderSetup

    @Override
    public SetupStatus check() {
        return registration.check();
    }

    @Override
    public SetupStatus register() {
        return registration.register();
    }

    @Override
    public SetupStatus unregister() {
        return registration.unregister();
    }

    // --- KnowledgeSource

    @Override
    public Page changedSince(String cursor) {
        return helpCenter.changedSince(cursor);
    }

    @Override
    public Duration syncInterval() {
        return settings.syncInterval();
    }

    // --- AssistDesk

    @Override
    public Optional<AssistTicket> ticket(String ticketRef) {
        return assist.ticket(ticketRef);
    }

    @Override
    public void suggest(String ticketRef, String commentId, String text) {
        assist.suggest(ticketRef, commentId, text);
    }

    @Override
    public void tag(String ticketRef, List<String> tags) {
        assist.tag(ticketRef, tags);
    }

    @Override
    public Set<String> skipTopics() {
        return settings.assistSkipTopics();
    }

    @Override
    public String tagPrefix() {
        return settings.tagPrefix();
    }

    @Override
    public void close() {
        lookAgain.cancel();
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /**
     * The credentials ({@code users/me}), then the webhook and each trigger as {@link WebhookRegistration#findings}
     * reads them. Refused credentials end the checks: every other read would fail with the same 401.
     */
    @Override
    public List<Finding> diagnose() {
        List<Finding> out = new ArrayList<>();
        String id = ctx.connectionId();
        try {
            out.add(Finding.ok("zendesk.credentials", new ZendeskVerification(client, settings).verify()));
        } catch (PermanentException e) {
            out.add(Finding.error("zendesk.credentials", "Parley cannot work in Zendesk: handoffs fail (customers get "
                            + "the \"no one available\" text) and agents' replies are not read", e.getMessage(),
                    "correct what the cause names in the connection's settings, then POST /api/connections/" + id
                            + "/verify"));
            return out;
        } catch (RuntimeException e) {
            out.add(Finding.warning("zendesk.credentials", "Parley cannot reach Zendesk just now",
                    String.valueOf(e.getMessage()), "check the subdomain (or base-url) and Zendesk's status "
                            + "(status.zendesk.com); ask again"));
            return out;
        }
        try {
            out.addAll(registration.findings());
        } catch (RuntimeException e) {
            out.add(Finding.error("zendesk.setup", "Parley could not read its webhook and triggers in Zendesk",
                    String.valueOf(e.getMessage()), "if Zendesk refused (403), make the API user an admin: only admins may "
                            + "read webhooks; otherwise check Zendesk's status and ask again"));
        }
        return out;
    }
}
