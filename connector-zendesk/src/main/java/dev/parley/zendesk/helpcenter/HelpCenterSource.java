package dev.parley.zendesk.helpcenter;

import dev.parley.spi.Article;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.KnowledgeSource;
import dev.parley.spi.util.Jsons;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Help Center articles through the incremental export
 * ({@code GET /api/v2/help_center/incremental/articles?start_time=<unix s>}). The cursor is the export's
 * {@code end_time}. Drafts and articles restricted to a user segment come back as not answerable, so the
 * runtime removes them from the index. Logs nothing: the runtime logs the sync state.
 */
public final class HelpCenterSource {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public HelpCenterSource(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    public KnowledgeSource.Page changedSince(String cursor) {
        long start = startTime(cursor);
        JsonObject page = client.ok("read Help Center articles", (api, auth) -> api.articlesSince(auth, start));
        List<Article> articles = new ArrayList<>();
        JsonArray items = Jsons.array(page, "articles");
        if (items != null) {
            for (JsonValue v : items) {
                if (v instanceof JsonObject a && Jsons.nonBlank(a, "id") != null) {
                    articles.add(article(a));
                }
            }
        }
        Long end = Jsons.integer(page, "end_time");
        String next = Jsons.nonBlank(page, "next_page");
        // end_time must move forward, or a page that repeats would be fetched forever.
        boolean more = next != null && end != null && end > start;
        String nextCursor = end != null && end > start ? String.valueOf(end) : String.valueOf(start);
        return new KnowledgeSource.Page(articles, nextCursor, more);
    }

    /** Unix seconds; null, blank or a value this source never wrote start a full sync. */
    static long startTime(String cursor) {
        if (cursor == null || cursor.isBlank()) return 0;
        try {
            return Math.max(0, Long.parseLong(cursor.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Article article(JsonObject a) {
        boolean draft = Jsons.bool(a, "draft", false);
        // user_segment_id null = visible to everyone; any segment restricts who may read it.
        JsonValue segment = a.get("user_segment_id");
        boolean restricted = segment != null && segment.getValueType() != JsonValue.ValueType.NULL;
        return new Article(Jsons.string(a, "id"), Jsons.nonBlank(a, "locale"),
                HtmlText.of(Jsons.string(a, "title")), HtmlText.of(Jsons.string(a, "body")),
                Jsons.nonBlank(a, "html_url"), !draft && !restricted, time(Jsons.nonBlank(a, "updated_at")));
    }

    private static OffsetDateTime time(String s) {
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
