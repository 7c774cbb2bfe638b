package dev.parley.spi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TextSplitTest {

    @Test
    void aTextThatFitsIsOnePart() {
        assertEquals(List.of("hello"), TextSplit.split("hello", 5));
        assertEquals(List.of(""), TextSplit.split("", 5));
    }

    @Test
    void cutsAtTheLastParagraphThenLineThenWordInTheLastFifth() {
        assertEquals(List.of("aaaaaaaa", "bb"), TextSplit.split("aaaaaaaa\n\nbb", 10));
        assertEquals(List.of("aaaaaaaa", "bbbbb"), TextSplit.split("aaaaaaaa\nbbbbb", 10));
        assertEquals(List.of("one two", "three four", "five"), TextSplit.split("one two three four five", 10));
    }

    @Test
    void aWordLongerThanTheLimitIsCutAtTheLimit() {
        assertEquals(List.of("abcdefghij", "klm"), TextSplit.split("abcdefghijklm", 10));
    }

    @Test
    void neverCutsAnEmojiInHalf() {
        String text = "abcdefghi\uD83D\uDE00xyz"; // the emoji's pair would straddle the 10th unit
        List<String> parts = TextSplit.split(text, 10);
        assertEquals(List.of("abcdefghi", "\uD83D\uDE00xyz"), parts);
    }

    @Test
    void aLongReplyForWhatsAppSplitsAtWordsIntoPartsOfAtMost4096() {
        String text = "Parley answers. ".repeat(600); // 9,600 characters
        List<String> parts = TextSplit.split(text.strip(), 4096);
        assertEquals(3, parts.size());
        parts.forEach(p -> assertTrue(p.length() <= 4096 && p.endsWith("answers."), "a whole word ends each part"));
    }

    private static String withoutWhitespace(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> b.append((char) c));
        return b.toString();
    }

    @Property(tries = 2000)
    void partsFitAndReadBackAsTheText(@ForAll @StringLength(max = 300) String text, @ForAll @IntRange(min = 2, max = 40) int max) {
        List<String> parts = TextSplit.split(text, max);
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            assertTrue(part.length() <= max, "fits: " + part.length());
            if (text.length() > max) {
                assertFalse(part.isEmpty(), "no empty part");
            }
            assertFalse(!part.isEmpty() && Character.isLowSurrogate(part.charAt(0))
                    && part.length() > 0 && joined.length() > 0 && Character.isHighSurrogate(joined.charAt(joined.length() - 1)),
                    "no surrogate pair cut");
            joined.append(part);
        }
        assertEquals(withoutWhitespace(text), withoutWhitespace(joined.toString()), "only whitespace at cuts dropped");
    }
}
