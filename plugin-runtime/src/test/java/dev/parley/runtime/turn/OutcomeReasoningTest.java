package dev.parley.runtime.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.persistence.Columns;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutcomeReasoningTest {

    private final TurnStore.Outcome outcome = new TurnStore.Outcome(List.of("Hi"), null, null,
            new TurnStore.Note("BOT_TOPIC", "hours"), null);

    @Test
    void theReasoningBecomesItsOwnTimelineLineBesideTheTopic() {
        TurnStore.Outcome reasoned = outcome.reasoned(BotReasoning.by("Botpress bot acme").withIntent("hours", 0.9));
        assertEquals(new TurnStore.Note("BOT_REASONING", "Botpress bot acme: intent \"hours\" (confidence 0.90); "
                + "no articles; no tool calls"), reasoned.reasoning());
        assertEquals(new TurnStore.Note("BOT_TOPIC", "hours"), reasoned.note(), "the topic line stays");
        assertEquals(List.of("Hi"), reasoned.texts());
    }

    @Test
    void noReasoningNoLine() {
        assertNull(outcome.reasoning());
        assertSame(outcome, outcome.reasoned(null));
    }

    @Test
    void theLineFitsTheDetailColumn() {
        List<BotReasoning.Article> many = IntStream.range(0, 10).mapToObj(i ->
                new BotReasoning.Article("s".repeat(400), "i".repeat(400), "t".repeat(400), true)).toList();
        String detail = outcome.reasoned(BotReasoning.by("b".repeat(400)).withRule("r".repeat(400))
                .withIntent("n".repeat(400), 1.0).withArticles(many)).reasoning().detail();
        assertTrue(detail.length() <= Columns.DETAIL, String.valueOf(detail.length()));
        assertTrue(detail.endsWith("characters in all]"), "a cut says so");
    }
}
