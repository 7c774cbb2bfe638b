package dev.parley.runtime.outbox;

import dev.parley.runtime.persistence.MessageTexts;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionStore;
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

    /** The queued messages and their outbox entries, in order. */
    public record Queued(List<ChatMessage> messages, List<Long> entryIds) {
    }

    public Queued queue(ChatSession session, List<String> texts, String origin, OffsetDateTime now, boolean announce) {
        List<ChatMessage> messages = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        for (String original : texts) {
            MessageTexts.Kept kept = MessageTexts.keep(original);
            String text = kept.text();
            ChatMessage m = ChatMessage.outbound(session, sessions.nextSeq(session.id()), text, now);
            em.persist(m);
            // outbox_entry.message_id is a plain column with a foreign key, so EclipseLink does not order
            // these inserts: write the message first.
            em.flush();
            OutboxEntry e = new OutboxEntry(session.id(), m.seq(), m.id(), session.connectionId(), session.contact().address(), now);
            em.persist(e);
            sessions.event(session.id(), m.id(), now, "MESSAGE_OUT", origin + ": " + text);
            if (kept.cut()) {
                sessions.event(session.id(), m.id(), now, MessageTexts.NOTE_KIND, kept.note("the " + origin + "'s message"));
            }
            messages.add(m);
            entries.add(e.id());
        }
        session.touched(now);
        if (announce && !entries.isEmpty()) {
            queued.fire(new OutboxQueued(entries));
        }
        return new Queued(messages, entries);
    }
}
