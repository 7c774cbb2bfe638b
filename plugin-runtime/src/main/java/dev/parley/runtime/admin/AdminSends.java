package dev.parley.runtime.admin;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.outbox.OutboxWriter;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.Contact;
import dev.parley.runtime.session.SessionStore;
import dev.parley.spi.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The admin API's send: an operator- or campaign-initiated message, queued in the recipient's session like any
 * reply (the outbox sends it).
 */
@ApplicationScoped
public class AdminSends {

    @Inject
    SessionStore sessions;
    @Inject
    OutboxWriter outbox;
    @Inject
    Agents agents;

    @Transactional(Transactional.TxType.REQUIRED)
    public AdminViews.SendAccepted queue(String connectionId, String recipient, String text) {
        OffsetDateTime now = OffsetDateTime.now();
        ChatSession session = session(connectionId, recipient, now);
        ChatMessage m = outbox.queue(session, List.of(text), "admin API", now, true).messages().get(0);
        return new AdminViews.SendAccepted(session.id(), m.id(), m.status().name());
    }

    /** A template (WhatsApp: to write first, or again after its 24-hour window closed). */
    @Transactional(Transactional.TxType.REQUIRED)
    public AdminViews.SendAccepted queueTemplate(String connectionId, String recipient, Template template) {
        OffsetDateTime now = OffsetDateTime.now();
        ChatSession session = session(connectionId, recipient, now);
        ChatMessage m = outbox.queueTemplate(session, template, "admin API", now).messages().get(0);
        return new AdminViews.SendAccepted(session.id(), m.id(), m.status().name());
    }

    private ChatSession session(String connectionId, String recipient, OffsetDateTime now) {
        Contact contact = sessions.contact(recipient, null, now);
        String agent = agents.registry().inboundAgent(connectionId).map(AgentDefinition::id).orElse(null);
        return sessions.openSession(connectionId, contact, agent, now);
    }
}
