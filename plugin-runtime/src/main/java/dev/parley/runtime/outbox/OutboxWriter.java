package dev.parley.runtime.outbox;

import dev.parley.runtime.persistence.MessageTexts;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionStore;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.session.MessageExtras;
import dev.parley.spi.Channel;
import dev.parley.spi.Template;
import dev.parley.spi.util.TextSplit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Queues outbound messages in the caller's transaction; they are sent after it commits, either by an
 * {@link OutboxQueued} observer ({@code announce}) or by the caller itself, already on a worker thread.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class OutboxWriter {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;
    @Inject
    Event<OutboxQueued> queued;
    @Inject
    ConnectionManager connections;

    /** The queued messages and their outbox entries, in order. */
    public record Queued(List<ChatMessage> messages, List<Long> entryIds) {
    }

    /**
     * Queues texts in order. A text longer than the connection's channel takes in one message
     * ({@link Channel#maxTextLength()}) becomes several messages, split by {@link TextSplit}, each sent and tracked on
     * its own; the timeline says so.
     */
    public Queued queue(ChatSession session, List<String> texts, String origin, OffsetDateTime now, boolean announce) {
        List<ChatMessage> messages = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        int max = maxTextLength(session.connectionId());
        for (String original : texts) {
            MessageTexts.Kept kept = MessageTexts.keep(original);
            List<String> parts = TextSplit.split(kept.text(), max);
            for (int i = 0; i < parts.size(); i++) {
                ChatMessage m = write(session, parts.get(i), origin, now, messages, entries);
                if (i == 0 && kept.cut()) {
                    sessions.event(session.id(), m.id(), now, MessageTexts.NOTE_KIND, kept.note("the " + origin + "'s message"));
                }
                if (i == 0 && parts.size() > 1) {
                    sessions.event(session.id(), m.id(), now, "MESSAGE_SPLIT", "the " + origin + "'s message of "
                            + kept.text().length() + " characters goes out as " + parts.size() + " messages of at most "
                            + max + ", the most one message holds on this channel");
                }
            }
        }
        session.touched(now);
        if (announce && !entries.isEmpty()) {
            queued.fire(new OutboxQueued(entries));
        }
        return new Queued(messages, entries);
    }

    /** Queues a template (an outreach, or a message after a channel's window closed); the transcript shows its values. */
    public Queued queueTemplate(ChatSession session, Template template, String origin, OffsetDateTime now) {
        List<ChatMessage> messages = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        String shown = "[template " + template.name() + " (" + template.language() + ")"
                + (template.placeholders().isEmpty() ? "" : ": " + String.join(" | ", template.placeholders())) + "]";
        write(session, shown, origin, now, messages, entries).content("TEMPLATE", null, MessageExtras.of(template));
        session.touched(now);
        queued.fire(new OutboxQueued(entries));
        return new Queued(messages, entries);
    }

    /**
     * Queues a {@link OutboxEntry.Kind#CHANNEL_CLOSE} after everything queued for the session so far, when the
     * session's connection is running and offers {@link dev.parley.spi.ConversationCloser}: the channel closes the
     * provider's conversation once the session's earlier entries (the bot's last replies) are finished. Not announced:
     * the caller dispatches it with the entries before it.
     *
     * @return the entry, or empty when the channel keeps no conversations of its own (nothing to close)
     */
    public java.util.Optional<Long> queueChannelClose(ChatSession session, String reason, OffsetDateTime now) {
        boolean closes = connections.find(session.connectionId())
                .flatMap(c -> c.capability(dev.parley.spi.ConversationCloser.class)).isPresent();
        if (!closes) {
            return java.util.Optional.empty();
        }
        OutboxEntry e = OutboxEntry.channelClose(session.id(), sessions.nextSeq(session.id()), session.connectionId(),
                session.contact().address(), reason, now);
        em.persist(e);
        return java.util.Optional.of(e.id());
    }

    private ChatMessage write(ChatSession session, String text, String origin, OffsetDateTime now, List<ChatMessage> messages,
                              List<Long> entries) {
        ChatMessage m = ChatMessage.outbound(session, sessions.nextSeq(session.id()), text, now);
        em.persist(m);
        // outbox_entry.message_id is a plain column with a foreign key, so EclipseLink does not order
        // these inserts: write the message first.
        em.flush();
        OutboxEntry e = new OutboxEntry(session.id(), m.seq(), m.id(), session.connectionId(), session.contact().address(), now);
        em.persist(e);
        sessions.event(session.id(), m.id(), now, "MESSAGE_OUT", origin + ": " + text);
        messages.add(m);
        entries.add(e.id());
        return m;
    }

    private int maxTextLength(String connectionId) {
        return connections.find(connectionId).flatMap(c -> c.capability(Channel.class)).map(Channel::maxTextLength)
                .filter(n -> n >= 2).orElse(Integer.MAX_VALUE);
    }
}
