package dev.parley.runtime.bot;

import dev.parley.runtime.persistence.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a bot answered as it did, for the people who read a session afterwards (desk agents, operators): which bot
 * answered, what it understood, what it drew on and what it did. Recorded in the session timeline as one line
 * ({@link #line()}); it never holds secrets (no keys, tokens or URLs with credentials).
 *
 * @param bot        who answered, in words: {@code embedded chatbot acme rev 2}, {@code LLM model gpt-4o-mini},
 *                   {@code Botpress bot acme}, {@code Rasa at rasa:5005}, {@code agent support's configured answers}
 * @param rule       what decided the answer when the bot says so: {@code keyword "price"}, {@code button "Billing"},
 *                   {@code welcome dialog}, {@code fallback}, {@code knowledge article}, a handoff payload; may be null
 * @param intent     the intent or topic the bot recognised; may be null
 * @param confidence the intent's confidence in [0, 1] when the bot reports one; may be null
 * @param articles   knowledge articles the bot used (or was given, for a model: then {@link Article#cited()} says
 *                   whether its answer cited each)
 * @param toolCalls  the tools a model called, in order
 */
public record BotReasoning(String bot, String rule, String intent, Double confidence, List<Article> articles,
                           List<ToolCall> toolCalls) {

    /** Longest text taken from the bot for one part of the line (a title, a tool call's arguments). */
    static final int PART_CHARS = 300;
    /** Most articles or tool calls listed in the line; the rest are counted. */
    static final int MAX_LISTED = 10;

    public BotReasoning {
        bot = bot == null || bot.isBlank() ? "the bot" : bot.strip();
        articles = articles == null ? List.of() : List.copyOf(articles);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * A knowledge article.
     *
     * @param source where it came from (a connection id, or {@code admin})
     * @param id     the source's article id
     * @param title  its title
     * @param cited  whether the answer cited it; null when not known (the bot used it, or nothing says)
     */
    public record Article(String source, String id, String title, Boolean cited) {
    }

    /** A tool a model called, with its arguments as the model sent them (JSON text). */
    public record ToolCall(String name, String arguments) {
    }

    /** Nothing known but who answered. */
    public static BotReasoning by(String bot) {
        return new BotReasoning(bot, null, null, null, List.of(), List.of());
    }

    public BotReasoning withRule(String rule) {
        return new BotReasoning(bot, rule, intent, confidence, articles, toolCalls);
    }

    public BotReasoning withIntent(String intent, Double confidence) {
        return new BotReasoning(bot, rule, intent, confidence, articles, toolCalls);
    }

    public BotReasoning withArticles(List<Article> articles) {
        return new BotReasoning(bot, rule, intent, confidence, articles, toolCalls);
    }

    public BotReasoning withToolCalls(List<ToolCall> toolCalls) {
        return new BotReasoning(bot, rule, intent, confidence, articles, toolCalls);
    }

    /**
     * One line a person can read, always in the same parts and order, e.g. {@code embedded chatbot acme rev 2:
     * intent "hours" (confidence 0.82); no articles; no tool calls}. Parts the bot gave are cut to
     * {@value #PART_CHARS} characters and lists to {@value #MAX_LISTED} items, so the line stays well inside the
     * timeline's detail column.
     */
    public String line() {
        StringBuilder s = new StringBuilder(cut(bot)).append(": ");
        if (rule != null && !rule.isBlank()) {
            s.append(cut(rule)).append("; ");
        }
        if (intent == null || intent.isBlank()) {
            s.append("no intent");
        } else {
            s.append("intent ").append(quoted(intent));
            if (confidence != null) {
                s.append(String.format(Locale.ROOT, " (confidence %.2f)", confidence));
            }
        }
        s.append("; ");
        if (articles.isEmpty()) {
            s.append("no articles");
        } else {
            List<String> listed = new ArrayList<>();
            for (Article a : articles) {
                listed.add(cut(a.source()) + " " + cut(a.id()) + " " + quoted(a.title())
                        + (a.cited() == null ? "" : a.cited() ? " (cited)" : " (not cited)"));
            }
            s.append("articles: ").append(list(listed));
        }
        s.append("; ");
        if (toolCalls.isEmpty()) {
            s.append("no tool calls");
        } else {
            List<String> listed = new ArrayList<>();
            for (ToolCall c : toolCalls) {
                String args = c.arguments() == null ? "" : c.arguments().strip().replaceAll("\\s+", " ");
                listed.add(cut(c.name()) + (args.isEmpty() ? "" : " " + cut(args)));
            }
            s.append("tool calls: ").append(list(listed));
        }
        return s.toString();
    }

    private static String list(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(items.size(), MAX_LISTED)));
        return items.size() > MAX_LISTED ? shown + " and " + (items.size() - MAX_LISTED) + " more" : shown;
    }

    private static String quoted(String s) {
        return "\"" + cut(s) + "\"";
    }

    /** One line, at most {@value #PART_CHARS} characters (never inside a surrogate pair). */
    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        String flat = s.strip().replaceAll("\\s+", " ");
        if (flat.length() <= PART_CHARS) {
            return flat;
        }
        return flat.substring(0, Columns.safeEnd(flat, PART_CHARS - 1)) + "…";
    }
}
