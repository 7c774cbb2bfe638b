package dev.parley.runtime.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Placeholder keyword bot, replaced by the embedded engine. */
public final class EmbeddedBot implements Bot {

    private final AgentDefinition agent;

    public EmbeddedBot(AgentDefinition agent) {
        this.agent = agent;
    }

    @Override
    public BotAnswer answer(BotRequest request) {
        List<String> out = new ArrayList<>(2);
        if (request.firstTurn() && agent.greeting() != null && !agent.greeting().isBlank()) {
            out.add(agent.greeting());
        }
        String answer = match(agent.keywords(), request.text());
        if (answer != null) {
            out.add(answer);
        } else if (out.isEmpty()) {
            out.add(agent.fallback());
        }
        return BotAnswer.of(out.toArray(String[]::new));
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
