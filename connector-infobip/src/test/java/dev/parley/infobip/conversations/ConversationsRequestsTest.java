package dev.parley.infobip.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bodies' rules that are Parley's: the note's cut, tag names, the subscription's id. */
class ConversationsRequestsTest {

    @Test
    void aNoteThatFitsIsKeptWhole() {
        String full = "s".repeat(ConversationsRequests.MAX_NOTE);
        assertEquals(full, ConversationsRequests.cutNote(full));
        assertEquals("", ConversationsRequests.cutNote(""));
    }

    @Test
    void aLongerNoteKeepsItsBeginningAndSaysHowMuchWasCut() {
        String note = "Summary first.\n" + "y".repeat(ConversationsRequests.MAX_NOTE);
        String cut = ConversationsRequests.cutNote(note);
        assertEquals(ConversationsRequests.MAX_NOTE, cut.length());
        assertTrue(cut.startsWith("Summary first.\n"));
        String marker = "\n[cut: 36 characters]"; // 15 + 4000 characters, 3979 kept
        assertEquals(note.substring(0, ConversationsRequests.MAX_NOTE - marker.length()) + marker, cut);
        // one character over: still the marker, never more than the limit
        String over = ConversationsRequests.cutNote("z".repeat(ConversationsRequests.MAX_NOTE + 1));
        assertEquals(ConversationsRequests.MAX_NOTE, over.length());
        assertTrue(over.endsWith("\n[cut: 22 characters]"), over.substring(3970));
        // a huge text: a wider N, still within the limit
        assertTrue(ConversationsRequests.cutNote("w".repeat(1_000_000)).endsWith("\n[cut: 996025 characters]"));
        assertEquals(ConversationsRequests.MAX_NOTE, ConversationsRequests.cutNote("w".repeat(1_000_000)).length());
    }

    @Test
    void anEmojiAtTheCutIsNotSplitAndCountsAsOneCharacter() {
        String marker = "\n[cut: NN characters]";
        int keep = ConversationsRequests.MAX_NOTE - marker.length();
        // the emoji's high surrogate falls on the last kept unit
        String note = "a".repeat(keep - 1) + "\uD83D\uDE00" + "b".repeat(40);
        String cut = ConversationsRequests.cutNote(note);
        assertTrue(cut.length() <= ConversationsRequests.MAX_NOTE);
        assertEquals("a".repeat(keep - 1) + "\n[cut: 41 characters]", cut); // the emoji and 40 b's: 41 code points
        for (int i = 0; i < cut.length(); i++) {
            assertTrue(!Character.isSurrogate(cut.charAt(i)), "no lone surrogate at " + i);
        }
    }

    @Test
    void tagsTakeOnlyWhatInfobipAllows() {
        assertEquals("parley.ai_handled", ConversationsRequests.tagName("parley.ai_handled"));
        assertNull(ConversationsRequests.tagChange("parley.ai_handled"));
        assertEquals("Handled_by_AI", ConversationsRequests.tagName("  Handled by AI "));
        assertEquals("caf_", ConversationsRequests.tagName("café"));
        assertEquals("a__b", ConversationsRequests.tagName("a\uD83D\uDE00-b").replace("_-", "__")); // one _ per emoji
        assertEquals(ConversationsRequests.MAX_TAG, ConversationsRequests.tagName("t".repeat(150)).length());
        String change = ConversationsRequests.tagChange("Handled by AI");
        assertTrue(change.contains("'Handled by AI' is sent as 'Handled_by_AI'"), change);
        assertThrows(IllegalArgumentException.class, () -> ConversationsRequests.tagName("  "));
    }

    @Test
    void theSubscriptionIdIsTheConnectionsAndNeedsNoUrlEncoding() {
        assertEquals("parley-conv1", ConversationsRequests.subscriptionId("conv1"));
        assertEquals("parley-my-conv-1", ConversationsRequests.subscriptionId("my conv/1"));
        assertEquals(255, ConversationsRequests.subscriptionId("x".repeat(300)).length());
    }
}
