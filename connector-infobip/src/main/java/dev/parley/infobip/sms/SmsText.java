package dev.parley.infobip.sms;

/**
 * Length rule for outbound SMS text: Infobip concatenates long texts, and Parley caps a message at
 * {@value #MAX_CODE_POINTS} characters (code points) so a runaway bot answer cannot cost dozens of parts.
 */
public final class SmsText {

    /** The longest text sent, in Unicode code points. */
    public static final int MAX_CODE_POINTS = 1600;
    private static final String ELLIPSIS = "...";

    private SmsText() {
    }

    /**
     * The text unchanged when it has at most {@value #MAX_CODE_POINTS} code points; else its first
     * 1597 code points plus {@code "..."}, never splitting a surrogate pair.
     */
    public static String truncate(String text) {
        if (text == null) return "";
        if (text.codePointCount(0, text.length()) <= MAX_CODE_POINTS) return text;
        int end = text.offsetByCodePoints(0, MAX_CODE_POINTS - ELLIPSIS.length());
        return text.substring(0, end) + ELLIPSIS;
    }
}
