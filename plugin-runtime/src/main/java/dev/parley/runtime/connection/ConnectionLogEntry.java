package dev.parley.runtime.connection;

import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One line of a connection's log, as the admin "logs" view shows it. */
@Entity
@Table(name = "connection_log")
public class ConnectionLogEntry {

    @Id
    private Long id;
    @Column(name = "connection_id")
    private String connectionId;
    @Column(name = "logged_at")
    private OffsetDateTime loggedAt;
    private String severity;
    private String entry;

    protected ConnectionLogEntry() {
    }

    public ConnectionLogEntry(String connectionId, OffsetDateTime loggedAt, String severity, String entry) {
        this.id = Ids.next();
        this.connectionId = connectionId;
        this.loggedAt = loggedAt;
        this.severity = severity;
        this.entry = entry;
    }

    public Long id() { return id; }
    public String connectionId() { return connectionId; }
    public OffsetDateTime loggedAt() { return loggedAt; }
    public String severity() { return severity; }
    public String entry() { return entry; }
}
