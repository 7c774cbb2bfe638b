package dev.parley.runtime.handoff;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Sentiment;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One handoff of a session to a desk. {@code openKey} holds the session id while the handoff is open, so
 * the database refuses a second open handoff (a second ticket) for one session.
 */
@Entity
@Table(name = "handoff")
public class HandoffRecord {

    /** OPENING until the desk has a ticket; OPEN while humans answer; FAILED or CLOSED at the end. */
    public enum State { OPENING, OPEN, FAILED, CLOSED }

    @Id
    private Long id;
    @Column(name = "session_id")
    private Long sessionId;
    @Column(name = "agent_id")
    private String agentId;
    @Column(name = "desk_connection_id")
    private String deskConnectionId;
    @Column(name = "open_key")
    private Long openKey;
    @Enumerated(EnumType.STRING)
    private State state;
    @Column(length = Columns.REASON)
    private String reason;
    @Column(length = Columns.SUMMARY)
    private String summary;
    @Enumerated(EnumType.STRING)
    private Sentiment sentiment;
    private String language;
    /** JSON, so never cut: {@link HandoffStore#start} leaves it out (with a timeline note) if it does not fit. */
    @Column(length = Columns.LONG_TEXT)
    private String fields;
    @Column(name = "ticket_ref")
    private String ticketRef;
    @Column(name = "ticket_url")
    private String ticketUrl;
    private String error;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected HandoffRecord() {
    }

    HandoffRecord(long sessionId, String agentId, String deskConnectionId, String reason, String summary,
                  Sentiment sentiment, String language, String fieldsJson, OffsetDateTime now) {
        this.id = Ids.next();
        this.sessionId = sessionId;
        this.agentId = agentId;
        this.deskConnectionId = deskConnectionId;
        this.openKey = sessionId;
        this.state = State.OPENING;
        this.reason = Columns.fitNoted(reason, Columns.REASON);
        this.summary = Columns.fitNoted(summary, Columns.SUMMARY);
        this.sentiment = sentiment;
        this.language = language;
        this.fields = fieldsJson == null || fieldsJson.length() > Columns.LONG_TEXT ? null : fieldsJson;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void opened(DeskTicket ticket, OffsetDateTime now) {
        state = State.OPEN;
        ticketRef = ticket.ref();
        ticketUrl = Columns.fit(ticket.url(), 1000);
        updatedAt = now;
    }

    void failed(String why, OffsetDateTime now) {
        state = State.FAILED;
        openKey = null;
        error = Columns.fit(why, Columns.ERROR);
        updatedAt = now;
    }

    void closed(OffsetDateTime now) {
        state = State.CLOSED;
        openKey = null;
        updatedAt = now;
    }

    /** Parley's id of this handoff for the desk's idempotency. */
    public String key() {
        return "parley-handoff-" + id;
    }

    public DeskTicket ticket() {
        return ticketRef == null ? null : new DeskTicket(ticketRef, ticketUrl, null);
    }

    public Long id() { return id; }
    public Long sessionId() { return sessionId; }
    public String agentId() { return agentId; }
    public String deskConnectionId() { return deskConnectionId; }
    public State state() { return state; }
    public String reason() { return reason; }
    public String summary() { return summary; }
    public Sentiment sentiment() { return sentiment; }
    public String language() { return language; }
    public String fields() { return fields; }
    public String ticketRef() { return ticketRef; }
    public String ticketUrl() { return ticketUrl; }
    public String error() { return error; }
    public OffsetDateTime createdAt() { return createdAt; }
}
