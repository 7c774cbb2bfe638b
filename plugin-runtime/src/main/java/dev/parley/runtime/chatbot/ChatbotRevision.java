package dev.parley.runtime.chatbot;

import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * An immutable definition of a chatbot (canonical JSON). Sessions remember the revision they started on;
 * {@code retireAt} ends those sessions after a grace period once another revision or bot took over.
 */
@Entity
@Table(name = "chatbot_revision")
public class ChatbotRevision {

    @Id
    private Long id;
    @Column(name = "chatbot_id")
    private String chatbotId;
    private int revision;
    private String definition;
    @Column(name = "retire_at")
    private OffsetDateTime retireAt;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    protected ChatbotRevision() {
    }

    ChatbotRevision(String chatbotId, int revision, String definition, OffsetDateTime now) {
        this.id = Ids.next();
        this.chatbotId = chatbotId;
        this.revision = revision;
        this.definition = definition;
        this.createdAt = now;
    }

    /** Keeps the earliest retirement: a second takeover never extends a grace period. */
    void retireAt(OffsetDateTime at) {
        if (retireAt == null || at.isBefore(retireAt)) {
            retireAt = at;
        }
    }

    /** Activated again: its sessions are no longer on their way out. */
    void unretire() {
        retireAt = null;
    }

    public Long id() { return id; }
    public String chatbotId() { return chatbotId; }
    public int revision() { return revision; }
    public String definition() { return definition; }
    public OffsetDateTime retireAt() { return retireAt; }
}
