package dev.parley.hubspot.ticket;

import dev.parley.spi.Handoff;
import dev.parley.spi.HandoffContact;
import dev.parley.spi.Sentiment;
import dev.parley.spi.TranscriptLine;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextsTest {

    private static Handoff handoff(String summary, List<TranscriptLine> lines) {
        return new Handoff("hk-1", "s-1", "https://parley.example/api/sessions/s-1", "sms", "infobip-sms", "r",
                summary, Sentiment.NEUTRAL, null, lines, new HandoffContact("+15135557611", null, null, null), Map.of());
    }

    @Test
    void longTranscriptLosesItsOldestLinesButKeepsMediaAndTheLink() {
        List<TranscriptLine> lines = new ArrayList<>();
        OffsetDateTime at = OffsetDateTime.parse("2026-01-01T09:00:00Z");
        lines.add(new TranscriptLine(at, TranscriptLine.CUSTOMER, "photo https://p.example/media/m1?expires=1&sig=a"));
        for (int i = 0; i < 2000; i++) lines.add(new TranscriptLine(at, TranscriptLine.BOT, "line " + i + " " + "x".repeat(60)));

        String content = Texts.content(handoff("s", lines));

        assertTrue(content.length() <= Texts.MAX_BODY, "" + content.length());
        assertTrue(content.contains("earlier lines left out: see the session in Parley"));
        assertFalse(content.contains("line 0 "));
        assertTrue(content.contains("line 1999 "));
        assertTrue(content.contains("\nMedia:\n- https://p.example/media/m1?expires=1&sig=a\n"));
        assertTrue(content.endsWith("View in Parley: https://parley.example/api/sessions/s-1"));
    }

    @Test
    void noteBodyStaysWithinTheLimitAndKeepsItsMarker() {
        String note = Texts.handoffNote(handoff("<&>\n".repeat(40_000), List.of()));
        assertTrue(note.length() <= Texts.MAX_BODY, "" + note.length());
        assertTrue(note.endsWith("<p>Parley ref: hk-1</p>"));
        assertTrue(TicketDesk.hasMarker(note, Texts.marker("hk-1")));
        assertFalse(TicketDesk.hasMarker(note, Texts.marker("hk-")));
    }

    @Test
    void clippedHtmlNeverEndsInsideAnEntityOrATag() {
        assertEquals("a<br>b", Texts.lines("a\nb", 100));
        assertEquals("ab...", Texts.lines("ab\ncdef", 8));
        assertEquals("ab...", Texts.lines("ab&cdef", 8));
        assertEquals("ab&amp;...", Texts.lines("ab&cdef", 10));
    }

    @Test
    void subjectIsTheSummarysFirstLineClipped() {
        assertEquals("First", Texts.subject(handoff("\n First \nSecond", List.of())));
        assertEquals(255, Texts.subject(handoff("y".repeat(400), List.of())).length());
        assertEquals("r", Texts.subject(handoff(null, List.of())));
    }
}
