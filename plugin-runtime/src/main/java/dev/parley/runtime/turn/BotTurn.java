package dev.parley.runtime.turn;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A customer message waiting for the bot. Turns of one session run one at a time, oldest first. */
@Entity
@Table(name = "bot_turn")
public class BotTurn {

    public enum State { PENDING, DONE, FAILED }

    @Id
    private Long id;
    @Column(name = "session_id")
    private Long sessionId;
    @Column(name = "message_id")
    private Long messageId;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private State state;
    private int attempts;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    private long seq;

    protected BotTurn() {
    }

    /** @param seq its message's place in the session: turns run in this order */
    public BotTurn(Long sessionId, Long messageId, long seq, OffsetDateTime now) {
        this.id = Ids.next();
        this.seq = seq;
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.state = State.PENDING;
        this.createdAt = now;
    }

    public void done() { state = State.DONE; }

    public void failed(String error) {
        state = State.FAILED;
        lastError = Columns.fit(error, Columns.ERROR);
    }

    public int attempt() { return ++attempts; }

    public Long id() { return id; }
    public long seq() { return seq; }
    public Long sessionId() { return sessionId; }
    public Long messageId() { return messageId; }
    public State state() { return state; }
    public int attempts() { return attempts; }
}
