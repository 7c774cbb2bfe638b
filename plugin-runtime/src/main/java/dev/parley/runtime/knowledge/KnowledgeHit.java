package dev.parley.runtime.knowledge;

/**
 * An article that matched a question.
 *
 * @param source    where it came from (a connection id, or {@code admin})
 * @param articleId the source's article id
 * @param locale    the article's locale; may be null
 * @param title     the title
 * @param body      plain-text body
 * @param url       public link; may be null
 * @param score     the retrieval score (BM25), only comparable within one search
 */
public record KnowledgeHit(String source, String articleId, String locale, String title, String body, String url,
                           double score) {
}
