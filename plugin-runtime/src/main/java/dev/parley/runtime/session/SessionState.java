package dev.parley.runtime.session;

/** Who is talking to the customer. */
public enum SessionState {
    /** The agent's bot answers. */
    BOT,
    /** A human at the help desk answers; the bot is silent. */
    HANDED_OFF,
    RESOLVED,
    CLOSED
}
