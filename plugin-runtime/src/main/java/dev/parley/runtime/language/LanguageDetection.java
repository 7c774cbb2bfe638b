package dev.parley.runtime.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Guesses the language of a customer's message, as an ISO 639-1 code.
 *
 * <p><b>Library.</b> Apache OpenNLP's language detector ({@code org.apache.opennlp:opennlp-tools}, 1.4 MB,
 * only slf4j-api besides) with the Apache-published model {@code org.apache.opennlp:opennlp-models-langdetect}
 * (a 10.6 MB jar holding {@code langdetect-183.bin}, 103 languages). OpenNLP is an active Apache project with
 * regular releases. Lingua is more accurate on short text but its Java artifact bundles every language model
 * (hundreds of MB, plus the Kotlin runtime); Optimaize (and Tika's wrapper of it) has not been released since
 * 2016 and pulls in Guava.
 *
 * <p><b>Rule.</b> E-mail addresses, links and numbers are removed first (they are no language, and an address
 * alone was enough to make "I want to talk to a human, my email is kim@example.com" unclear). Empty when what is
 * left has fewer than {@value #MIN_LETTERS} letters (a "ok", "hi" or an order number says nothing). The model's
 * answer counts when the best language's probability is at least {@value #MIN_CONFIDENCE}, leads the runner-up
 * by a factor of {@value #MIN_LEAD} and has a two-letter code. On a few words the model is often unsure (it
 * ranked Maori above English for "I want to talk to a human"), so otherwise the common words of a handful of
 * languages are counted ({@link #FUNCTION_WORDS}): the language with at least {@value #MIN_FUNCTION_WORDS} of
 * them and more than any other (a tie goes to the one the model ranks higher) is the answer; else empty.
 *
 * <p>Thread-safe: the model is loaded once per class loader, lazily on the first {@link #detect} call, and
 * each call uses its own (cheap) detector over the shared, immutable model.
 */
public final class LanguageDetection {

    public static final int MIN_LETTERS = 10;
    public static final double MIN_CONFIDENCE = 0.02;
    public static final double MIN_LEAD = 1.2;
    public static final int MIN_FUNCTION_WORDS = 2;
    static final String MODEL_RESOURCE = "/langdetect-183.bin";

    private static final Pattern NOT_LANGUAGE = Pattern.compile(
            "\\S+@\\S+|(?i:https?://|www\\.)\\S+|\\p{N}+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}']+");

    /** Frequent words of the languages most customers write in, for short texts the model cannot place. */
    static final Map<String, Set<String>> FUNCTION_WORDS = Map.of(
            "en", Set.of("i", "you", "he", "she", "we", "they", "it", "the", "a", "an", "and", "or", "to", "of",
                    "in", "is", "are", "was", "my", "your", "me", "with", "for", "on", "not", "this", "that", "want",
                    "need", "can", "please", "what", "where", "how", "have", "has", "do", "does", "talk", "speak",
                    "human", "person", "someone", "help", "hello", "thanks", "order", "i'm", "don't"),
            "de", Set.of("ich", "du", "er", "wir", "ihr", "es", "der", "die", "das", "und", "oder", "zu", "mit",
                    "ist", "sind", "nicht", "mein", "meine", "ein", "eine", "einem", "einen", "bitte", "möchte",
                    "wo", "wie", "was", "hallo", "danke", "hilfe", "sprechen", "mensch", "menschen", "auf", "für",
                    "von", "den", "dem", "bestellung", "jemandem", "kann", "habe"),
            "fr", Set.of("je", "tu", "il", "elle", "nous", "vous", "ils", "le", "la", "les", "un", "une", "et",
                    "ou", "du", "des", "est", "sont", "pas", "ne", "mon", "ma", "mes", "avec", "pour", "sur",
                    "bonjour", "merci", "veux", "parler", "humain", "personne", "où", "comment", "aide", "suis",
                    "j'ai", "commande", "quelqu'un", "voudrais"),
            "es", Set.of("yo", "tú", "él", "ella", "nosotros", "el", "los", "las", "y", "del", "es", "son", "mi",
                    "mis", "con", "para", "por", "hola", "gracias", "quiero", "hablar", "humano", "persona",
                    "dónde", "cómo", "ayuda", "está", "pedido", "alguien", "necesito"),
            "it", Set.of("io", "lui", "lei", "noi", "il", "lo", "gli", "di", "è", "sono", "non", "mio", "mia",
                    "con", "per", "ciao", "grazie", "voglio", "parlare", "umano", "persona", "dove", "come",
                    "aiuto", "che", "ordine", "qualcuno", "vorrei"),
            "pt", Set.of("eu", "você", "ele", "ela", "nós", "os", "um", "uma", "do", "da", "é", "são", "não",
                    "meu", "minha", "com", "para", "por", "olá", "obrigado", "obrigada", "quero", "falar", "humano",
                    "pessoa", "onde", "como", "ajuda", "pedido", "alguém", "preciso"),
            "nl", Set.of("ik", "jij", "hij", "zij", "wij", "het", "een", "en", "van", "is", "zijn", "niet",
                    "mijn", "met", "voor", "op", "hallo", "bedankt", "wil", "praten", "spreken", "mens", "persoon",
                    "waar", "hoe", "hulp", "bestelling", "iemand"));

    /** ISO 639-3 codes the model uses that have no Locale alias, or a macrolanguage's two-letter code. */
    private static final Map<String, String> EXTRA_CODES = Map.of(
            "cmn", "zh", "pes", "fa", "zlm", "ms", "nob", "nb", "nno", "nn", "ekk", "et", "lvs", "lv",
            "arb", "ar", "swh", "sw", "uzn", "uz");

    private static final Map<String, String> ISO3_TO_ISO1 = iso3ToIso1();

    private static final class Holder {
        static final LanguageDetectorModel MODEL = load();
    }

    /**
     * @return the ISO 639-1 code ("en", "de", ...), or empty when the text is too short or unclear (see the class
     *         comment for the rule)
     */
    public Optional<String> detect(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String words = NOT_LANGUAGE.matcher(text).replaceAll(" ");
        if (letters(words) < MIN_LETTERS) {
            return Optional.empty();
        }
        Language[] ranked = new LanguageDetectorME(Holder.MODEL).predictLanguages(words);
        if (ranked.length > 0) {
            Language best = ranked[0];
            double runnerUp = ranked.length > 1 ? ranked[1].getConfidence() : 0;
            String code = ISO3_TO_ISO1.get(best.getLang());
            if (code != null && best.getConfidence() >= MIN_CONFIDENCE && best.getConfidence() >= runnerUp * MIN_LEAD) {
                return Optional.of(code);
            }
        }
        return byFunctionWords(words, ranked);
    }

    static Optional<String> byFunctionWords(String text, Language[] ranked) {
        Map<String, Integer> hits = new HashMap<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String word = m.group();
            FUNCTION_WORDS.forEach((language, common) -> {
                if (common.contains(word)) hits.merge(language, 1, Integer::sum);
            });
        }
        int most = hits.values().stream().max(Integer::compare).orElse(0);
        if (most < MIN_FUNCTION_WORDS) {
            return Optional.empty();
        }
        List<String> leaders = hits.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).toList();
        if (leaders.size() == 1) {
            return Optional.of(leaders.get(0));
        }
        for (Language l : ranked) {
            String code = ISO3_TO_ISO1.get(l.getLang());
            if (leaders.contains(code)) return Optional.of(code);
        }
        return Optional.empty();
    }

    private static int letters(String text) {
        return (int) text.codePoints().filter(Character::isLetter).count();
    }

    private static LanguageDetectorModel load() {
        try (InputStream in = LanguageDetection.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MODEL_RESOURCE + " is not on the class path "
                        + "(org.apache.opennlp:opennlp-models-langdetect)");
            }
            return new LanguageDetectorModel(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the language model " + MODEL_RESOURCE, e);
        }
    }

    private static Map<String, String> iso3ToIso1() {
        Map<String, String> map = new HashMap<>();
        for (String iso1 : Locale.getISOLanguages()) {
            try {
                map.put(Locale.forLanguageTag(iso1).getISO3Language(), iso1);
            } catch (java.util.MissingResourceException e) {
                // no three-letter code known to the JDK
            }
        }
        map.putAll(EXTRA_CODES);
        return Map.copyOf(map);
    }
}
