package dev.parley.runtime.dedup;

import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A claimed provider event; the unique (connection, key) constraint is what makes dedup cluster-safe. */
@Entity
@Table(name = "inbound_receipt")
public class InboundReceipt {

    @Id
    private Long id;
    @Column(name = "connection_id")
    private String connectionId;
    @Column(name = "dedup_key")
    private String dedupKey;
    @Column(name = "received_at")
    private OffsetDateTime receivedAt;
    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    protected InboundReceipt() {
    }

    public InboundReceipt(String connectionId, String dedupKey, OffsetDateTime receivedAt, OffsetDateTime expiresAt) {
        this.id = Ids.next();
        this.connectionId = connectionId;
        this.dedupKey = dedupKey;
        this.receivedAt = receivedAt;
        this.expiresAt = expiresAt;
    }
}
