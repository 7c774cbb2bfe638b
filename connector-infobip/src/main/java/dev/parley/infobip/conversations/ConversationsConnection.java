package dev.parley.infobip.conversations;

import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.infobip.http.MediaCopy;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConversationCloser;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.MessageContent;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.ProviderSetup;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.TranscriptLine;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.util.LookAgain;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running {@code infobip-conversations} connection: the AI as one agent inside Infobip's contact center.
 *
 * <ul>
 * <li><b>Contacts are conversations.</b> A customer message arrives as a conversation event; Parley keys its session
 * by the conversation's id (the contact's address), so each Infobip conversation is one Parley session, and a reply
 * goes into that conversation with {@code x-agent-id} set to the AI agent.</li>
 * <li><b>Only its own conversations.</b> A message is answered only while its conversation is assigned to the AI
 * agent, or unassigned with {@code handle-unassigned} on (the AI then assigns it to itself before it replies). For
 * anything else the message is stored with {@link MessageContent#botStaysOut} saying why, and no bot turn runs. At send
 * time the same rule is checked against the latest known state ({@link ConversationState}: events, newest wins), so a
 * human who took over while the bot was thinking gets no reply of the AI's in their conversation.</li>
 * <li><b>No write to a CLOSED conversation</b>: known from events and from Infobip's 400 "Closed conversation cannot
 * be changed", which is remembered.</li>
 * <li><b>Handoff</b> ({@link HandoffDesk}: the agent's handoff desk is this connection): the handoff tag (created if
 * missing), an internal note with reason, sentiment, language, summary and transcript (cut to 4,000 characters, saying
 * what was cut), then the AI unassigns itself, or moves the conversation to {@code handoff-queue}. Reassigning it to
 * the AI agent gives it back to the bot.</li>
 * <li><b>Resolve</b> ({@link ConversationCloser}): the bot resolving closes the conversation unless someone else owns
 * it by then.</li>
 * <li><b>Subscription</b> ({@link ProviderSetup}): the CUSTOMER_ENGAGEMENT subscription to {@code /webhook/events}
 * with Basic credentials, created at start ({@code auto-register}), once across instances.</li>
 * </ul>
 * Thread-safe: the only mutable field is the "tag exists" flag.
 */
public class ConversationsConnection implements Connection, Channel, WebhookReceiver, ProviderSetup, HandoffDesk,
        ConversationCloser, Diagnosable {

    private static final String SANDBOX_PREFIX = "SANDBOX: ";
    private static final String NOTE_DONE = "note:";

    protected final ConnectionContext ctx;
    protected final ConversationsSettings settings;
    private final InfobipClient client;
    private final ConversationsApi api;
    private final WebhookAuth webhookAuth;
    private final MediaCopy media;
    private final SubscriptionSetup subscription;
    private final AtomicBoolean tagExists = new AtomicBoolean();
    /** The scheduled second look at the subscription, when another instance's claim blocked the first. */
    private final LookAgain lookAgain;

    public ConversationsConnection(ConnectionContext ctx, ConversationsSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.client = InfobipClient.of(ctx, settings.access(), settings.webhooks().password());
        this.api = client.proxy(ConversationsApi.class);
        this.webhookAuth = settings.webhooks().auth(ctx.connectionId());
        this.media = new MediaCopy(ctx.media(), settings.access(), client);
        this.subscription = new SubscriptionSetup(ctx, client, settings.webhooks());
        this.lookAgain = new LookAgain(ctx);
    }

    @Override
    public boolean sandbox() {
        return settings.sandbox();
    }

    /**
     * The key and its scope (a one-conversation list), the AI agent's id, then the subscription (created or repaired
     * with {@code auto-register}, else only checked).
     */
    @Override
    public String verify() {
        InfobipResponse r = client.read(api, (a, auth) -> a.conversations(auth, 1));
        if (r.status() == 403) {
            throw new PermanentException(client.redact("the Infobip API key lacks the scope " + ConversationsErrors.SCOPES
                    + " (HTTP 403 " + r.error().summary() + "): in Infobip's portal open Developer tools > API keys, "
                    + "edit this key and add " + ConversationsErrors.SCOPES + " and " + ConversationsErrors.SUBSCRIPTION_SCOPES
                    + ", or use a key that has them"));
        }
        if (!r.ok()) throw client.failure("listing conversations (the key check)", r, ConversationsErrors.SCOPES);
        InfobipResponse agent = client.read(api, (a, auth) -> a.agent(auth, settings.aiAgentId()));
        if (agent.status() == 404) {
            throw new PermanentException(client.redact("'" + ConversationsSettings.AI_AGENT_ID + "' " + settings.aiAgentId()
                    + " is not an agent or bot of this Infobip account (HTTP 404 " + agent.error().summary()
                    + "); copy the id of the agent or bot the AI acts as from Conversations > Agents"));
        }
        if (!agent.ok()) throw client.failure("reading AI agent " + settings.aiAgentId(), agent, ConversationsErrors.SCOPES);
        String name = Jsons.nonBlank(Jsons.parseObjectOrNull(agent.body()), "displayName");
        SetupStatus setup = settings.autoRegister() ? registerOrLookAgain() : check();
        return (settings.sandbox() ? SANDBOX_PREFIX : "") + "Infobip Conversations at " + client.host() + " as agent "
                + settings.aiAgentId() + (name == null ? "" : " (" + name + ")") + "; "
                + (setup.complete() ? String.join("; ", setup.items())
                : "event subscription incomplete (" + String.join("; ", setup.items()) + "): POST /api/connections/"
                + ctx.connectionId() + "/setup to create it");
    }

    // ---- Channel ------------------------------------------------------------------------------

    /** A contact of this channel is an Infobip conversation: its id. */
    @Override
    public String normalizeAddress(String address) {
        String a = address == null ? "" : address.strip();
        if (!a.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new PermanentException("an infobip-conversations address is an Infobip conversation id (letters, "
                    + "digits, '.', '_', ':' and '-'; at most 100), not '" + (a.length() > 40 ? a.substring(0, 40) + "..." : a) + "'");
        }
        return a;
    }

    @Override
    public int maxTextLength() {
        return ConversationsRequests.MAX_TEXT;
    }

    @Override
    public SendReceipt send(OutboundMessage message) {
        String conversation = message.to();
        ConversationState state = ConversationState.load(ctx.store(), conversation).orElseThrow(() -> new PermanentException(
                "Parley has no way into conversation " + conversation + ": no customer message of it was received (its "
                        + "channel, sender and customer come from its INBOUND_MESSAGE events); nothing was sent"));
        if (message.template() != null) throw new PermanentException("infobip-conversations sends no templates");
        if (state.closed()) throw new PermanentException(closed(conversation, "the reply was not sent"));
        if (state.route() == null) throw new PermanentException("no route into conversation " + conversation);
        if (state.assigneeId() != null && !settings.aiAgentId().equals(state.assigneeId())) {
            throw new PermanentException("conversation " + conversation + " is assigned to " + state.assigneeId()
                    + ", not to the AI agent " + settings.aiAgentId() + ": the AI stays out, its reply was not sent");
        }
        if (state.assigneeId() == null && !releasedMoments(state)) {
            // (Right after its own handoff Parley may still post its handoff text: the AI let go a moment ago and
            // nobody has taken the conversation yet.)
            if (!settings.handleUnassigned()) {
                throw new PermanentException("conversation " + conversation + " is unassigned and "
                        + ConversationsSettings.HANDLE_UNASSIGNED + " is off: the AI's reply was not sent");
            }
            takeUnassigned(conversation);
        }
        if (message.text().isBlank()) throw new PermanentException("message text is empty; nothing to send");
        String body = ConversationsRequests.reply(state.route(), message.text()).toString();
        InfobipResponse r = client.write(api, (a, auth) -> a.postMessage(auth, settings.aiAgentId(), conversation, body));
        if (!r.ok()) throw refused("posting the reply into conversation " + conversation, conversation, r);
        String id = Jsons.nonBlank(Jsons.parseObjectOrNull(r.body()), "id");
        return new SendReceipt(id == null ? message.reference() : id, DeliveryStatus.SENT, "posted as agent " + settings.aiAgentId());
    }

    /** How long after its handoff Parley may still post its own handoff texts into the unassigned conversation. */
    static final java.time.Duration RELEASE_GRACE = java.time.Duration.ofMinutes(5);

    private boolean releasedMoments(ConversationState state) {
        return state.assigneeId() == null && state.releasedAt() != null
                && state.releasedAt().plus(RELEASE_GRACE).isAfter(ctx.clock().instant());
    }

    /** handle-unassigned: the AI makes the conversation its own before it answers, so humans see who has it. */
    private void takeUnassigned(String conversation) {
        String body = ConversationsRequests.assignee(settings.aiAgentId()).toString();
        InfobipResponse r = client.write(api, (a, auth) -> a.assign(auth, conversation, body));
        if (!r.ok()) throw refused("assigning conversation " + conversation + " to the AI agent", conversation, r);
        ConversationState.update(ctx.store(), conversation, null, true, settings.aiAgentId(), ctx.clock().instant());
    }

    /** A refused call; a closed conversation is remembered, so Parley writes to it no more. */
    private RuntimeException refused(String action, String conversation, InfobipResponse r) {
        if (ConversationsErrors.closed(r)) {
            ConversationState.update(ctx.store(), conversation, "CLOSED", false, null, ctx.clock().instant());
        }
        return ConversationsErrors.failure(client, action, r);
    }

    private static String closed(String conversation, String what) {
        return "conversation " + conversation + " is CLOSED at Infobip and Parley makes no write to a closed "
                + "conversation: " + what;
    }

    // ---- WebhookReceiver ----------------------------------------------------------------------

    /**
     * {@code events}: conversation events from the subscription. Every envelope updates the conversation's state; a
     * customer message becomes a message of the conversation's session, with why the AI stays out where it does.
     */
    @Override
    public WebhookBatch receive(WebhookRequest request) {
        webhookAuth.check(request);
        String kind = request.kind() == null ? "" : request.kind();
        if (!kind.equals("events")) throw WebhookRejectedException.unknownKind(kind);
        ConversationsWebhooks.Parsed parsed = ConversationsWebhooks.parse(request.body(), settings.aiAgentId(), media);
        for (ConversationState.Fact f : parsed.facts()) {
            if ("CLOSED".equals(f.status()) && f.route() == null) {
                ConversationState.forget(ctx.store(), f.conversationId());
            } else {
                ConversationState.apply(ctx.store(), f);
            }
        }
        List<InboundEvent> events = new ArrayList<>();
        for (InboundEvent e : parsed.batch().events()) {
            events.add(e instanceof InboundEvent.MessageReceived m ? ownMessage(m) : e);
        }
        return new WebhookBatch(events, parsed.withoutIgnored().skipped());
    }

    /** The customer's message keyed by its conversation, marked when the AI must stay out of it. */
    private InboundEvent.MessageReceived ownMessage(InboundEvent.MessageReceived m) {
        JsonObject carried = Jsons.parseObjectOrNull(m.content().structured());
        String conversation = Jsons.nonBlank(carried, "conversationId");
        String reason = staysOut(conversation, Jsons.nonBlank(carried, "status"), Jsons.nonBlank(carried, "assigneeId"),
                Jsons.nonBlank(carried, "assigneeName"));
        MessageContent content = reason == null ? m.content() : m.content().withBotStayingOut(reason);
        return new InboundEvent.MessageReceived(m.providerMessageId(), conversation, m.to(), m.text(), m.receivedAt(),
                m.contactName(), content);
    }

    /** Why the AI must not answer a message of this conversation as the event shows it; null when it may. */
    String staysOut(String conversation, String status, String assigneeId, String assigneeName) {
        if ("CLOSED".equals(status)) return closed(conversation, "the AI does not answer");
        if (assigneeId == null) {
            return settings.handleUnassigned() ? null : "conversation " + conversation + " is unassigned and "
                    + ConversationsSettings.HANDLE_UNASSIGNED + " is off: the AI answers only conversations assigned to "
                    + "agent " + settings.aiAgentId();
        }
        if (assigneeId.equalsIgnoreCase(settings.aiAgentId())) return null;
        return "conversation " + conversation + " is assigned to " + (assigneeName == null ? assigneeId
                : assigneeName + " (" + assigneeId + ")") + ", not to the AI agent " + settings.aiAgentId()
                + ": the AI stays out until it is assigned back";
    }

    // ---- ProviderSetup ------------------------------------------------------------------------

    @Override
    public SetupStatus check() {
        return subscription.check();
    }

    @Override
    public SetupStatus register() {
        return subscription.register();
    }

    @Override
    public SetupStatus unregister() {
        return subscription.unregister();
    }

    // ---- Diagnosable --------------------------------------------------------------------------

    /** The event subscription (its {@link #check}) and the AI agent's id: two reads, no change. */
    @Override
    public List<Finding> diagnose() {
        List<Finding> out = new ArrayList<>();
        out.add(Diagnosable.setupFinding(this, "conversations.subscription",
                "Infobip sends Parley no conversation events: customers' messages reach neither the AI nor Parley",
                "POST /api/connections/" + ctx.connectionId() + "/setup creates the subscription or points it at "
                        + "this Parley (or set auto-register=true and restart the connection)"));
        try {
            InfobipResponse agent = client.read(api, (a, auth) -> a.agent(auth, settings.aiAgentId()));
            if (agent.ok()) {
                String name = Jsons.nonBlank(Jsons.parseObjectOrNull(agent.body()), "displayName");
                out.add(Finding.ok("conversations.ai-agent", "AI agent " + settings.aiAgentId()
                        + (name == null ? "" : " (" + name + ")") + " exists"));
            } else if (agent.status() == 404) {
                out.add(Finding.error("conversations.ai-agent", "the AI's replies and assignments fail",
                        "'" + ConversationsSettings.AI_AGENT_ID + "' " + settings.aiAgentId() + " is not an agent or bot "
                                + "of this Infobip account",
                        "copy the id of the agent or bot the AI acts as from Conversations > Agents into '"
                                + ConversationsSettings.AI_AGENT_ID + "'"));
            } else {
                out.add(Finding.error("conversations.ai-agent", "Parley cannot read the AI agent at Infobip",
                        client.redact("HTTP " + agent.status() + " " + agent.error().summary()),
                        "give the API key the scopes " + ConversationsErrors.SCOPES));
            }
        } catch (RuntimeException e) {
            out.add(Finding.error("conversations.ai-agent", "Parley cannot reach Infobip to read the AI agent",
                    client.redact(String.valueOf(e.getMessage())), "check base-url and Infobip's status; ask again"));
        }
        return out;
    }

    // ---- HandoffDesk --------------------------------------------------------------------------

    /**
     * Tag, internal note, then the AI lets go (unassigns itself, or moves the conversation to {@code handoff-queue}).
     * In that order so the human who picks the conversation up finds the note. Idempotent per handoff: the note is
     * written once (remembered in the store), tagging and unassigning are idempotent at Infobip.
     */
    @Override
    public DeskTicket open(Handoff handoff) {
        String conversation = handoff.contact().address();
        ConversationState state = ConversationState.load(ctx.store(), conversation).orElse(null);
        if (state != null && state.closed()) throw new PermanentException(closed(conversation, "no handoff"));
        List<String> done = new ArrayList<>();
        ensureTag();
        String tagBody = ConversationsRequests.tag(settings.handoffTag()).toString();
        InfobipResponse tagged = client.write(api, (a, auth) -> a.addTag(auth, conversation, tagBody));
        if (!tagged.ok() && !alreadyTagged(tagged)) throw refused("tagging conversation " + conversation, conversation, tagged);
        done.add("tagged " + settings.handoffTag());
        String noteKey = NOTE_DONE + handoff.key();
        if (ctx.store().get(noteKey).isEmpty()) {
            String full = noteText(handoff);
            String content = ConversationsRequests.cutNote(full);
            String noteBody = ConversationsRequests.note(settings.aiAgentId(), content).toString();
            InfobipResponse noted = client.write(api, (a, auth) -> a.addNote(auth, conversation, noteBody));
            if (noted.status() == 400 && !ConversationsErrors.closed(noted)) { // the other form of the spec's two
                String plain = ConversationsRequests.noteAsString(settings.aiAgentId(), content).toString();
                noted = client.write(api, (a, auth) -> a.addNote(auth, conversation, plain));
            }
            if (!noted.ok()) throw refused("adding the handoff note to conversation " + conversation, conversation, noted);
            ctx.store().put(noteKey, conversation);
            done.add("internal note of " + content.length() + " characters"
                    + (content.length() < full.length() ? " (cut to Infobip's 4,000)" : ""));
        }
        if (settings.handoffQueue() != null) {
            String body = ConversationsRequests.queue(settings.handoffQueue()).toString();
            InfobipResponse moved = client.write(api, (a, auth) -> a.update(auth, conversation, body));
            if (!moved.ok()) throw refused("moving conversation " + conversation + " to queue " + settings.handoffQueue(), conversation, moved);
            done.add("moved to queue " + settings.handoffQueue());
        }
        InfobipResponse unassigned = client.write(api, (a, auth) -> a.unassign(auth, conversation));
        if (!unassigned.ok() && unassigned.status() != 404) {
            throw refused("unassigning the AI from conversation " + conversation, conversation, unassigned);
        }
        ConversationState.released(ctx.store(), conversation, ctx.clock().instant());
        done.add("AI agent unassigned");
        return new DeskTicket(conversation, null, "Infobip conversation " + conversation + ": " + String.join(", ", done));
    }

    /** A tag that is already on the conversation is no failure (a retried handoff). */
    private static boolean alreadyTagged(InfobipResponse r) {
        return r.status() == 400 && r.error().text().toLowerCase(Locale.ROOT).contains("already");
    }

    /** Creates the handoff tag when the account does not have it: a conversation takes only existing tags. */
    private void ensureTag() {
        if (tagExists.get()) return;
        InfobipResponse r = client.read(api, ConversationsApi::tags);
        if (!r.ok()) throw client.failure("reading the account's tags", r, ConversationsErrors.SCOPES);
        JsonArray tags = Jsons.array(Jsons.parseObjectOrNull(r.body()), "tags");
        boolean found = tags != null && tags.stream().anyMatch(v -> v instanceof JsonObject t
                && settings.handoffTag().equals(Jsons.nonBlank(t, "name")));
        if (!found) {
            String body = ConversationsRequests.newTag(settings.handoffTag()).toString();
            InfobipResponse made = client.write(api, (a, auth) -> a.createTag(auth, body));
            // 400 "already exists": another instance (or a page of tags not read) had it.
            if (!made.ok() && made.status() != 400 && made.status() != 409) {
                throw client.failure("creating tag " + settings.handoffTag(), made, ConversationsErrors.SCOPES);
            }
            ctx.log().info("created Infobip tag " + settings.handoffTag() + " for handoffs");
        }
        tagExists.set(true);
    }

    /** Reason, sentiment and language first, then the summary, then fields and the transcript: cut from the end. */
    static String noteText(Handoff h) {
        StringBuilder b = new StringBuilder("Handed off by Parley's AI agent.\n");
        b.append("Reason: ").append(h.reason() == null ? "-" : h.reason()).append('\n');
        b.append("Sentiment: ").append(h.sentiment().tag()).append('\n');
        b.append("Language: ").append(h.language() == null ? "unknown" : h.language()).append('\n');
        b.append("Summary: ").append(h.summary() == null || h.summary().isBlank() ? "-" : h.summary()).append('\n');
        for (Map.Entry<String, String> f : h.fields().entrySet()) {
            b.append(f.getKey()).append(": ").append(f.getValue()).append('\n');
        }
        if (h.sessionUrl() != null) b.append("Parley session: ").append(h.sessionUrl()).append('\n');
        if (!h.transcript().isEmpty()) {
            b.append("\nTranscript:\n");
            for (TranscriptLine l : h.transcript()) {
                b.append(l.author()).append(": ").append(l.text()).append('\n');
            }
        }
        return b.toString().strip();
    }

    /** The customer's messages are already in the Infobip conversation the human answers: nothing to copy. */
    @Override
    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
    }

    /** The customer's close command during a handoff: the conversation is the human's to close. */
    @Override
    public void close(DeskTicket ticket, String reason) {
        ctx.log().info("conversation " + ticket.ref() + " left to its human agent (the customer ended the handoff: "
                + reason + ")");
    }

    // ---- ConversationCloser -------------------------------------------------------------------

    @Override
    public String closeResolved(String conversation, String reason) {
        if (!settings.closeWhenResolved()) {
            return "conversation " + conversation + " left open: " + ConversationsSettings.CLOSE_WHEN_RESOLVED + " is off";
        }
        InfobipResponse r = client.read(api, (a, auth) -> a.conversation(auth, conversation));
        if (r.status() == 404) return "conversation " + conversation + " no longer exists at Infobip";
        if (!r.ok()) throw client.failure("reading conversation " + conversation, r, ConversationsErrors.SCOPES);
        JsonObject c = Jsons.parseObjectOrNull(r.body());
        String status = String.valueOf(Jsons.nonBlank(c, "status")).toUpperCase(Locale.ROOT);
        String owner = Jsons.nonBlank(c, "agentId");
        if (status.equals("CLOSED")) {
            ConversationState.forget(ctx.store(), conversation);
            return "conversation " + conversation + " was already closed";
        }
        if (owner != null && !owner.equalsIgnoreCase(settings.aiAgentId())) {
            String line = "conversation " + conversation + " left open: agent " + owner + " owns it now, not the AI";
            ctx.log().info(line);
            return line;
        }
        String body = ConversationsRequests.status("CLOSED").toString();
        InfobipResponse closed = client.write(api, (a, auth) -> a.update(auth, conversation, body));
        if (ConversationsErrors.closed(closed)) {
            ConversationState.forget(ctx.store(), conversation);
            return "conversation " + conversation + " was already closed";
        }
        if (!closed.ok()) throw client.failure("closing conversation " + conversation, closed, ConversationsErrors.SCOPES);
        ConversationState.forget(ctx.store(), conversation);
        return "closed conversation " + conversation + " at Infobip (" + reason + ")";
    }

    /**
     * {@link #register}, and when another instance's claim blocked it, the same again once that claim is stale: the
     * other instance may have died before creating, or created a subscription that is gone since. Without this the
     * connection would run deaf until an operator posted {@code /setup}.
     */
    private SetupStatus registerOrLookAgain() {
        return lookAgain.setUp("event subscription", this::register, subscription::blockedFor, wait -> wait.plusSeconds(1));
    }

    @Override
    public void close() {
        // The REST client proxies are owned by the runtime; only a pending look at the subscription is ours.
        lookAgain.cancel();
    }
}
