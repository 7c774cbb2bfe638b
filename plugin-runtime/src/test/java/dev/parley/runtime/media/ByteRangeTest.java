package dev.parley.runtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void aSingleRangeInAnyOfItsThreeForms() {
        assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(new ByteRange(100, 999), ByteRange.parse("bytes=100-", 1000));
        assertEquals(new ByteRange(900, 999), ByteRange.parse("bytes=-100", 1000));
        assertEquals(new ByteRange(0, 999), ByteRange.parse("bytes=-5000", 1000), "more than there is: all of it");
        assertEquals(new ByteRange(990, 999), ByteRange.parse("bytes=990-5000", 1000), "cut at the end");
        assertEquals(new ByteRange(5, 5), ByteRange.parse(" bytes= 5 - 5 ", 1000));
        assertEquals(100, ByteRange.parse("bytes=0-99", 1000).length());
    }

    @Test
    void pastTheEndIsUnsatisfiable() {
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-", 1000));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-1001", 1000));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 1000));
    }

    @Test
    void anythingElseIsAnsweredWhole() {
        for (String h : new String[] {null, "", "bytes=", "bytes=-", "bytes=5-4", "bytes=0-1,5-6", "items=0-1", "bytes=a-b",
                "bytes=0-99999999999999999999"}) {
            assertNull(ByteRange.parse(h, 1000), h);
        }
    }
}
