package dev.parley.runtime.knowledge;

/**
 * An article to index for {@link KnowledgeIndex}; {@code source} and {@code articleId} identify it.
 *
 * @param source    where it came from (a connection id, or {@code admin})
 * @param articleId the source's article id
 * @param locale    the article's locale or language ({@code de}, {@code de-AT}); null when unknown
 * @param title     the title
 * @param body      plain-text body
 * @param url       public link; may be null
 */
public record KnowledgeArticle(String source, String articleId, String locale, String title, String body,
                               String url) {
    public KnowledgeArticle {
        if (source == null || articleId == null) {
            throw new IllegalArgumentException("an article needs a source and an id");
        }
        title = title == null ? "" : title;
        body = body == null ? "" : body;
    }
}
