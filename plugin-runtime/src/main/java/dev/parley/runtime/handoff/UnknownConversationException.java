package dev.parley.runtime.handoff;

/** A desk event names a ticket or chat that no open handoff has; its transaction rolls back. */
public class UnknownConversationException extends RuntimeException {
    public UnknownConversationException(String conversationRef) {
        super("no open handoff has conversation " + conversationRef);
    }
}
