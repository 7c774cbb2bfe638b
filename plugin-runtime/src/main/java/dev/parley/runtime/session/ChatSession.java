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
 * only by native claim updates ({@code dev.parley.runtime.turn.TurnStore}), never through this entity.
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
    @Column(name = "chatbot_revision_id")
    private Long chatbotRevisionId;
    @Column(name = "bot_context", length = dev.parley.runtime.persistence.Columns.LONG_TEXT)
    private String botContext;
    @Column(length = dev.parley.runtime.persistence.Columns.SENDER)
    private String sender;
    /** True only on the instance created in this transaction: a new session is bound to its chatbot. */
    @jakarta.persistence.Transient
    private boolean justOpened;

    protected ChatSession() {
    }

    public ChatSession(String connectionId, Contact contact, String agentId, OffsetDateTime now) {
        this.id = Ids.next();
        this.sessionKey = openKey(connectionId, contact.address());
        this.connectionId = connectionId;
        this.contact = contact;
        this.agentId = agentId;
        this.state = SessionState.BOT;
        this.justOpened = true;
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

    /** The chatbot revision this session talks to, fixed when it opens (so a redeploy's grace period works). */
    public void answeredBy(Long chatbotRevisionId, String sender) {
        this.chatbotRevisionId = chatbotRevisionId;
        // The provider's "to"; a longer one can match no chatbot (chatbot.sender has the same size) anyway.
        this.sender = dev.parley.runtime.persistence.Columns.fit(sender, dev.parley.runtime.persistence.Columns.SENDER);
    }

    public void botContext(String context, OffsetDateTime now) {
        this.botContext = context;
        this.updatedAt = now;
    }

    public void handedOff(OffsetDateTime now) {
        this.state = SessionState.HANDED_OFF;
        this.updatedAt = now;
    }

    /** Back to the bot (a handoff that no human could take). */
    public void backToBot(OffsetDateTime now) {
        this.state = SessionState.BOT;
        this.updatedAt = now;
    }

    /**
     * Ends the session (RESOLVED or CLOSED): its key no longer blocks a new session, so the customer's next
     * message opens a fresh one with the bot.
     */
    public void end(SessionState endState, OffsetDateTime now) {
        this.state = endState;
        this.sessionKey = sessionKey + "#" + id;
        this.updatedAt = now;
    }

    public boolean justOpened() {
        return justOpened;
    }

    public boolean open() {
        return state == SessionState.BOT || state == SessionState.HANDED_OFF;
    }

    public Long id() { return id; }
    public String connectionId() { return connectionId; }
    public Contact contact() { return contact; }
    public String agentId() { return agentId; }
    public SessionState state() { return state; }
    public OffsetDateTime createdAt() { return createdAt; }
    public OffsetDateTime updatedAt() { return updatedAt; }
    public OffsetDateTime lastInboundAt() { return lastInboundAt; }
    public Long chatbotRevisionId() { return chatbotRevisionId; }
    public String botContext() { return botContext; }
    public String sender() { return sender; }
}
