package dev.parley.runtime.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedBotTest {

    private final EmbeddedBot bot = new EmbeddedBot();
    private final AgentDefinition agent;

    EmbeddedBotTest() {
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("hours", "We are open 9-17.");
        keywords.put("price", "Plans start at 10 EUR.");
        agent = new AgentDefinition("a", "embedded", List.of("sms"), null, "Hello!", "Sorry?", keywords);
    }

    @Test
    void greetsOnTheFirstTurnAndAnswersAKeyword() {
        assertEquals(List.of("Hello!", "We are open 9-17."), bot.reply(agent, "What are your HOURS?", true));
    }

    @Test
    void aGreetingAloneAnswersAFirstMessageWithoutKeyword() {
        assertEquals(List.of("Hello!"), bot.reply(agent, "hi", true));
    }

    @Test
    void fallsBackLaterWhenNothingMatches() {
        assertEquals(List.of("Sorry?"), bot.reply(agent, "blah", false));
    }

    @Test
    void matchesWholeWordsOnlyAndTheEarliestKeywordWins() {
        assertEquals(List.of("Sorry?"), bot.reply(agent, "pricey shours", false));
        assertEquals(List.of("Plans start at 10 EUR."), bot.reply(agent, "price and hours?", false));
    }
}
