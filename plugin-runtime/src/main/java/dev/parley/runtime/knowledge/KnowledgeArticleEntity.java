package dev.parley.runtime.knowledge;

import dev.parley.runtime.persistence.Columns;
import dev.parley.runtime.persistence.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A stored knowledge article; the search index is rebuilt from these rows. */
@Entity
@Table(name = "knowledge_article")
public class KnowledgeArticleEntity {

    @Id
    private Long id;
    private String source;
    @Column(name = "article_id")
    private String articleId;
    private String locale;
    @Column(length = Columns.TITLE)
    private String title;
    @Column(length = Columns.ARTICLE)
    private String body;
    private String url;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected KnowledgeArticleEntity() {
    }

    KnowledgeArticleEntity(String source, String articleId) {
        this.id = Ids.next();
        this.source = source;
        this.articleId = articleId;
    }

    void update(String locale, String title, String body, String url, OffsetDateTime at) {
        this.locale = locale;
        // A source's article longer than its column is kept cut, with a note at its end, rather than failing every sync.
        this.title = Columns.fitNoted(title, Columns.TITLE);
        this.body = Columns.fitNoted(body, Columns.ARTICLE);
        this.url = url;
        this.updatedAt = at;
    }

    KnowledgeArticle toArticle() {
        return new KnowledgeArticle(source, articleId, locale, title, body, url);
    }

    public String source() { return source; }
    public String articleId() { return articleId; }
    public String locale() { return locale; }
    public String title() { return title; }
    public String url() { return url; }
    public OffsetDateTime updatedAt() { return updatedAt; }
}
