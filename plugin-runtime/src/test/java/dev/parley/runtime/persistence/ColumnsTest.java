package dev.parley.runtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColumnsTest {

    /** U+1F600 (grinning face): two UTF-16 chars. */
    private static final String EMOJI = new String(Character.toChars(0x1F600));

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void fitLeavesShortTextsAndNullAlone() {
        String s = "hello";
        assertSame(s, Columns.fit(s, 5));
        assertNull(Columns.fit(null, 5));
        assertSame(s, Columns.fitNoted(s, 5));
        assertNull(Columns.fitNoted(null, 5));
    }

    @Test
    void fitCutsToTheColumnSize() {
        assertEquals("abc", Columns.fit("abcdef", 3));
        assertEquals("", Columns.fit("abcdef", 0));
    }

    @Test
    void fitNeverSplitsASurrogatePair() {
        String s = "ab" + EMOJI + "cd"; // a b \uD83D \uDE00 c d
        assertEquals("ab", Columns.fit(s, 3), "the cut would fall between the two halves: it moves before the pair");
        assertEquals("ab" + EMOJI, Columns.fit(s, 4));
        String emojis = EMOJI.repeat(3000); // 6000 chars
        for (int max = 1; max < 50; max++) {
            String cut = Columns.fit(emojis, max);
            assertTrue(wellFormed(cut), "max " + max);
            assertTrue(cut.length() <= max && cut.length() >= max - 1, "max " + max);
        }
        assertEquals(Columns.DETAIL, Columns.fit(emojis, Columns.DETAIL).length(), "2000 whole pairs fit exactly");
        String detail = Columns.fit("x" + emojis, Columns.DETAIL);
        assertTrue(wellFormed(detail));
        assertEquals(Columns.DETAIL - 1, detail.length(), "x + 1999 pairs; the 2000th pair would be split: left out");
    }

    @Test
    void fitNotedSaysItWasCutAndHowLongTheOriginalWas() {
        String s = "y".repeat(9000);
        String cut = Columns.fitNoted(s, Columns.DETAIL);
        assertEquals(Columns.DETAIL, cut.length());
        assertTrue(cut.endsWith("...[cut: 9000 characters in all]"), cut.substring(cut.length() - 60));
        assertTrue(cut.startsWith("yyyy"));
        String emojis = EMOJI.repeat(5000);
        String notedEmojis = Columns.fitNoted(emojis, 1001);
        assertTrue(wellFormed(notedEmojis));
        assertTrue(notedEmojis.length() <= 1001);
        assertTrue(notedEmojis.endsWith("[cut: 10000 characters in all]"));
        assertEquals("abc", Columns.fitNoted("abcdefgh", 3), "no room for the note: a plain cut");
    }

    @Test
    void safeEndStaysInRange() {
        assertEquals(0, Columns.safeEnd("abc", 0));
        assertEquals(3, Columns.safeEnd("abc", 10));
        assertEquals(0, Columns.safeEnd(EMOJI, 1), "half a pair is never kept");
        assertEquals(2, Columns.safeEnd(EMOJI + "a", 2));
        assertFalse(wellFormed(EMOJI.substring(0, 1)), "the helper itself detects a lone half");
    }
}
