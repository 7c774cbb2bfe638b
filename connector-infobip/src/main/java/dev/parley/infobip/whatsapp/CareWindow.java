package dev.parley.infobip.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * WhatsApp's customer-care window: free-form messages only within 24 hours of the customer's last message. Checked at
 * send time from the session's last inbound message, with a small margin, so a reply that leaves Parley in the last
 * seconds is not refused by Meta after it was accepted.
 */
final class CareWindow {

    static final Duration LENGTH = Duration.ofHours(24);
    static final Duration MARGIN = Duration.ofSeconds(30);

    private CareWindow() {
    }

    /** Whether free text may be sent now to a customer who last wrote at {@code lastWrote} (null: never). */
    static boolean open(OffsetDateTime lastWrote, Instant now) {
        return lastWrote != null && now.isBefore(lastWrote.toInstant().plus(LENGTH).minus(MARGIN));
    }
}
