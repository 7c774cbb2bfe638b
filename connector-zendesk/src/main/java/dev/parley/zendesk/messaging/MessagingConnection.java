package dev.parley.zendesk.messaging;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectionStore;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Finding;
import dev.parley.spi.Handoff;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.PermanentException;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.LookAgain;
import dev.parley.zendesk.ZendeskConnection;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.http.ZendeskResponse;
import dev.parley.zendesk.sandbox.ZendeskSandbox;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A running {@code zendesk-messaging} connection: handoffs from SMS and WhatsApp become Zendesk messaging
 * (Sunshine Conversations) conversations passed to the Agent Workspace, so agents answer in the messaging
 * view; everything else, and every handoff while messaging is not active, goes to the ticket desk of
 * {@link ZendeskConnection}. Conversation refs are {@code sc:<conversation id>}.
 *
 * <p>Parley owns the customer's channel: the Sunshine user it creates has no channel clients, so the
 * conversation is a mirror for agents. Agent replies come back through the {@code messaging} webhook and
 * Parley sends them on the customer's channel.
 *
 * <p>Store keys: {@code sc.handoff.<handoff key>} = conversation id (a retried open reuses it),
 * {@code sc.handoff.<handoff key>.progress} = {@code <lines posted>|<first message id>} then {@code passed},
 * {@code sc.conv.<conversation id>.user} = the user's external id, {@code sc.conv.<id>.last-relayed}.
 */
public class MessagingConnection extends ZendeskConnection {

    public static final String AGENT_WORKSPACE = "zd:agentWorkspace";
    public static final String REF_PREFIX = "sc:";
    static final Duration STATUS_TTL = Duration.ofSeconds(60);
    static final int MAX_TEXT = 4096;
    static final int MAX_METADATA_VALUE = 256;

    /** Whether passing control to the agent workspace can work, and if not why. */
    public record MessagingStatus(boolean active, String why) {
    }

    private record Cached(MessagingStatus status, Instant at) {
    }

    private final MessagingSettings messaging;
    private final SunshineClient sunshine;
    private final SunshineWebhookRegistration scSetup;
    private final MessagingWebhooks hooks;
    /** A second attempt at the messaging integration, when another instance was setting it up at start. */
    private final LookAgain scLookAgain;
    private volatile Cached cached;

    protected MessagingConnection(ConnectionContext ctx, MessagingSettings messaging, ZendeskSandbox sandbox) {
        super(ctx, messaging.zendesk(), sandbox);
        this.messaging = messaging;
        SunshineApi api = ctx.restClients().create(SunshineApi.class, messaging.baseUri());
        this.sunshine = new SunshineClient(api, messaging, messaging.zendesk().maxRetries(),
                d -> Thread.sleep(d.toMillis()), ctx.clock());
        this.scSetup = new SunshineWebhookRegistration(sunshine, messaging, ctx);
        this.hooks = new MessagingWebhooks(scSetup::secrets, ctx.connectionId());
        this.scLookAgain = new LookAgain(ctx);
    }

    public static MessagingConnection open(ConnectionContext ctx, MessagingSettings settings) {
        ZendeskSandbox sandbox = settings.zendesk().sandbox() ? new ZendeskSandbox(ctx, settings.zendesk()) : null;
        return new MessagingConnection(ctx, settings, sandbox);
    }

    // --- verify

    @Override
    public String verify() {
        String support = verifySupport();
        JsonObject app = Jsons.object(sunshine.ok("check the Conversations app", (api, auth, appId) -> api.app(auth, appId)),
                "app");
        String name = app == null ? null : Jsons.nonBlank(app, "displayName");
        MessagingStatus status = refreshStatus();
        return support + "; Conversations app " + (name == null ? messaging.appId() : name + " (" + messaging.appId() + ")")
                + ": " + describe(status) + messagingWebhook();
    }

    /** The messaging webhook's part of verify: registered at start with auto-register, else a pointer if absent. */
    private String messagingWebhook() {
        if (settings.autoRegister()) {
            SetupStatus s = registerMessagingOrLookAgain();
            return "; " + String.join("; ", s.items());
        }
        if (!scSetup.registered() && messaging.webhookSecret() == null) {
            return "; no messaging webhook (agents' replies cannot reach Parley): POST /api/connections/"
                    + ctx.connectionId() + "/setup to create it";
        }
        return "";
    }

    /** {@link SunshineWebhookRegistration#register}, again a few seconds later when another instance was at it. */
    private SetupStatus registerMessagingOrLookAgain() {
        return scLookAgain.setUp("Zendesk messaging setup", scSetup::register, scSetup::blockedFor,
                ZendeskConnection::lookAgainIn);
    }

    @Override
    public void close() {
        scLookAgain.cancel();
        super.close();
    }

    /** The Zendesk Support part of {@link #verify()} (tests replace it while the ticket desk is elsewhere). */
    protected String verifySupport() {
        return super.verify();
    }

    static String describe(MessagingStatus status) {
        return status.active() ? "messaging active"
                : "messaging not active (" + status.why() + "): handoffs fall back to tickets";
    }

    /** Messaging is active when a switchboard has an integration of type {@code zd:agentWorkspace}. */
    MessagingStatus refreshStatus() {
        MessagingStatus status = readStatus();
        cached = new Cached(status, ctx.clock().instant());
        return status;
    }

    private MessagingStatus readStatus() {
        ZendeskResponse r = sunshine.call("read the switchboards", (api, auth, appId) -> api.switchboards(auth, appId));
        if (!r.ok()) return new MessagingStatus(false, SunshineClient.failure("read the switchboards", r).getMessage());
        JsonArray boards = Jsons.array(r.json(), "switchboards");
        if (boards == null || boards.isEmpty()) return new MessagingStatus(false, "the app has no switchboard");
        String why = "no switchboard integration of type " + AGENT_WORKSPACE;
        for (JsonValue v : boards) {
            if (!(v instanceof JsonObject board)) continue;
            String id = Jsons.nonBlank(board, "id");
            if (id == null) continue;
            if (!Jsons.bool(board, "enabled", true)) {
                why = "switchboard " + id + " is disabled";
                continue;
            }
            ZendeskResponse ir = sunshine.call("read the switchboard integrations",
                    (api, auth, appId) -> api.switchboardIntegrations(auth, appId, id));
            if (!ir.ok()) return new MessagingStatus(false,
                    SunshineClient.failure("read the switchboard integrations", ir).getMessage());
            JsonArray integrations = Jsons.array(ir.json(), "switchboardIntegrations");
            if (integrations == null) continue;
            for (JsonValue iv : integrations) {
                if (iv instanceof JsonObject i && AGENT_WORKSPACE.equals(Jsons.string(i, "integrationType"))) {
                    return new MessagingStatus(true, null);
                }
            }
        }
        return new MessagingStatus(false, why);
    }

    /** The status, read at most once a minute per instance. */
    MessagingStatus status() {
        Cached c = cached;
        Instant now = ctx.clock().instant();
        if (c != null && now.isBefore(c.at().plus(STATUS_TTL))) return c.status();
        return refreshStatus();
    }

    // --- HandoffDesk

    @Override
    public DeskTicket open(Handoff handoff) {
        String digits = phoneDigits(handoff);
        String stored = ctx.store().get(handoffKey(handoff)).orElse(null);
        if (stored != null) {
            return openMessaging(handoff, digits); // a retry: finish what the first attempt started
        }
        String why;
        if (!messagingChannel(handoff)) {
            why = "not a messaging channel";
        } else if (digits == null) {
            why = "no phone number to identify the customer";
        } else {
            MessagingStatus status = status();
            if (status.active()) return openMessaging(handoff, digits);
            why = "messaging not active: " + status.why();
        }
        DeskTicket ticket = openTicket(handoff);
        return new DeskTicket(ticket.ref(), ticket.url(), "fell back to an email ticket: " + why);
    }

    /** The ticket desk's open (tests replace it while the ticket desk is built elsewhere). */
    protected DeskTicket openTicket(Handoff handoff) {
        return super.open(handoff);
    }

    static boolean messagingChannel(Handoff h) {
        String type = h.channelType() == null ? "" : h.channelType().toLowerCase(Locale.ROOT);
        return type.contains("sms") || type.contains("whatsapp") || h.contact().phone() != null;
    }

    /** The phone's digits (E.164 without +), from the contact's phone or, on a phone channel, its address. */
    static String phoneDigits(Handoff h) {
        String phone = h.contact().phone();
        if (phone == null) {
            String type = h.channelType() == null ? "" : h.channelType().toLowerCase(Locale.ROOT);
            if (type.contains("sms") || type.contains("whatsapp")) phone = h.contact().address();
        }
        if (phone == null) return null;
        String digits = phone.replaceAll("[^0-9]", "");
        return digits.length() < 6 || digits.length() > 15 ? null : digits;
    }

    private static String handoffKey(Handoff h) {
        return "sc.handoff." + h.key();
    }

    private DeskTicket openMessaging(Handoff handoff, String digits) {
        ConnectionStore store = ctx.store();
        String key = handoffKey(handoff);
        String conversation = store.get(key).orElse(null);
        String user;
        if (conversation == null) {
            user = "parley-phone-" + digits;
            supportUser(handoff, digits, user);
            sunshineUser(handoff, user);
            conversation = createConversation(handoff, user);
            store.put(key, conversation);
            store.put("sc.conv." + conversation + ".user", user);
        } else {
            user = userOf(conversation);
        }
        String progress = store.get(key + ".progress").orElse("0|");
        if (!"passed".equals(progress)) {
            String first = postTranscript(handoff, conversation, user, progress, key + ".progress");
            passControl(handoff, conversation, first);
            store.put(key + ".progress", "passed");
        }
        return new DeskTicket(REF_PREFIX + conversation, null, "Zendesk messaging: conversation passed to the agent workspace");
    }

    /** The Support user with the phone, keyed by external id so one number never yields two users. */
    private void supportUser(Handoff handoff, String digits, String externalId) {
        String name = handoff.contact().name() != null && !handoff.contact().name().isBlank()
                ? handoff.contact().name() : "+" + digits;
        JsonObjectBuilder user = Jsons.BUILDERS.createObjectBuilder().add("name", name).add("external_id", externalId);
        // No "role": new users are end users anyway, and a role here would demote an agent with this number.
        String withPhone = body(user.build(), "+" + digits);
        ZendeskResponse r = client.call("create or update the Zendesk user",
                (api, auth) -> api.createOrUpdateUser(auth, withPhone));
        if (r.status() == 422) {
            // The phone may already be another user's identity (UNCONFIRMED); the external id alone still works.
            ctx.log().warn("Zendesk refused phone +" + mask(digits) + " on user " + externalId
                    + " (422); the user is kept without it");
            String without = body(user.build(), null);
            client.ok("create or update the Zendesk user", (api, auth) -> api.createOrUpdateUser(auth, without));
        } else if (!r.ok()) {
            throw ZendeskClient.failure("create or update the Zendesk user", r);
        }
    }

    private static String body(JsonObject user, String phone) {
        JsonObjectBuilder u = Jsons.BUILDERS.createObjectBuilder(user);
        if (phone != null) u.add("phone", phone);
        return Jsons.BUILDERS.createObjectBuilder().add("user", u).add("skip_verify_email", true).build().toString();
    }

    private void sunshineUser(Handoff handoff, String externalId) {
        JsonObjectBuilder profile = Jsons.BUILDERS.createObjectBuilder();
        String name = handoff.contact().name();
        if (name != null && !name.isBlank()) profile.add("givenName", name.strip());
        String body = Jsons.BUILDERS.createObjectBuilder().add("externalId", externalId).add("profile", profile)
                .build().toString();
        ZendeskResponse r = sunshine.call("create the messaging user",
                (api, auth, appId) -> api.createUser(auth, appId, body));
        if (r.status() == 409) {
            sunshine.ok("read the messaging user", (api, auth, appId) -> api.user(auth, appId, externalId));
        } else if (!r.ok()) {
            throw SunshineClient.failure("create the messaging user", r);
        }
    }

    private String createConversation(Handoff handoff, String externalId) {
        JsonObjectBuilder metadata = Jsons.BUILDERS.createObjectBuilder().add("parley_handoff", clip(handoff.key()))
                .add("parley_session", clip(handoff.sessionId()));
        String body = Jsons.BUILDERS.createObjectBuilder().add("type", "personal")
                .add("participants", Jsons.BUILDERS.createArrayBuilder()
                        .add(Jsons.BUILDERS.createObjectBuilder().add("userExternalId", externalId)))
                .add("metadata", metadata).build().toString();
        ZendeskResponse r = sunshine.call("create the messaging conversation",
                (api, auth, appId) -> api.createConversation(auth, appId, body));
        if (r.status() == 409) {
            // Without multi-conversations a user has one personal conversation (UNCONFIRMED): reuse it.
            JsonArray list = Jsons.array(sunshine.ok("find the user's conversation",
                    (api, auth, appId) -> api.conversationsOf(auth, appId, externalId)), "conversations");
            if (list != null && !list.isEmpty() && list.get(0) instanceof JsonObject c && Jsons.nonBlank(c, "id") != null) {
                return Jsons.string(c, "id");
            }
            throw SunshineClient.failure("create the messaging conversation", r);
        }
        if (!r.ok()) throw SunshineClient.failure("create the messaging conversation", r);
        String id = Jsons.nonBlank(Jsons.object(r.json(), "conversation"), "id");
        if (id == null) throw new PermanentException("create the messaging conversation: the answer has no conversation id");
        return id;
    }

    /** Posts the lines not yet posted, recording progress after each; returns the first message's id. */
    private String postTranscript(Handoff handoff, String conversation, String user, String progress, String progressKey) {
        int bar = progress.indexOf('|');
        int posted = Integer.parseInt(progress.substring(0, bar));
        String first = progress.substring(bar + 1);
        List<TranscriptLine> lines = new ArrayList<>(handoff.transcript());
        if (lines.isEmpty()) {
            String why = handoff.summary() != null ? handoff.summary() : handoff.reason();
            lines.add(new TranscriptLine(null, TranscriptLine.BOT, "Handed over by Parley" + (why == null ? "" : ": " + why)));
        }
        for (int i = posted; i < lines.size(); i++) {
            TranscriptLine line = lines.get(i);
            String id = postMessage(conversation, line, user, null);
            if (first.isEmpty()) first = id == null ? "" : id;
            ctx.store().put(progressKey, (i + 1) + "|" + first);
        }
        return first.isEmpty() ? null : first;
    }

    private String postMessage(String conversation, TranscriptLine line, String user, String messageKey) {
        JsonObjectBuilder author = Jsons.BUILDERS.createObjectBuilder();
        if (TranscriptLine.CUSTOMER.equals(line.author())) {
            author.add("type", "user").add("userExternalId", user);
        } else {
            author.add("type", "business").add("displayName", TranscriptLine.AGENT.equals(line.author()) ? "Agent" : "Parley");
        }
        String text = line.text() == null || line.text().isBlank() ? "(empty)" : line.text();
        JsonObjectBuilder metadata = Jsons.BUILDERS.createObjectBuilder().add("parley", true);
        if (messageKey != null) metadata.add("parley_message_key", clip(messageKey));
        String body = Jsons.BUILDERS.createObjectBuilder().add("author", author)
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("type", "text")
                        .add("text", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "\u2026" : text))
                .add("metadata", metadata).build().toString();
        JsonObject r = sunshine.ok("post a message to the messaging conversation",
                (api, auth, appId) -> api.postMessage(auth, appId, conversation, body));
        JsonArray messages = Jsons.array(r, "messages");
        return messages != null && !messages.isEmpty() && messages.get(0) instanceof JsonObject m
                ? Jsons.nonBlank(m, "id") : null;
    }

    private void passControl(Handoff handoff, String conversation, String firstMessageId) {
        ZendeskSettings s = settings;
        // Sunshine refuses metadata over 4 KB, which would fail the handoff after the history was posted: the
        // entries go in by importance while they fit, and fields that do not fit are logged (they are in the history).
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        if (firstMessageId != null) entries.put("first_message_id", firstMessageId);
        List<String> tags = List.of(s.tag("channel_" + tagPart(handoff.channel())),
                s.tag("sentiment_" + handoff.sentiment().tag()), s.tag("handed_off"), s.installationTag());
        entries.put("dataCapture.systemField.tags", String.join(" ", tags));
        if (handoff.sessionUrl() != null) entries.put("parley_session_url", clip(handoff.sessionUrl()));
        for (Map.Entry<String, String> f : handoff.fields().entrySet()) {
            Long fieldId = s.customFields().get(f.getKey());
            if (fieldId != null && f.getValue() != null) {
                entries.put("dataCapture.ticketField." + fieldId, clip(f.getValue()));
            }
        }
        JsonObjectBuilder metadata = Jsons.BUILDERS.createObjectBuilder();
        int size = 2;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            int entrySize = Jsons.BUILDERS.createObjectBuilder().add(e.getKey(), e.getValue()).build().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (size + entrySize > METADATA_BUDGET) {
                ctx.log().warn("handoff " + handoff.key() + ": '" + e.getKey() + "' left out of the messaging metadata "
                        + "(Sunshine takes 4 KB)");
                continue;
            }
            metadata.add(e.getKey(), e.getValue());
            size += entrySize;
        }
        String body = Jsons.BUILDERS.createObjectBuilder().add("switchboardIntegration", AGENT_WORKSPACE)
                .add("metadata", metadata).build().toString();
        sunshine.ok("pass the conversation to the agent workspace",
                (api, auth, appId) -> api.passControl(auth, appId, conversation, body));
    }

    @Override
    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
        String conversation = conversationOf(ticket);
        if (conversation == null) {
            super.relay(ticket, line, messageKey);
            return;
        }
        String lastKey = "sc.conv." + conversation + ".last-relayed";
        if (messageKey != null && messageKey.equals(ctx.store().get(lastKey).orElse(null))) {
            return; // a retry of the message just posted
        }
        postMessage(conversation, line, userOf(conversation), messageKey);
        if (messageKey != null) ctx.store().put(lastKey, messageKey);
    }

    @Override
    public void close(DeskTicket ticket, String reason) {
        String conversation = conversationOf(ticket);
        if (conversation == null) {
            super.close(ticket, reason);
            return;
        }
        String body = Jsons.BUILDERS.createObjectBuilder().add("metadata", Jsons.BUILDERS.createObjectBuilder()
                .add("parley_reason", clip(reason == null ? "closed" : reason))).build().toString();
        ZendeskResponse r = sunshine.call("release the messaging conversation",
                (api, auth, appId) -> api.releaseControl(auth, appId, conversation, body));
        if (!r.ok()) {
            // Already released, or gone: nothing left to close.
            ctx.log().info("release of messaging conversation " + conversation + " answered " + r.status()
                    + (SunshineClient.errorCode(r) == null ? "" : " " + SunshineClient.errorCode(r)) + "; ignored");
        }
    }

    @Override
    public List<InboundEvent> activity(DeskTicket ticket) {
        return conversationOf(ticket) == null ? super.activity(ticket) : List.of();
    }

    // --- ProviderSetup: the ticket webhook and triggers, plus the Sunshine webhook for agents' messages

    @Override
    public SetupStatus check() {
        return merge(super.check(), scSetup.check());
    }

    @Override
    public SetupStatus register() {
        return merge(super.register(), scSetup.register());
    }

    @Override
    public SetupStatus unregister() {
        return merge(super.unregister(), scSetup.unregister());
    }

    /** Zendesk's checks, plus the Sunshine Conversations integration that brings agents' messages to Parley. */
    @Override
    public List<Finding> diagnose() {
        List<Finding> out = new ArrayList<>(super.diagnose());
        String check = "zendesk.messaging-integration";
        try {
            SetupStatus s = scSetup.check();
            out.add(s.complete() ? Finding.ok(check, String.join("; ", s.items()))
                    : Finding.error(check, "agents' messages in Zendesk's messaging conversations never reach the "
                                    + "customers", String.join("; ", s.items()),
                            "POST /api/connections/" + ctx.connectionId() + "/setup creates or repairs it"));
        } catch (RuntimeException e) {
            out.add(Finding.error(check, "Parley could not read its messaging integration in Zendesk",
                    String.valueOf(e.getMessage()), "check '" + MessagingSettings.APP_ID + "', '" + MessagingSettings.KEY_ID
                            + "' and '" + MessagingSettings.KEY_SECRET + "' (Admin Center > Apps and integrations > "
                            + "Conversations API), then ask again"));
        }
        return out;
    }

    static SetupStatus merge(SetupStatus support, SetupStatus messaging) {
        List<String> items = new ArrayList<>(support.items());
        items.addAll(messaging.items());
        Map<String, String> ids = new java.util.LinkedHashMap<>(support.ids());
        ids.putAll(messaging.ids());
        return new SetupStatus(support.complete() && messaging.complete(), items, ids);
    }

    // --- WebhookReceiver

    @Override
    public WebhookBatch receive(WebhookRequest request) {
        if (ZendeskMessagingConnector.MESSAGING_WEBHOOK.equals(request.kind())) {
            return hooks.receive(request);
        }
        return super.receive(request);
    }

    private static String conversationOf(DeskTicket ticket) {
        return ticket.ref().startsWith(REF_PREFIX) ? ticket.ref().substring(REF_PREFIX.length()) : null;
    }

    private String userOf(String conversation) {
        return ctx.store().get("sc.conv." + conversation + ".user").orElseThrow(() -> new PermanentException(
                "messaging conversation " + conversation + " is not known to this connection (its user was not stored)"));
    }

    private static String tagPart(String s) {
        return s == null ? "unknown" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Under Sunshine's 4 KB metadata limit, with room for the JSON around the entries. */
    static final int METADATA_BUDGET = 4000;

    private static String clip(String s) {
        return s == null ? "" : s.length() > MAX_METADATA_VALUE ? s.substring(0, MAX_METADATA_VALUE) : s;
    }

    private static String mask(String digits) {
        return digits.length() <= 4 ? "****" : "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
    }
}
