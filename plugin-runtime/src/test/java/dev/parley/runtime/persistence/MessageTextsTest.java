package dev.parley.runtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageTextsTest {

    private static final String EMOJI = new String(Character.toChars(0x1F600));

    @Test
    void theLimitIsAHundredThousandCharactersAndFitsTheWidenedColumn() {
        assertEquals(100_000, MessageTexts.MAX_CHARS);
        assertTrue(MessageTexts.MAX_CHARS <= Columns.LONG_TEXT);
    }

    @Test
    void aLongButLegitimateTextIsKeptWhole() {
        String nineThousand = "a".repeat(9000);
        MessageTexts.Kept k = MessageTexts.keep(nineThousand);
        assertSame(nineThousand, k.text());
        assertFalse(k.cut());
        assertNull(k.note("the customer's message"));
        String exactly = "b".repeat(MessageTexts.MAX_CHARS);
        assertFalse(MessageTexts.keep(exactly).cut());
    }

    @Test
    void nullIsAnEmptyText() {
        MessageTexts.Kept k = MessageTexts.keep(null);
        assertEquals("", k.text());
        assertEquals(0, k.originalLength());
        assertFalse(k.cut());
    }

    @Test
    void aRunawayTextIsCutAtTheLimitWithANoteGivingTheOriginalLength() {
        MessageTexts.Kept k = MessageTexts.keep("c".repeat(150_000));
        assertTrue(k.cut());
        assertEquals(MessageTexts.MAX_CHARS, k.text().length());
        assertEquals(150_000, k.originalLength());
        assertEquals("the customer's message had 150000 characters; only the first 100000 are kept (the limit is 100000)",
                k.note("the customer's message"));
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        // 'x' then pairs: the limit falls between the halves of a pair.
        MessageTexts.Kept k = MessageTexts.keep("x" + EMOJI.repeat(60_000));
        assertTrue(k.cut());
        assertEquals(MessageTexts.MAX_CHARS - 1, k.text().length());
        assertTrue(ColumnsTest.wellFormed(k.text()));
        assertTrue(k.note("m").contains("had 120001 characters; only the first 99999 are kept"), k.note("m"));
    }
}
