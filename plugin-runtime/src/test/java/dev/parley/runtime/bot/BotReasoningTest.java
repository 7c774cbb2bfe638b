package dev.parley.runtime.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BotReasoningTest {

    @Test
    void theLineHasItsPartsInOrder() {
        BotReasoning why = BotReasoning.by("embedded chatbot acme rev 2").withIntent("hours", 0.8234)
                .withArticles(List.of(new BotReasoning.Article("help-center", "360001", "Opening hours", null)));
        assertEquals("embedded chatbot acme rev 2: intent \"hours\" (confidence 0.82); "
                + "articles: help-center 360001 \"Opening hours\"; no tool calls", why.line());
    }

    @Test
    void toolCallsAndCitationsAreListed() {
        BotReasoning why = BotReasoning.by("LLM model gpt-4o-mini").withIntent("returns", null)
                .withArticles(List.of(new BotReasoning.Article("admin", "returns", "Return policy", true),
                        new BotReasoning.Article("admin", "shipping", "Shipping", false)))
                .withToolCalls(List.of(new BotReasoning.ToolCall("handoff_to_human", "{\"reason\":\n \"angry\"}"),
                        new BotReasoning.ToolCall("resolve_conversation", null)));
        assertEquals("LLM model gpt-4o-mini: intent \"returns\"; articles: admin returns \"Return policy\" (cited), "
                + "admin shipping \"Shipping\" (not cited); tool calls: handoff_to_human {\"reason\": \"angry\"}, "
                + "resolve_conversation", why.line());
    }

    @Test
    void nothingKnownIsSaidSo() {
        assertEquals("Rasa at rasa:5005: handoff payload \"refund\"; no intent; no articles; no tool calls",
                BotReasoning.by("Rasa at rasa:5005").withRule("handoff payload \"refund\"").line());
        assertEquals("the bot: no intent; no articles; no tool calls", BotReasoning.by(null).line());
    }

    @Test
    void theLineStaysBoundedWhateverTheBotSends() {
        List<BotReasoning.ToolCall> calls = IntStream.range(0, 50)
                .mapToObj(i -> new BotReasoning.ToolCall("tool" + i, "{\"x\":\"" + "y".repeat(5000) + "\"}")).toList();
        String line = BotReasoning.by("LLM model m").withToolCalls(calls).line();
        assertTrue(line.length() < 4000, "fits the timeline's detail column: " + line.length());
        assertTrue(line.endsWith(" and 40 more"), line.substring(line.length() - 40));
        assertTrue(line.contains("tool9 {\"x\":\"yyy"), "each call is cut, not dropped");
        // A cut never leaves half a surrogate pair.
        String emoji = "😀".repeat(400);
        String cutTitle = BotReasoning.by("b").withArticles(List.of(new BotReasoning.Article("s", "1", emoji, null))).line();
        assertTrue(cutTitle.contains("😀…"), "cut after a whole emoji");
        cutTitle.codePoints().forEach(cp -> assertTrue(!Character.isSurrogate((char) cp) || cp > 0xFFFF));
    }
}
