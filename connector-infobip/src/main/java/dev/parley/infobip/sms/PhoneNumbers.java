package dev.parley.infobip.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.parley.spi.PermanentException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Recipient rules for SMS: international format, digits only with an optional leading {@code +},
 * checked against libphonenumber's metadata. Deliberately strict: a number with spaces, dashes or
 * parentheses is refused rather than guessed at, so the operator sees the mistake at once.
 */
public final class PhoneNumbers {

    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]+");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_SHOWN = 40;
    /**
     * Valid numbers already checked: libphonenumber's validation goes through a synchronized regex cache,
     * a contention point under load, and a conversation validates the same number again and again.
     */
    private static final int KNOWN_MAX = 50_000;
    private static final Map<String, String> KNOWN_VALID = new ConcurrentHashMap<>();

    private PhoneNumbers() {
    }

    /**
     * Normalises a recipient to E.164 with a leading {@code +}, e.g. {@code +41793026727}.
     *
     * @throws PermanentException saying what a valid number looks like
     */
    public static String normalize(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (s.isEmpty()) {
            throw new PermanentException("recipient is empty: use digits only with the country code, "
                    + "e.g. 41793026727 or +41793026727");
        }
        if (!DIGITS.matcher(s).matches()) {
            throw new PermanentException("recipient '" + shown(s) + "' is not a phone number in international "
                    + "format: use digits only with the country code, e.g. 41793026727 or +41793026727 "
                    + "(spaces, dashes and parentheses are not accepted)");
        }
        String digits = s.startsWith("+") ? s.substring(1) : s;
        String known = KNOWN_VALID.get(digits);
        if (known != null) {
            return known;
        }
        PhoneNumber number;
        try {
            // E.164 allows at most 15 digits; libphonenumber is lenient about length, so check first.
            if (digits.length() > 15) throw new NumberParseException(NumberParseException.ErrorType.TOO_LONG, "too long");
            number = UTIL.parse("+" + digits, null);
        } catch (NumberParseException e) {
            throw invalid(digits);
        }
        if (!UTIL.isValidNumber(number)) throw invalid(digits);
        String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        if (KNOWN_VALID.size() >= KNOWN_MAX) {
            KNOWN_VALID.clear(); // crude bound; a miss only costs one validation
        }
        KNOWN_VALID.put(digits, e164);
        return e164;
    }

    private static PermanentException invalid(String digits) {
        return new PermanentException("recipient '+" + shown(digits) + "' is not a valid phone number: check the "
                + "country code and the number of digits (international format, e.g. +41793026727)");
    }

    private static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
