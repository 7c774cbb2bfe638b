package dev.parley.runtime.session;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One line of a session's timeline: a message in or out, a status change, a retry, an error. */
@Entity
@Table(name = "session_event")
public class SessionEvent {

    @Id
    private Long id;
    @Column(name = "session_id")
    private Long sessionId;
    @Column(name = "message_id")
    private Long messageId;
    @Column(name = "occurred_at")
    private OffsetDateTime occurredAt;
    private String kind;
    @Column(length = Columns.DETAIL)
    private String detail;

    /** Its place in the session's order. */
    private long seq;

    protected SessionEvent() {
    }

    public SessionEvent(Long sessionId, long seq, Long messageId, OffsetDateTime occurredAt, String kind, String detail) {
        this.id = Ids.next();
        this.seq = seq;
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.occurredAt = occurredAt;
        this.kind = kind;
        this.detail = Columns.fitNoted(detail, Columns.DETAIL);
    }

    public Long id() { return id; }
    public long seq() { return seq; }
    public Long sessionId() { return sessionId; }
    public Long messageId() { return messageId; }
    public OffsetDateTime occurredAt() { return occurredAt; }
    public String kind() { return kind; }
    public String detail() { return detail; }
}
