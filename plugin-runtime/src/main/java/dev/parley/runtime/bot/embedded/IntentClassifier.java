package dev.parley.runtime.bot.embedded;

import dev.parley.runtime.bot.embedded.BotDefinition.Intent;
import dev.parley.runtime.knowledge.LanguageAnalyzers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Recognises which intent a customer's message means, by BM25 retrieval over the intents' training phrases
 * (an in-memory Lucene index, analysed with the definition language's stemming analyzer). Built once per
 * definition; {@link #classify} is thread-safe (the searcher and analyzer are, and nothing else changes).
 *
 * <p><b>Confidence rule.</b> The best BM25 hit is the candidate phrase. It is accepted only when both
 * <ul>
 *   <li>its <em>confidence</em> — the hit's score divided by the score the same phrase gets when queried with
 *       its own terms — is at least {@value #MIN_CONFIDENCE}: most of the phrase, weighted by how telling
 *       each word is, appears in the message (rejects "when?" matching "when are you open"); and</li>
 *   <li>its <em>coverage</em> — the fraction of the message's distinct analysed terms that occur in the
 *       phrase — is at least {@value #MIN_COVERAGE}: most of the message is about that phrase (rejects
 *       "do you sell purple elephants" matching "what time do you open").</li>
 * </ul>
 * Messages longer than {@value #MAX_QUERY_TERMS} distinct terms are cut to their first ones.
 */
public final class IntentClassifier {

    static final double MIN_CONFIDENCE = 0.5;
    static final double MIN_COVERAGE = 0.5;
    static final int MAX_QUERY_TERMS = 64;

    private static final String PHRASE = "phrase";
    private static final String INTENT = "intent";

    /** A recognised intent; {@code confidence} in (0, 1], see the class comment. */
    public record IntentMatch(String intent, double confidence) {
    }

    private final Analyzer analyzer;
    private final IndexSearcher searcher;
    private final String[] intentOfDoc;
    private final List<Set<String>> termsOfDoc;
    private final double[] selfScoreOfDoc;

    /** @param language the definition's ISO 639-1 language, which picks the analyzer */
    public IntentClassifier(List<Intent> intents, String language) {
        analyzer = LanguageAnalyzers.forKey(LanguageAnalyzers.key(language));
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (Intent intent : intents) {
                    for (String phrase : intent.phrases()) {
                        Document doc = new Document();
                        doc.add(new StoredField(INTENT, intent.name()));
                        doc.add(new TextField(PHRASE, phrase, Field.Store.YES));
                        writer.addDocument(doc);
                    }
                }
                writer.forceMerge(1);
            }
            DirectoryReader reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
            int docs = reader.maxDoc();
            intentOfDoc = new String[docs];
            termsOfDoc = new ArrayList<>(docs);
            selfScoreOfDoc = new double[docs];
            StoredFields stored = reader.storedFields();
            for (int d = 0; d < docs; d++) {
                Document doc = stored.document(d);
                intentOfDoc[d] = doc.get(INTENT);
                Set<String> terms = LanguageAnalyzers.terms(analyzer, PHRASE, doc.get(PHRASE));
                termsOfDoc.add(terms);
                selfScoreOfDoc[d] = terms.isEmpty() ? 0 : searcher.explain(query(terms), d).getValue().doubleValue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("building the in-memory intent index failed", e);
        }
    }

    /** The intent {@code text} means, or empty when no intent matches well enough (see the class comment). */
    public Optional<IntentMatch> classify(String text) {
        List<String> terms = LanguageAnalyzers.terms(analyzer, PHRASE, text).stream().limit(MAX_QUERY_TERMS).toList();
        if (terms.isEmpty() || intentOfDoc.length == 0) {
            return Optional.empty();
        }
        ScoreDoc[] hits;
        try {
            hits = searcher.search(query(terms), 1).scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException("searching the in-memory intent index failed", e);
        }
        if (hits.length == 0 || selfScoreOfDoc[hits[0].doc] <= 0) {
            return Optional.empty();
        }
        int doc = hits[0].doc;
        double confidence = Math.min(1.0, hits[0].score / selfScoreOfDoc[doc]);
        double coverage = terms.stream().filter(termsOfDoc.get(doc)::contains).count() / (double) terms.size();
        return confidence >= MIN_CONFIDENCE && coverage >= MIN_COVERAGE
                ? Optional.of(new IntentMatch(intentOfDoc[doc], confidence))
                : Optional.empty();
    }

    private static Query query(Collection<String> terms) {
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        terms.forEach(t -> q.add(new TermQuery(new Term(PHRASE, t)), BooleanClause.Occur.SHOULD));
        return q.build();
    }
}
