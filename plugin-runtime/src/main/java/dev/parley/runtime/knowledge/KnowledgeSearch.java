package dev.parley.runtime.knowledge;

import java.util.List;

/** Finds the knowledge articles that answer a question, best first. */
public interface KnowledgeSearch {

    /**
     * @param query    the customer's words
     * @param language ISO 639-1 code of the query's language, or null when unknown
     * @param max      at most this many hits
     * @return hits good enough to answer from, best first; empty when nothing is relevant enough
     */
    List<KnowledgeHit> search(String query, String language, int max);

    KnowledgeSearch NONE = (query, language, max) -> List.of();
}
