package dev.parley.runtime.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parley's default bot: a greeting on the first turn, canned answers by keyword, and a fallback. A
 * keyword matches as a whole word, ignoring case; when several match, the one that appears first in
 * the message wins.
 */
public final class EmbeddedBot implements Bot {

    @Override
    public List<String> reply(AgentDefinition agent, String text, boolean firstTurn) {
        List<String> out = new ArrayList<>(2);
        if (firstTurn && agent.greeting() != null && !agent.greeting().isBlank()) {
            out.add(agent.greeting());
        }
        String answer = match(agent.keywords(), text == null ? "" : text);
        if (answer != null) {
            out.add(answer);
        } else if (out.isEmpty()) {
            // A greeting alone answers a first "hi"; later, silence would leave the customer waiting.
            out.add(agent.fallback());
        }
        return out;
    }

    static String match(Map<String, String> keywords, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int best = Integer.MAX_VALUE;
        String answer = null;
        for (Map.Entry<String, String> k : keywords.entrySet()) {
            var m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k.getKey()) + "(?![\\p{L}\\p{N}])")
                    .matcher(lower);
            if (m.find() && m.start() < best) {
                best = m.start();
                answer = k.getValue();
            }
        }
        return answer;
    }
}
