package dev.parley.spi;

import java.util.Objects;

/**
 * What a desk opened for a {@link Handoff}.
 *
 * @param ref  the desk's id of the ticket or chat; {@code AgentReplied} and {@code ConversationClosed}
 *             events name it as their {@code conversationRef}
 * @param url  where a human finds it; may be null
 * @param note a line for the session timeline (e.g. "fell back to an email ticket: messaging is off");
 *             may be null
 */
public record DeskTicket(String ref, String url, String note) {
    public DeskTicket {
        Objects.requireNonNull(ref, "ref");
    }
}
