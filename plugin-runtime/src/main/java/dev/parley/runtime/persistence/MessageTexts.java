package dev.parley.runtime.persistence;

/**
 * The size rule for message texts, either way (a customer's SMS, a bot's answer, a desk agent's reply).
 *
 * <p>A text of up to {@value #MAX_CHARS} characters is stored and handled whole (chat_message.body holds
 * {@value Columns#LONG_TEXT}). A longer one is a runaway or an abuse, never a conversation: it is cut at
 * {@value #MAX_CHARS} characters (never inside a surrogate pair), and the caller records a timeline note
 * ({@link #NOTE_KIND}) with the original length. Either way it is never a 5xx and never an endless retry.
 */
public final class MessageTexts {

    /** The longest message text Parley keeps, in UTF-16 chars (a few pages of text; SMS concatenation tops out near 1,600). */
    public static final int MAX_CHARS = 100_000;
    /** The timeline event kind that says a message was cut. */
    public static final String NOTE_KIND = "MESSAGE_CUT";

    private MessageTexts() {
    }

    /**
     * A message text as Parley keeps it.
     *
     * @param text           what is stored and handled (never null)
     * @param originalLength the length of the text as it arrived
     */
    public record Kept(String text, int originalLength) {
        public boolean cut() {
            return text.length() < originalLength;
        }

        /** The timeline note for a cut text (null when nothing was cut). */
        public String note(String whose) {
            return cut() ? whose + " had " + originalLength + " characters; only the first " + text.length()
                    + " are kept (the limit is " + MAX_CHARS + ")" : null;
        }
    }

    /** {@code text} (null as "") cut to {@link #MAX_CHARS} at a safe point. */
    public static Kept keep(String text) {
        String t = text == null ? "" : text;
        return new Kept(Columns.fit(t, MAX_CHARS), t.length());
    }
}
