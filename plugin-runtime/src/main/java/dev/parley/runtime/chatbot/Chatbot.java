package dev.parley.runtime.chatbot;

import dev.parley.runtime.persistence.Columns;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * An embedded chatbot with its lifecycle. Edits create a new draft revision; activation makes the draft
 * the active revision. {@code activeSenderKey} is set only while ACTIVE and is unique in the database:
 * one active bot per sender, whichever instance activates.
 */
@Entity
@Table(name = "chatbot")
public class Chatbot {

    public enum State { DRAFT, ACTIVE, INACTIVE }

    @Id
    private String id;
    private String name;
    private String channel;
    private String sender;
    @Enumerated(EnumType.STRING)
    private State state;
    @Column(name = "draft_revision")
    private int draftRevision;
    @Column(name = "active_revision")
    private Integer activeRevision;
    @Column(name = "active_sender_key")
    private String activeSenderKey;
    @Column(name = "activate_at")
    private OffsetDateTime activateAt;
    @Column(name = "deactivate_at")
    private OffsetDateTime deactivateAt;
    @Column(name = "schedule_zone")
    private String scheduleZone;
    @Column(name = "schedule_grace_s")
    private Long scheduleGraceSeconds;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected Chatbot() {
    }

    Chatbot(String id, OffsetDateTime now) {
        this.id = id;
        this.state = State.DRAFT;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** The key under which a sender is unique among active bots: digits for phone numbers, else lower case. */
    public static String senderKey(String channel, String sender) {
        if (channel == null || sender == null) {
            return null;
        }
        String s = sender.trim();
        String digits = s.replaceAll("[\\s()+\\-.]", "");
        return channel + "|" + (digits.matches("\\d{3,}") ? digits : s.toLowerCase(Locale.ROOT));
    }

    int newDraft(String name, String channel, String sender, OffsetDateTime now) {
        this.name = Columns.fitNoted(name == null || name.isBlank() ? id : name, Columns.NAME);
        this.channel = channel;
        this.sender = sender;
        this.draftRevision++;
        this.updatedAt = now;
        return draftRevision;
    }

    void activated(OffsetDateTime now) {
        state = State.ACTIVE;
        activeRevision = draftRevision;
        activeSenderKey = senderKey(channel, sender);
        lastError = null;
        updatedAt = now;
    }

    void deactivated(OffsetDateTime now) {
        state = State.INACTIVE;
        activeSenderKey = null;
        updatedAt = now;
    }

    void schedule(OffsetDateTime activateAt, OffsetDateTime deactivateAt, String zone, Duration grace, OffsetDateTime now) {
        this.activateAt = activateAt;
        this.deactivateAt = deactivateAt;
        this.scheduleZone = zone;
        this.scheduleGraceSeconds = grace == null ? null : grace.toSeconds();
        this.updatedAt = now;
    }

    void error(String error, OffsetDateTime now) {
        this.lastError = Columns.fit(error, Columns.ERROR);
        this.updatedAt = now;
    }

    public String id() { return id; }
    public String name() { return name; }
    public String channel() { return channel; }
    public String sender() { return sender; }
    public State state() { return state; }
    public int draftRevision() { return draftRevision; }
    public Integer activeRevision() { return activeRevision; }
    public OffsetDateTime activateAt() { return activateAt; }
    public OffsetDateTime deactivateAt() { return deactivateAt; }
    public String scheduleZone() { return scheduleZone; }
    public Duration scheduleGrace() { return scheduleGraceSeconds == null ? Duration.ZERO : Duration.ofSeconds(scheduleGraceSeconds); }
    public String lastError() { return lastError; }
    public OffsetDateTime updatedAt() { return updatedAt; }
}
