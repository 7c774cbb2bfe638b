package dev.parley.runtime.knowledge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The knowledge the bots answer from: articles stored in the database and searched in an in-memory
 * Lucene index per instance. Each instance rebuilds its index when the stored articles changed (checked by
 * the sweeper), so N instances converge without talking to each other.
 */
@ApplicationScoped
public class KnowledgeService implements KnowledgeSearch {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    private final KnowledgeIndex index = new KnowledgeIndex();
    private volatile String loadedSignature = "";

    @Override
    public List<KnowledgeHit> search(String query, String language, int max) {
        return index.search(query, language, max);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<KnowledgeArticleEntity> list(String source) {
        return em.createQuery("select a from KnowledgeArticleEntity a where (:s is null or a.source = :s) "
                + "order by a.source, a.articleId", KnowledgeArticleEntity.class).setParameter("s", source).getResultList();
    }

    /** Adds or replaces an article, in the database and in this instance's index. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void put(KnowledgeArticle article) {
        KnowledgeArticleEntity row = find(article.source(), article.articleId())
                .orElseGet(() -> {
                    KnowledgeArticleEntity e = new KnowledgeArticleEntity(article.source(), article.articleId());
                    em.persist(e);
                    return e;
                });
        row.update(article.locale(), article.title(), article.body(), article.url(), OffsetDateTime.now());
        index.upsert(row.toArticle()); // as stored (a cut title or body), like the index rebuilt from the rows

    }

    /** @return false when there was no such article */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean remove(String source, String articleId) {
        Optional<KnowledgeArticleEntity> row = find(source, articleId);
        row.ifPresent(em::remove);
        index.remove(source, articleId);
        return row.isPresent();
    }

    /** Removes the source's articles not in {@code keep} (a full sync's reconcile); returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int removeAllExcept(String source, java.util.Set<String> keep) {
        int removed = 0;
        for (KnowledgeArticleEntity a : em.createQuery("select a from KnowledgeArticleEntity a where a.source = :s",
                KnowledgeArticleEntity.class).setParameter("s", source).getResultList()) {
            if (!keep.contains(a.articleId())) {
                em.remove(a);
                index.remove(source, a.articleId());
                removed++;
            }
        }
        return removed;
    }

    /** Rebuilds this instance's index when the stored articles differ from what it last loaded. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void refreshIfChanged() {
        Object[] sig = (Object[]) em.createQuery("select count(a), max(a.updatedAt) from KnowledgeArticleEntity a").getSingleResult();
        String signature = sig[0] + "/" + sig[1];
        if (!signature.equals(loadedSignature)) {
            index.replaceAll(em.createQuery("select a from KnowledgeArticleEntity a", KnowledgeArticleEntity.class)
                    .getResultList().stream().map(KnowledgeArticleEntity::toArticle).toList());
            loadedSignature = signature;
        }
    }

    private Optional<KnowledgeArticleEntity> find(String source, String articleId) {
        return em.createQuery("select a from KnowledgeArticleEntity a where a.source = :s and a.articleId = :a",
                        KnowledgeArticleEntity.class)
                .setParameter("s", source).setParameter("a", articleId).getResultList().stream().findFirst();
    }
}
