package dev.parley.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A capability of a help desk: Parley suggests answers to human agents on tickets it did not create
 * (assist mode). The desk's webhook reports a ticket as {@link InboundEvent.AssistRequested}; after the
 * webhook answered, the runtime reads the ticket here, asks the bot, and posts the suggestion as an
 * internal note or tags why it did not.
 */
public interface AssistDesk {

    /** The ticket as it is now, or empty when it no longer exists. */
    Optional<AssistTicket> ticket(String ticketRef);

    /**
     * Posts a suggestion as an internal note (never visible to the customer).
     *
     * @param commentId the customer comment it answers: a desk may use it to make the post idempotent
     */
    void suggest(String ticketRef, String commentId, String text);

    /** Adds tags to the ticket so agents see why Parley stayed silent. */
    void tag(String ticketRef, List<String> tags);

    /** Topics on which Parley never suggests (the connection's skip list), lower case. */
    Set<String> skipTopics();

    /** The tag prefix to use for tags Parley adds (e.g. {@code parley_}). */
    String tagPrefix();

    /**
     * A ticket as assist mode needs it.
     *
     * @param ref             the desk's ticket id
     * @param status          the desk's status, lower case ({@code new}, {@code open}, {@code pending}, ...)
     * @param tags            its tags
     * @param createdByParley true when Parley opened it (a handoff): never assisted
     * @param commentId       id of the latest public comment by the requester; null when there is none
     * @param question        that comment's text; null when there is none
     * @param subject         the ticket subject
     */
    record AssistTicket(String ref, String status, Set<String> tags, boolean createdByParley, String commentId,
                        String question, String subject) {
        public AssistTicket {
            tags = tags == null ? Set.of() : Set.copyOf(tags);
        }

        /** Open or pending tickets are the ones agents are working on. */
        public boolean workable() {
            return "open".equals(status) || "pending".equals(status) || "new".equals(status);
        }
    }
}
