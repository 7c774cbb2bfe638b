package dev.parley.runtime.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KnowledgeIndexTest {

    private final KnowledgeIndex index = new KnowledgeIndex();

    @BeforeEach
    void articles() {
        index.replaceAll(List.of(
                new KnowledgeArticle("admin", "returns", "en", "Return policy",
                        "You can return any item within 30 days of delivery for a full refund.",
                        "https://help.example.com/returns"),
                new KnowledgeArticle("admin", "shipping", "en", "Shipping costs",
                        "Standard shipping is free for orders over 50 EUR. Express delivery costs 9 EUR.", null),
                new KnowledgeArticle("admin", "payment", "en", "Payment methods",
                        "We accept credit cards and PayPal. Invoices are paid within 14 days; shipping is invoiced"
                                + " separately.", null),
                new KnowledgeArticle("admin", "rueckgabe", "de-DE", "Rückgabe und Umtausch",
                        "Sie können jeden Artikel innerhalb von 30 Tagen zurückgeben.", null)));
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private List<String> ids(String query, String language) {
        return index.search(query, language, 3).stream().map(KnowledgeHit::articleId).toList();
    }

    @Test
    void stemmingFindsOtherWordForms() {
        assertEquals(List.of("returns"), ids("returns", "en"));
        assertEquals("returns", ids("What is your policy on returning items?", "en").get(0));
    }

    @Test
    void theWordsAQuestionIsWrappedInDoNotSinkAMatch() {
        // "can", "I", "my" are in no article: as rare words they would outweigh "return" without the question stop words.
        assertEquals("returns", ids("Can I return my shoes please?", "en").get(0));
        assertEquals("returns", ids("Can I return my shoes please?", null).get(0), "unknown language: the articles' languages are tried");
    }

    @Test
    void germanQueriesAreAnalysedInGerman() {
        assertEquals(List.of("rueckgabe"), ids("Umtausch von Artikeln", "de"));
        KnowledgeHit hit = index.search("Rückgabe", "de", 1).get(0);
        assertEquals("de-DE", hit.locale());
        assertEquals("Rückgabe und Umtausch", hit.title());
    }

    @Test
    void aLanguageWithoutArticlesFallsBackToStandardAnalysis() {
        assertEquals("returns", ids("return policy", "fr").get(0));
        assertEquals("returns", ids("return policy", null).get(0));
    }

    @Test
    void theTitleWeighsMoreThanTheBody() {
        List<KnowledgeHit> hits = index.search("shipping", "en", 3);
        assertEquals(List.of("shipping", "payment"), hits.stream().map(KnowledgeHit::articleId).toList());
        assertTrue(hits.get(0).score() > hits.get(1).score());
        assertEquals("https://help.example.com/returns", index.search("refund", "en", 1).get(0).url());
    }

    @Test
    void unrelatedQuestionsFindNothing() {
        assertEquals(List.of(), ids("purple elephants dance", "en"));
        assertEquals(List.of(), ids("do you sell purple elephants and giraffes", "en"));
        assertEquals(List.of(), ids("the of and", "en"));
        assertEquals(List.of(), ids("", "en"));
    }

    @Test
    void upsertReplacesAndRemoveDeletes() {
        index.upsert(new KnowledgeArticle("admin", "returns", "en", "Exchanges", "Exchange any item in store.", null));
        assertEquals(List.of(), ids("refund", "en"));
        assertEquals(List.of("returns"), ids("exchange", "en"));
        index.remove("admin", "returns");
        assertEquals(List.of(), ids("exchange", "en"));
        assertEquals(3, index.size());
        index.remove("other-source", "shipping");
        assertEquals(3, index.size(), "the id is per source");
    }

    @Test
    void searchesRunDuringUpdates() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    index.upsert(new KnowledgeArticle("bulk", "a" + i, "en", "Gift card " + i, "Gift cards.", null));
                }
            }));
            for (int t = 0; t < 2; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        assertEquals("returns", index.search("returns", "en", 1).get(0).articleId());
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            assertEquals(204, index.size());
        } finally {
            pool.shutdown();
        }
    }
}
