package dev.parley.spi.util;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text that is too long for one message into parts of at most {@code max} UTF-16 units (a conservative count:
 * never fewer than the code points a provider may count). Each cut is made at the last paragraph break, else line
 * break in the part's second half, else its last whitespace; where there is none (one word longer than the limit), at
 * the last character boundary before the
 * limit, so a surrogate pair (an emoji) or a letter with its combining marks is never cut. The whitespace at a cut is
 * dropped; nothing else is changed, so the parts read back as the text.
 */
public final class TextSplit {

    private TextSplit() {
    }

    public static List<String> split(String text, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, so any character fits");
        }
        List<String> parts = new ArrayList<>();
        if (text.length() <= max) {
            parts.add(text);
            return parts;
        }
        BreakIterator characters = BreakIterator.getCharacterInstance(java.util.Locale.ROOT);
        characters.setText(text);
        int start = 0;
        while (text.length() - start > max) {
            int cut = cut(text, start, start + max, characters);
            String part = text.substring(start, cut).stripTrailing();
            if (part.isEmpty()) { // only whitespace up to the limit: cut it as it is
                part = text.substring(start, cut);
            }
            parts.add(part);
            start = cut;
            while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
        }
        if (start < text.length()) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /** Where to end the part that starts at {@code start} and may run up to (excluding) {@code limit}. */
    private static int cut(String text, int start, int limit, BreakIterator characters) {
        int half = start + (limit - start) / 2;
        for (String boundary : new String[] {"\n\n", "\n"}) {
            int at = text.lastIndexOf(boundary, limit - boundary.length());
            if (at >= half) {
                return at + boundary.length();
            }
        }
        for (int i = limit; i > start; i--) {
            if (Character.isWhitespace(text.charAt(i - 1)) || Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        int boundary = characters.isBoundary(limit) ? limit : characters.preceding(limit);
        if (boundary <= start) { // one "character" longer than max (a huge combining sequence): keep pairs whole at least
            boundary = Character.isLowSurrogate(text.charAt(limit)) && Character.isHighSurrogate(text.charAt(limit - 1))
                    ? limit - 1 : limit;
        }
        return boundary;
    }
}
