package dev.parley.runtime.persistence;

/**
 * Fitting free text into Parley's bounded VARCHAR columns (V1..V4 migrations).
 *
 * <p>DESIGN rule: every text column either holds any legitimate size or is cut with a note. Message bodies
 * and bot state live in {@value #LONG_TEXT}-character columns (V4__long_texts.sql) and are capped in code
 * ({@link MessageTexts}); errors, timeline details and log lines stay bounded and are cut here. A cut never
 * splits a surrogate pair, so the stored text is always valid UTF-16 (and valid UTF-8 in the database).
 */
public final class Columns {

    public static final int ERROR = 2000;
    public static final int DETAIL = 4000;
    /** handoff.reason */
    public static final int REASON = 1000;
    /** handoff.summary */
    public static final int SUMMARY = 4000;
    /** contact.display_name, chatbot.name */
    public static final int NAME = 200;
    /** chat_session.sender, chatbot.sender */
    public static final int SENDER = 100;
    /** knowledge_article.title */
    public static final int TITLE = 1000;
    /** knowledge_article.body */
    public static final int ARTICLE = 200_000;
    /**
     * The widened text columns (chat_message.body, chat_session.bot_context, handoff.fields): VARCHAR(1000000)
     * on H2 and PostgreSQL alike (both count characters).
     */
    public static final int LONG_TEXT = 1_000_000;

    private Columns() {
    }

    /** {@code s} cut to at most {@code max} characters, never inside a surrogate pair; null stays null. */
    public static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, safeEnd(s, max));
    }

    /**
     * Like {@link #fit}, but a cut text ends with a note saying so and how long the original was, e.g.
     * {@code "...[cut: 9000 characters in all]"}; the result still has at most {@code max} characters.
     */
    public static String fitNoted(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String note = "...[cut: " + s.length() + " characters in all]";
        if (note.length() >= max) {
            return fit(s, max);
        }
        return s.substring(0, safeEnd(s, max - note.length())) + note;
    }

    /**
     * The largest end index {@code <= max} at which {@code s} may be cut without splitting a surrogate pair
     * ({@code max} itself unless the char before it is a high surrogate followed by its low surrogate).
     */
    public static int safeEnd(String s, int max) {
        if (max <= 0) {
            return 0;
        }
        if (max >= s.length()) {
            return s.length();
        }
        return Character.isHighSurrogate(s.charAt(max - 1)) && Character.isLowSurrogate(s.charAt(max)) ? max - 1 : max;
    }
}
