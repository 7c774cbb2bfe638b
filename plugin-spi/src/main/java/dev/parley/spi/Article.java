package dev.parley.spi;

import java.time.OffsetDateTime;

/**
 * A knowledge article a bot may answer from.
 *
 * @param id         the source's id of the article
 * @param locale     its locale (e.g. {@code en-us}); may be null
 * @param title      the title
 * @param body       plain text (connectors strip HTML)
 * @param url        public link to the article; may be null
 * @param answerable true when it may be used for public answers (published, no audience restriction);
 *                   false removes it from the index
 * @param updatedAt  when it last changed at the source; may be null
 */
public record Article(String id, String locale, String title, String body, String url, boolean answerable,
                      OffsetDateTime updatedAt) {
}
