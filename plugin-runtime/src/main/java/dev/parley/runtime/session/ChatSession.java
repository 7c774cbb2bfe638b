package dev.parley.runtime.session;

import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A conversation between one contact and Parley on one connection. The turn lease columns are written
 * only by native claim updates ({@link dev.parley.runtime.bot.TurnStore}), never through this entity.
 */
@Entity
@Table(name = "chat_session")
public class ChatSession {

    @Id
    private Long id;
    @Column(name = "session_key")
    private String sessionKey;
    @Column(name = "connection_id")
    private String connectionId;
    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "contact_id")
    private Contact contact;
    @Column(name = "agent_id")
    private String agentId;
    @Enumerated(EnumType.STRING)
    private SessionState state;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    @Column(name = "last_inbound_at")
    private OffsetDateTime lastInboundAt;

    protected ChatSession() {
    }

    public ChatSession(String connectionId, Contact contact, String agentId, OffsetDateTime now) {
        this.id = Ids.next();
        this.sessionKey = openKey(connectionId, contact.address());
        this.connectionId = connectionId;
        this.contact = contact;
        this.agentId = agentId;
        this.state = SessionState.BOT;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** The key that is unique while a session is open. */
    public static String openKey(String connectionId, String address) {
        return connectionId + "|" + address;
    }

    public void inboundAt(OffsetDateTime at) {
        this.lastInboundAt = at;
        this.updatedAt = at;
    }

    public void touched(OffsetDateTime at) {
        this.updatedAt = at;
    }

    public Long id() { return id; }
    public String connectionId() { return connectionId; }
    public Contact contact() { return contact; }
    public String agentId() { return agentId; }
    public SessionState state() { return state; }
    public OffsetDateTime createdAt() { return createdAt; }
    public OffsetDateTime updatedAt() { return updatedAt; }
    public OffsetDateTime lastInboundAt() { return lastInboundAt; }
}
