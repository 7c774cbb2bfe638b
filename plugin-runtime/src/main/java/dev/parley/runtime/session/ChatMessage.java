package dev.parley.runtime.session;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import dev.parley.runtime.persistence.MessageTexts;
import dev.parley.spi.DeliveryStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A message in a session, either way. Outbound status only moves forward ({@link DeliveryStatus#canMoveTo}). */
@Entity
@Table(name = "chat_message")
public class ChatMessage {

    @Id
    private Long id;
    @Column(name = "session_id")
    private Long sessionId;
    @Column(name = "connection_id")
    private String connectionId;
    @Enumerated(EnumType.STRING)
    private Direction direction;
    /** Up to {@link MessageTexts#MAX_CHARS} characters, cut by the callers ({@link MessageTexts#keep}). */
    @Column(length = Columns.LONG_TEXT)
    private String body;
    /** Parley's own id, given to the provider as its message id so reports match even before the send returns. */
    private String reference;
    @Column(name = "provider_message_id")
    private String providerMessageId;
    @Enumerated(EnumType.STRING)
    private DeliveryStatus status;
    private String error;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    /** Its place in the session (ids only identify). */
    private long seq;

    /** The provider's message type, or TEMPLATE; null for plain text ({@link MessageExtras}). */
    @Column(length = 40)
    private String kind;
    /** The payload of the button or list row the customer chose, the bot's postback; null otherwise. */
    @Column(length = 1000)
    private String postback;
    /** JSON: attachments, structured content, why it was not acted on, a template ({@link MessageExtras}). */
    @Column(length = Columns.LONG_TEXT)
    private String extras;

    protected ChatMessage() {
    }

    /** @param seq the session's next number ({@link SessionSequence}): the message's place in its session */
    public static ChatMessage inbound(ChatSession session, long seq, String text, String providerMessageId, OffsetDateTime now) {
        ChatMessage m = new ChatMessage(session, seq, Direction.IN, text, now);
        m.providerMessageId = providerMessageId;
        return m;
    }

    public static ChatMessage outbound(ChatSession session, long seq, String text, OffsetDateTime now) {
        ChatMessage m = new ChatMessage(session, seq, Direction.OUT, text, now);
        m.status = DeliveryStatus.QUEUED;
        m.providerMessageId = m.reference;
        return m;
    }

    private ChatMessage(ChatSession session, long seq, Direction direction, String text, OffsetDateTime now) {
        this.id = Ids.next();
        this.seq = seq;
        this.sessionId = session.id();
        this.connectionId = session.connectionId();
        this.direction = direction;
        this.body = MessageTexts.keep(text).text(); // callers cut (and note) first; this is the last guard
        this.reference = UUID.randomUUID().toString();
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Moves to {@code next} if that is forward; returns whether it moved. */
    public boolean advance(DeliveryStatus next, String error, OffsetDateTime now) {
        if (status == null || !status.canMoveTo(next)) {
            return false;
        }
        status = next;
        if (error != null) {
            this.error = Columns.fit(error, Columns.ERROR);
        }
        updatedAt = now;
        return true;
    }

    public void providerMessageId(String id) {
        if (id != null && !id.isBlank()) {
            this.providerMessageId = id;
        }
    }

    /** Sets what the message carried besides text (see the columns); cut to fit. */
    public void content(String kind, String postback, String extras) {
        this.kind = kind == null ? null : Columns.fit(kind, 40);
        this.postback = postback == null ? null : Columns.fit(postback, 1000);
        this.extras = extras;
    }

    public String kind() { return kind; }
    public String postback() { return postback; }
    public String extras() { return extras; }
    public Long id() { return id; }
    public long seq() { return seq; }
    public Long sessionId() { return sessionId; }
    public String connectionId() { return connectionId; }
    public Direction direction() { return direction; }
    public String body() { return body; }
    public String reference() { return reference; }
    public String providerMessageId() { return providerMessageId; }
    public DeliveryStatus status() { return status; }
    public String error() { return error; }
    public OffsetDateTime createdAt() { return createdAt; }
    public OffsetDateTime updatedAt() { return updatedAt; }
}
