package dev.parley.runtime.knowledge;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermVectors;
import org.apache.lucene.index.Terms;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Knowledge articles in an in-memory Lucene index, searched with BM25 with the title boosted
 * ({@value #TITLE_BOOST}x). Each article is analysed with its locale's language analyzer (stemming and stop
 * words: "returns" finds "Return policy") in per-language fields ({@code title.de}, {@code body.de}) and also with
 * the standard analyzer ({@code title.std}, {@code body.std}). A query in a language Lucene has an analyzer for
 * searches that language's fields first; when that finds nothing relevant, or the language is unknown, it
 * searches the standard fields of all articles.
 *
 * <p><b>Relevance rule</b>, so an unrelated question gets nothing rather than the least bad article: a hit
 * counts only when at least {@value #MIN_COVERAGE} of the query's weight is found in the article's title or
 * body, where each distinct analysed query term weighs its BM25 idf in the searched fields ({@code
 * ln(1 + (N - df + 0.5) / (df + 0.5))}, with {@code df} at least 1: a word no article contains weighs like one
 * only a single article contains, so the question words a customer adds ("what", "your") do not sink a
 * match). Words every article has count little either way; a question mostly about something the articles
 * never mention is rejected.
 *
 * <p>Thread-safe: searches run on a {@link SearcherManager} snapshot while updates (serialised) go on; an
 * update is visible to searches once its method returns.
 */
public final class KnowledgeIndex implements KnowledgeSearch, Closeable {

    static final float TITLE_BOOST = 2.0f;
    static final double MIN_COVERAGE = 0.5;
    static final int MAX_QUERY_TERMS = 64;

    /** Analysis keys of the articles indexed so far (never shrinks: a key without articles just finds nothing). */
    private final Set<String> articleLanguages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final String KEY = "key";
    private static final String SOURCE = "source";
    private static final String ARTICLE_ID = "articleId";
    private static final String LOCALE = "locale";
    private static final String TITLE = "title";
    private static final String BODY = "body";
    private static final String URL = "url";
    private static final FieldType ANALYSED = analysedWithTermVectors();

    private final Map<String, Analyzer> analyzerByKey = new HashMap<>();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    public KnowledgeIndex() {
        Analyzer perField = new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
            @Override
            protected Analyzer getWrappedAnalyzer(String fieldName) {
                return analyzer(fieldName.substring(fieldName.indexOf('.') + 1));
            }
        };
        try {
            writer = new IndexWriter(new ByteBuffersDirectory(),
                    new IndexWriterConfig(perField).setSimilarity(new BM25Similarity()));
            searchers = new SearcherManager(writer, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    searcher.setSimilarity(new BM25Similarity());
                    return searcher;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("creating the in-memory knowledge index failed", e);
        }
    }

    /** Adds the article, or replaces the one with the same source and id. */
    public synchronized void upsert(KnowledgeArticle article) {
        update(() -> writer.updateDocument(key(article.source(), article.articleId()), document(article)));
    }

    public synchronized void remove(String source, String articleId) {
        update(() -> writer.deleteDocuments(key(source, articleId)));
    }

    /** Replaces the whole index; searches see either the old or the new articles, never a mix. */
    public synchronized void replaceAll(Collection<KnowledgeArticle> articles) {
        update(() -> {
            writer.deleteAll();
            for (KnowledgeArticle a : articles) {
                writer.updateDocument(key(a.source(), a.articleId()), document(a));
            }
        });
    }

    /** How many articles are indexed (as of the last update). */
    public int size() {
        return withSearcher(s -> s.getIndexReader().numDocs());
    }

    @Override
    public List<KnowledgeHit> search(String query, String language, int max) {
        if (max <= 0 || query == null || query.isBlank()) {
            return List.of();
        }
        String key = LanguageAnalyzers.key(language);
        // An unknown language tries the languages the articles are written in (stemming helps), then standard.
        List<String> keys = language == null ? List.copyOf(articleLanguages) : List.of(key);
        return withSearcher(searcher -> {
            for (String k : keys) {
                if (!k.equals(LanguageAnalyzers.STANDARD)) {
                    List<KnowledgeHit> hits = search(searcher, k, query, max);
                    if (!hits.isEmpty()) {
                        return hits;
                    }
                }
            }
            return search(searcher, LanguageAnalyzers.STANDARD, query, max);
        });
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
    }

    private List<KnowledgeHit> search(IndexSearcher searcher, String key, String text, int max) throws IOException {
        String title = TITLE + "." + key;
        String body = BODY + "." + key;
        List<String> terms = LanguageAnalyzers.terms(analyzer(key), body, text).stream().limit(MAX_QUERY_TERMS)
                .toList();
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        for (String t : terms) {
            q.add(new BoostQuery(new TermQuery(new Term(title, t)), TITLE_BOOST), BooleanClause.Occur.SHOULD);
            q.add(new TermQuery(new Term(body, t)), BooleanClause.Occur.SHOULD);
        }
        IndexReader reader = searcher.getIndexReader();
        Map<String, Double> weights = idf(reader, terms, title, body);
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        TermVectors vectors = reader.termVectors();
        List<KnowledgeHit> hits = new ArrayList<>(max);
        // Look a little past max: a high BM25 score can still fail the coverage rule.
        for (ScoreDoc sd : searcher.search(q.build(), max * 3).scoreDocs) {
            Terms titleTerms = vectors.get(sd.doc, title);
            Terms bodyTerms = vectors.get(sd.doc, body);
            double found = 0;
            for (String t : terms) {
                if (contains(titleTerms, t) || contains(bodyTerms, t)) {
                    found += weights.get(t);
                }
            }
            if (found / total >= MIN_COVERAGE) {
                hits.add(hit(searcher, sd));
                if (hits.size() == max) {
                    break;
                }
            }
        }
        return hits;
    }

    /** Each term's BM25 idf over the articles that have the searched fields, df at least 1 (class comment). */
    private static Map<String, Double> idf(IndexReader reader, List<String> terms, String title, String body)
            throws IOException {
        int n = Math.max(reader.getDocCount(title), reader.getDocCount(body));
        Map<String, Double> weights = new HashMap<>();
        for (String t : terms) {
            int df = Math.max(1, Math.max(reader.docFreq(new Term(title, t)), reader.docFreq(new Term(body, t))));
            weights.put(t, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
        }
        return weights;
    }

    private static boolean contains(Terms terms, String term) throws IOException {
        return terms != null && terms.iterator().seekExact(new BytesRef(term));
    }

    private static KnowledgeHit hit(IndexSearcher searcher, ScoreDoc sd) throws IOException {
        Document d = searcher.storedFields().document(sd.doc);
        return new KnowledgeHit(d.get(SOURCE), d.get(ARTICLE_ID), d.get(LOCALE), d.get(TITLE), d.get(BODY),
                d.get(URL), sd.score);
    }

    private Document document(KnowledgeArticle a) {
        Document d = new Document();
        d.add(new StringField(KEY, keyOf(a.source(), a.articleId()), Field.Store.NO));
        d.add(new StoredField(SOURCE, a.source()));
        d.add(new StoredField(ARTICLE_ID, a.articleId()));
        if (a.locale() != null) {
            d.add(new StoredField(LOCALE, a.locale()));
        }
        d.add(new StoredField(TITLE, a.title()));
        d.add(new StoredField(BODY, a.body()));
        if (a.url() != null) {
            d.add(new StoredField(URL, a.url()));
        }
        articleLanguages.add(LanguageAnalyzers.key(a.locale()));
        for (String key : new java.util.LinkedHashSet<>(List.of(LanguageAnalyzers.key(a.locale()), LanguageAnalyzers.STANDARD))) {
            d.add(new Field(TITLE + "." + key, a.title(), ANALYSED));
            d.add(new Field(BODY + "." + key, a.body(), ANALYSED));
        }
        return d;
    }

    private Analyzer analyzer(String key) {
        synchronized (analyzerByKey) {
            return analyzerByKey.computeIfAbsent(key, LanguageAnalyzers::forQuestions);
        }
    }

    private static Term key(String source, String articleId) {
        return new Term(KEY, keyOf(source, articleId));
    }

    private static String keyOf(String source, String articleId) {
        return source + '\u0000' + articleId;
    }

    private static FieldType analysedWithTermVectors() {
        FieldType type = new FieldType(TextField.TYPE_NOT_STORED);
        type.setStoreTermVectors(true);
        type.freeze();
        return type;
    }

    private interface IndexUpdate {
        void run() throws IOException;
    }

    private void update(IndexUpdate change) {
        try {
            change.run();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("updating the in-memory knowledge index failed", e);
        }
    }

    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the in-memory knowledge index failed", e);
        }
    }
}
