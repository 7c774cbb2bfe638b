package dev.parley.runtime.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * Lucene's language analyzers (stop words and stemming, so "returns" finds "return policy"), picked by ISO 639-1
 * code, for intent phrases and knowledge articles alike. Analyzers are thread-safe.
 */
public final class LanguageAnalyzers {

    /** Used for languages without a Lucene analyzer and when the language is unknown. */
    public static final String STANDARD = "std";

    /**
     * For searching articles with a customer's question: as {@link #forKey}, but English also drops the words
     * questions are wrapped in. (Intent phrases keep them: there "when" alone tells opening hours apart.)
     */
    public static Analyzer forQuestions(String key) {
        return "en".equals(key) ? new EnglishAnalyzer(ENGLISH_STOP_WORDS) : forKey(key);
    }

    /**
     * Lucene's English stop words plus the words customers wrap questions in ("can I", "my", "please"): they
     * say nothing about the topic, yet as words no article contains they would weigh most in the relevance rules.
     */
    static final org.apache.lucene.analysis.CharArraySet ENGLISH_STOP_WORDS = stopWords();

    private static org.apache.lucene.analysis.CharArraySet stopWords() {
        org.apache.lucene.analysis.CharArraySet set = new org.apache.lucene.analysis.CharArraySet(
                EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        set.addAll(java.util.List.of("i", "me", "my", "you", "your", "we", "our", "us", "can", "could", "would",
                "do", "does", "did", "please", "hi", "hello", "hey", "what", "how", "am"));
        return org.apache.lucene.analysis.CharArraySet.unmodifiableSet(set);
    }

    private static final Map<String, Supplier<Analyzer>> BY_LANGUAGE = Map.ofEntries(
            Map.entry("en", EnglishAnalyzer::new), Map.entry("de", GermanAnalyzer::new),
            Map.entry("fr", FrenchAnalyzer::new), Map.entry("es", SpanishAnalyzer::new),
            Map.entry("it", ItalianAnalyzer::new), Map.entry("nl", DutchAnalyzer::new),
            Map.entry("pt", PortugueseAnalyzer::new), Map.entry("sv", SwedishAnalyzer::new),
            Map.entry("da", DanishAnalyzer::new), Map.entry("no", NorwegianAnalyzer::new),
            Map.entry("fi", FinnishAnalyzer::new), Map.entry("ro", RomanianAnalyzer::new),
            Map.entry("ru", RussianAnalyzer::new), Map.entry("tr", TurkishAnalyzer::new));

    private LanguageAnalyzers() {
    }

    /**
     * The analysis key of a language or locale: its ISO 639-1 code when Lucene has an analyzer for it
     * ({@code de-AT} → {@code de}), else {@link #STANDARD}.
     */
    public static String key(String languageOrLocale) {
        if (languageOrLocale == null || languageOrLocale.isBlank()) {
            return STANDARD;
        }
        String language = languageOrLocale.trim().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        return BY_LANGUAGE.containsKey(language) ? language : STANDARD;
    }

    /** A new analyzer for {@link #key(String) key}; StandardAnalyzer for {@link #STANDARD}. */
    public static Analyzer forKey(String key) {
        return BY_LANGUAGE.getOrDefault(key, StandardAnalyzer::new).get();
    }

    /** The distinct terms {@code analyzer} makes of {@code text}, in order of first occurrence. */
    public static Set<String> terms(Analyzer analyzer, String field, String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(field, text == null ? "" : text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing text in memory failed", e);
        }
        return terms;
    }
}
