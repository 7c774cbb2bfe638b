package dev.parley.runtime.outbox;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A send that must happen. Claimed by a native update (state SENDING with a lease), so any instance may
 * send it and a crashed instance's claim expires; see {@link OutboxStore#claim}.
 */
@Entity
@Table(name = "outbox_entry")
public class OutboxEntry {

    public enum State { PENDING, SENDING, SENT, FAILED }

    /**
     * What the entry does: send a chat message, call a help desk for a handoff ({@code DESK_PULL} reads
     * what happened on the ticket after the desk's "ticket changed" webhook), or ask the session's channel to close
     * the provider's conversation after the bot resolved the session ({@code CHANNEL_CLOSE}, to a channel that is a
     * {@link dev.parley.spi.ConversationCloser}). Names fit outbox_entry.kind (VARCHAR(20), V9).
     */
    public enum Kind { MESSAGE, DESK_OPEN, DESK_RELAY, DESK_CLOSE, DESK_PULL, CHANNEL_CLOSE }

    @Id
    private Long id;
    @Column(name = "session_id")
    private Long sessionId;
    @Column(name = "message_id")
    private Long messageId;
    @Column(name = "connection_id")
    private String connectionId;
    private String recipient;
    @Enumerated(EnumType.STRING)
    private Kind kind;
    @Column(name = "handoff_id")
    private Long handoffId;
    /** CHANNEL_CLOSE: why the bot resolved; null otherwise. */
    private String reason;
    @Enumerated(EnumType.STRING)
    private State state;
    private int attempts;
    /** Bumped by every claim; outcomes are recorded only under the claim that holds it (OutboxStore). */
    @Column(name = "claim_token")
    private long claimToken;
    /** Since when an attempt may have reached the provider unrecorded; see OutboxStore#claim. */
    @Column(name = "uncertain_since")
    private OffsetDateTime uncertainSince;
    @Column(name = "next_attempt_at")
    private OffsetDateTime nextAttemptAt;
    @Column(name = "lease_until")
    private OffsetDateTime leaseUntil;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    private long seq;

    protected OutboxEntry() {
    }

    /** @param seq its place in the session: a session's entries to one connection go out in this order */
    public OutboxEntry(Long sessionId, long seq, Long messageId, String connectionId, String recipient, OffsetDateTime now) {
        this.id = Ids.next();
        this.seq = seq;
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.connectionId = connectionId;
        this.recipient = recipient;
        this.kind = Kind.MESSAGE;
        this.state = State.PENDING;
        this.nextAttemptAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * A help-desk call for a handoff, sent to the desk connection.
     *
     * @param messageId the customer message to relay (DESK_RELAY), else null
     */
    public static OutboxEntry desk(Kind kind, Long sessionId, long seq, Long handoffId, Long messageId, String deskConnectionId,
                                   OffsetDateTime now) {
        OutboxEntry e = new OutboxEntry(sessionId, seq, messageId, deskConnectionId, null, now);
        e.kind = kind;
        e.handoffId = handoffId;
        return e;
    }

    /**
     * Asks the session's channel to close the provider's conversation with {@code recipient} (the session's contact)
     * because the bot resolved the session. In the session's FIFO like its messages, so it waits for the bot's last
     * reply.
     */
    public static OutboxEntry channelClose(Long sessionId, long seq, String connectionId, String recipient,
                                           String reason, OffsetDateTime now) {
        OutboxEntry e = new OutboxEntry(sessionId, seq, null, connectionId, recipient, now);
        e.kind = Kind.CHANNEL_CLOSE;
        e.reason = Columns.fit(reason, Columns.REASON);
        return e;
    }

    public Long id() { return id; }
    public Long sessionId() { return sessionId; }
    public Long messageId() { return messageId; }
    public String connectionId() { return connectionId; }
    public String recipient() { return recipient; }
    public Kind kind() { return kind; }
    public Long handoffId() { return handoffId; }
    public String reason() { return reason; }
    public State state() { return state; }
    public int attempts() { return attempts; }
    public long claimToken() { return claimToken; }
    public OffsetDateTime uncertainSince() { return uncertainSince; }
    public String lastError() { return lastError; }
}
