package dev.parley.runtime.handoff;

import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.dedup.DuplicateEventException;
import dev.parley.runtime.outbox.DeskCalls;
import dev.parley.runtime.outbox.OutboxDispatcher;
import dev.parley.runtime.outbox.OutboxEntry;
import dev.parley.runtime.outbox.OutboxStore;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.Direction;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.TranscriptLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Performs the help-desk calls of handoffs for the outbox: it owns what is sent to a {@link HandoffDesk}
 * (the {@link Handoff} with its transcript) and what an answer means for the session.
 */
@ApplicationScoped
public class HandoffService implements DeskCalls {

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    /** An email address as customers type it ("it's jane.doe@example.com."): desks such as Zendesk need one. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

    @Inject
    HandoffStore store;
    @Inject
    dev.parley.runtime.media.MediaService media;
    @Inject
    ConnectionManager connections;
    @Inject
    RuntimeSettings settings;
    @Inject
    OutboxDispatcher outbox;

    @Inject
    DeskEvents deskEvents;
    @Inject
    dev.parley.runtime.connection.ConnectionLogService logs;

    @Override
    public void perform(OutboxStore.Claim claim) {
        if (claim.kind() == OutboxEntry.Kind.DESK_PULL) {
            pull(claim);
            return;
        }
        HandoffSnapshot h = store.snapshot(claim.handoffId(),
                        claim.kind() == OutboxEntry.Kind.DESK_OPEN ? null : claim.messageId())
                .orElseThrow(() -> new PermanentException("handoff " + claim.handoffId() + " no longer exists"));
        HandoffDesk desk = desk(claim.connectionId());
        switch (claim.kind()) {
            case DESK_OPEN -> {
                DeskTicket ticket = desk.open(toHandoff(h));
                outbox.dispatchNow(store.opened(h.id(), claim.entryId(), claim.token(), ticket));
            }
            case DESK_RELAY -> {
                if (h.ticket() == null) {
                    store.deskCallDone(claim.entryId(), claim.token(), h.session().id(), claim.messageId(), "RELAY_SKIPPED",
                            "no ticket to add it to (handoff " + h.state() + ")");
                    return;
                }
                ChatMessage m = h.messages().stream().filter(x -> x.id().equals(claim.messageId())).findFirst()
                        .orElseThrow(() -> new PermanentException("message " + claim.messageId() + " not found"));
                desk.relay(h.ticket(), new TranscriptLine(m.createdAt(), TranscriptLine.CUSTOMER, withMedia(m)), m.reference());
                store.deskCallDone(claim.entryId(), claim.token(), h.session().id(), m.id(), "RELAYED", "added to ticket " + h.ticket().ref());
            }
            case DESK_CLOSE -> {
                if (h.ticket() != null) {
                    desk.close(h.ticket(), "the customer ended the conversation");
                }
                store.deskCallDone(claim.entryId(), claim.token(), h.session().id(), claim.messageId(), "DESK_CLOSED",
                        h.ticket() == null ? "no ticket to close" : "ticket " + h.ticket().ref() + " told");
            }
            default -> throw new PermanentException("not a desk call: " + claim.kind());
        }
    }

    /**
     * Reads what happened on the ticket since the desk's webhook and applies it like a webhook event: each
     * reply is claimed once by its own id, so pulling twice (two webhooks, a retry) sends nothing twice.
     */
    private void pull(OutboxStore.Claim claim) {
        HandoffRecord h = store.find(claim.handoffId())
                .orElseThrow(() -> new PermanentException("handoff " + claim.handoffId() + " no longer exists"));
        if (h.ticket() == null) {
            store.deskCallDone(claim.entryId(), claim.token(), h.sessionId(), null, "PULL_SKIPPED", "handoff " + h.state() + " has no ticket");
            return;
        }
        List<dev.parley.spi.InboundEvent> events = desk(claim.connectionId()).activity(h.ticket());
        int applied = 0;
        int seen = 0;
        int unmatched = 0;
        int ignored = 0;
        for (dev.parley.spi.InboundEvent event : events) {
            if (!(event instanceof dev.parley.spi.InboundEvent.AgentReplied)
                    && !(event instanceof dev.parley.spi.InboundEvent.ConversationClosed)) {
                ignored++;
                continue;
            }
            try {
                deskEvents.apply(claim.connectionId(), event);
                applied++;
            } catch (DuplicateEventException e) {
                seen++; // normal: activity returns replies already applied
            } catch (UnknownConversationException e) {
                unmatched++; // normal: the handoff ended (e.g. solved) before a later reply was read
            }
        }
        store.deskCallDone(claim.entryId(), claim.token(), h.sessionId(), null, "DESK_PULLED", "ticket " + h.ticket().ref() + ": "
                + events.size() + " event(s), " + applied + " applied, " + seen + " already seen"
                + (unmatched == 0 ? "" : ", " + unmatched + " after the handoff ended")
                + (ignored == 0 ? "" : ", " + ignored + " of other kinds ignored"));
    }

    @Override
    public void failed(OutboxStore.Claim claim, String error) {
        if (claim.kind() == OutboxEntry.Kind.DESK_PULL) {
            logs.append(claim.connectionId(), "ERROR", "reading ticket activity for handoff " + claim.handoffId()
                    + " (session " + claim.sessionId() + ") failed: " + error);
        }
        if (claim.kind() == OutboxEntry.Kind.DESK_OPEN) {
            outbox.dispatchNow(store.openFailed(claim.handoffId(), error));
        }
    }

    private HandoffDesk desk(String connectionId) {
        ManagedConnection c = connections.running(connectionId)
                .orElseThrow(() -> new RetryableException("desk connection '" + connectionId + "' is not running"));
        return c.capability(HandoffDesk.class)
                .orElseThrow(() -> new PermanentException("connection '" + connectionId + "' is not a help desk"));
    }

    Handoff toHandoff(HandoffSnapshot h) {
        var session = h.session();
        List<TranscriptLine> transcript = h.messages().stream()
                .map(m -> new TranscriptLine(m.createdAt(), m.direction() == Direction.IN ? TranscriptLine.CUSTOMER
                        : TranscriptLine.BOT, withMedia(m)))
                .toList();
        Map<String, String> fields = h.fields();
        String address = session.contact().address();
        String email = fields.getOrDefault("email", address.contains("@") ? address : writtenEmail(h.messages()));
        String name = session.contact().displayName() != null ? session.contact().displayName() : fields.get("name");
        String channelType = connections.find(session.connectionId()).map(ManagedConnection::type).orElse(null);
        return new Handoff(h.key(), String.valueOf(session.id()),
                settings.publicUrl() + "/console/sessions/" + session.id(), session.connectionId(), channelType,
                h.reason(), h.summary(), h.sentiment(), h.language(), transcript,
                new HandoffContact(address, E164.matcher(address).matches() ? address : null, email, name), fields);
    }

    /**
     * A message's text for a desk, with a line per file the customer sent: a signed link to Parley's copy (valid for
     * {@code parley.media.link-ttl}), or, when there is no copy, why, and the provider's short-lived link.
     */
    String withMedia(dev.parley.runtime.session.ChatMessage m) {
        List<dev.parley.spi.Attachment> files = dev.parley.runtime.session.MessageExtras.attachments(m.extras());
        if (files.isEmpty()) {
            return m.body();
        }
        StringBuilder text = new StringBuilder(m.body() == null ? "" : m.body());
        for (dev.parley.spi.Attachment a : files) {
            String what = a.kind() + (a.fileName() == null ? "" : " " + a.fileName());
            if (text.length() > 0) text.append('\n');
            if (a.copied() && media.linksEnabled()) {
                text.append('[').append(what).append(": ").append(media.link(a.mediaId(), null)).append(" (link valid ")
                        .append(media.linkTtl().toDays()).append(" days)]");
            } else {
                text.append('[').append(what).append(": not kept by Parley")
                        .append(a.copyFailure() == null ? "" : " (" + a.copyFailure() + ")")
                        .append(a.providerUrl() == null ? "" : "; the provider's short-lived link: " + a.providerUrl()).append(']');
            }
        }
        return text.toString();
    }

    /** The last email address the customer wrote in the conversation, or null: phone channels know no email. */
    static String writtenEmail(List<ChatMessage> messages) {
        String found = null;
        for (ChatMessage m : messages) {
            if (m.direction() == Direction.IN && m.body() != null) {
                java.util.regex.Matcher matcher = EMAIL.matcher(m.body());
                while (matcher.find()) {
                    found = matcher.group();
                }
            }
        }
        return found;
    }
}
