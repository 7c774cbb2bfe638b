package dev.parley.runtime.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * <p><b>Rule.</b> Empty when the text has fewer than {@value #MIN_LETTERS} letters (a "ok", "hi" or an order
 * number says nothing), when the best language's probability is below {@value #MIN_CONFIDENCE}, when it leads
 * the runner-up by less than a factor of {@value #MIN_LEAD}, or when the language has no two-letter code.
 *
 * <p>Thread-safe: the model is loaded once per class loader, lazily on the first {@link #detect} call, and
 * each call uses its own (cheap) detector over the shared, immutable model.
 */
public final class LanguageDetection {

    public static final int MIN_LETTERS = 10;
    public static final double MIN_CONFIDENCE = 0.02;
    public static final double MIN_LEAD = 1.2;
    static final String MODEL_RESOURCE = "/langdetect-183.bin";

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
        if (text == null || letters(text) < MIN_LETTERS) {
            return Optional.empty();
        }
        Language[] ranked = new LanguageDetectorME(Holder.MODEL).predictLanguages(text);
        if (ranked.length == 0) {
            return Optional.empty();
        }
        Language best = ranked[0];
        double runnerUp = ranked.length > 1 ? ranked[1].getConfidence() : 0;
        if (best.getConfidence() < MIN_CONFIDENCE || best.getConfidence() < runnerUp * MIN_LEAD) {
            return Optional.empty();
        }
        return Optional.ofNullable(ISO3_TO_ISO1.get(best.getLang()));
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
