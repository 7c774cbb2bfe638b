package dev.parley.runtime.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Finds or opens contacts and sessions inside the caller's transaction. Two instances racing to create
 * the same contact or session hit a unique constraint; the caller retries its whole transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SessionStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @jakarta.inject.Inject
    SessionSequence sequence;

    /** The session's next number, for a message, turn or outbox entry written in the caller's transaction. */
    public long nextSeq(long sessionId) {
        return sequence.next(sessionId);
    }

    public Contact contact(String address, String displayName, OffsetDateTime now) {
        List<Contact> found = em.createQuery("select c from Contact c where c.address = :a", Contact.class)
                .setParameter("a", address).getResultList();
        if (!found.isEmpty()) {
            Contact c = found.get(0);
            if (displayName != null && c.displayName() == null) {
                c.displayName(displayName);
            }
            return c;
        }
        Contact c = new Contact(address, displayName, now);
        em.persist(c);
        em.flush(); // a lost race on the unique address must fail here, inside the caller's retry
        return c;
    }

    /** The open session of the contact with this address on this connection, if there is one. */
    public Optional<ChatSession> findOpen(String connectionId, String address) {
        return em.createQuery("select s from ChatSession s where s.sessionKey = :k", ChatSession.class)
                .setParameter("k", ChatSession.openKey(connectionId, address)).getResultList().stream().findFirst();
    }

    /** The open session of this contact on this connection, opened now if there is none. */
    public ChatSession openSession(String connectionId, Contact contact, String agentId, OffsetDateTime now) {
        List<ChatSession> found = em.createQuery("select s from ChatSession s where s.sessionKey = :k", ChatSession.class)
                .setParameter("k", ChatSession.openKey(connectionId, contact.address())).getResultList();
        if (!found.isEmpty()) {
            return found.get(0);
        }
        ChatSession s = new ChatSession(connectionId, contact, agentId, now);
        if (contact.id() != null) {
            // The customer's last message on this connection, from an earlier session: a channel's customer-care
            // window (WhatsApp's 24 hours) counts from it, not from this session's start.
            OffsetDateTime lastInbound = em.createQuery("select max(x.lastInboundAt) from ChatSession x "
                            + "where x.contact = :c and x.connectionId = :k", OffsetDateTime.class)
                    .setParameter("c", contact).setParameter("k", connectionId).getSingleResult();
            if (lastInbound != null) {
                s.inboundAt(lastInbound);
            }
        }
        em.persist(s);
        em.flush(); // likewise for the unique open-session key
        event(s.id(), null, now, "SESSION_OPENED", agentId == null ? "no agent answers this connection" : "agent " + agentId);
        return s;
    }

    public void event(Long sessionId, Long messageId, OffsetDateTime at, String kind, String detail) {
        em.persist(new SessionEvent(sessionId, sequence.next(sessionId), messageId, at, kind, detail));
    }

    public Optional<ChatMessage> outboundByProviderId(String connectionId, String providerMessageId) {
        return em.createQuery("select m from ChatMessage m where m.connectionId = :c and m.providerMessageId = :p "
                        + "and m.direction = dev.parley.runtime.session.Direction.OUT", ChatMessage.class)
                .setParameter("c", connectionId).setParameter("p", providerMessageId)
                .setMaxResults(1).getResultList().stream().findFirst();
    }
}
