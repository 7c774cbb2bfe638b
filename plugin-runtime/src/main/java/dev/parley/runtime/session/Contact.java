package dev.parley.runtime.session;

import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A customer, keyed by channel address (E.164 phone for SMS); unique across connections. */
@Entity
@Table(name = "contact")
public class Contact {

    @Id
    private Long id;
    private String address;
    @Column(name = "display_name", length = dev.parley.runtime.persistence.Columns.NAME)
    private String displayName;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    protected Contact() {
    }

    public Contact(String address, String displayName, OffsetDateTime createdAt) {
        this.id = Ids.next();
        this.address = address;
        this.displayName = dev.parley.runtime.persistence.Columns.fitNoted(displayName, dev.parley.runtime.persistence.Columns.NAME);
        this.createdAt = createdAt;
    }

    public Long id() { return id; }
    public String address() { return address; }
    public String displayName() { return displayName; }
    public void displayName(String name) { this.displayName = dev.parley.runtime.persistence.Columns.fitNoted(name, dev.parley.runtime.persistence.Columns.NAME); }
}
