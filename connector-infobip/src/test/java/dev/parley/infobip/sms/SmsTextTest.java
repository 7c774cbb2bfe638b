package dev.parley.infobip.sms;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsTextTest {

    private static int cp(String s) {
        return s.codePointCount(0, s.length());
    }

    @Test
    void shortTextUnchanged() {
        assertEquals("Hello", SmsText.truncate("Hello"));
    }

    @Test
    void exactly1600Unchanged() {
        String t = "a".repeat(1600);
        assertSame(t, SmsText.truncate(t));
    }

    @Test
    void exactly1600CodePointsWithEmojiUnchanged() {
        String t = "\uD83D\uDE00".repeat(1600); // 3200 chars, 1600 code points
        assertSame(t, SmsText.truncate(t));
    }

    @Test
    void over1600IsCutTo1597PlusEllipsis() {
        String t = "a".repeat(1601);
        String r = SmsText.truncate(t);
        assertEquals(1600, cp(r));
        assertEquals("a".repeat(1597) + "...", r);
    }

    @Test
    void emojiAtTheBoundaryIsNotSplit() {
        // 1596 letters, then an emoji as code point 1597, then more: the emoji is kept whole.
        String t = "a".repeat(1596) + "\uD83D\uDE00" + "b".repeat(10);
        String r = SmsText.truncate(t);
        assertEquals(1600, cp(r));
        assertEquals("a".repeat(1596) + "\uD83D\uDE00...", r);

        // An emoji as code point 1598 (just past the cut) is dropped whole, never half.
        String u = "a".repeat(1597) + "\uD83D\uDE00" + "b".repeat(10);
        String s = SmsText.truncate(u);
        assertEquals("a".repeat(1597) + "...", s);
        assertTrue(s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    }

    @Test
    void allEmojiCut() {
        String r = SmsText.truncate("\uD83D\uDE00".repeat(2000));
        assertEquals(1600, cp(r));
        assertEquals("\uD83D\uDE00".repeat(1597) + "...", r);
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", SmsText.truncate(null));
    }
}
