package dev.parley.hubspot.ticket;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers as HubSpot users type them. HubSpot stores {@code phone} and {@code mobilephone} as typed, so a
 * search needs the typed form: {@link #variants} lists the usual ones, and {@link #e164} normalises what a search
 * found so the match is decided on the number, not on its spelling.
 */
public final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?[0-9][0-9 ()./-]{5,30}");

    private Phones() {
    }

    /**
     * The E.164 form of a number written in international form ({@code +49 151 ...}, {@code 0049 151 ...} or
     * digits with the country code), or empty when it is not a possible number.
     */
    public static Optional<String> e164(String typed) {
        if (typed == null) return Optional.empty();
        String s = typed.strip();
        if (!PHONE_LIKE.matcher(s).matches()) return Optional.empty();
        String digits = s.replaceAll("[^0-9]", "");
        if (s.startsWith("+")) {
            return parse(s);
        }
        if (digits.startsWith("00")) {
            return parse("+" + digits.substring(2));
        }
        return parse("+" + digits);
    }

    /**
     * The E.164 form of a number stored in HubSpot: like {@link #e164}, and a national number ({@code 0151 ...})
     * is read in the region of {@code reference} (the customer's number), so a contact typed the local way still
     * matches.
     */
    public static Optional<String> e164(String typed, String reference) {
        if (typed == null || typed.isBlank()) return Optional.empty();
        String s = typed.strip();
        if (reference != null && !s.startsWith("+") && !s.startsWith("00")) {
            Optional<PhoneNumber> ref = number(reference);
            if (ref.isPresent()) {
                String region = UTIL.getRegionCodeForNumber(ref.get());
                try {
                    PhoneNumber n = UTIL.parse(s, region == null ? "ZZ" : region);
                    if (UTIL.isPossibleNumber(n) && n.getCountryCode() == ref.get().getCountryCode()) {
                        String national = UTIL.format(n, PhoneNumberFormat.E164);
                        if (national.equals(reference)) return Optional.of(national);
                    }
                } catch (NumberParseException e) {
                    // fall through to the international reading
                }
            }
        }
        return e164(s);
    }

    /**
     * How users commonly type {@code e164} in HubSpot, most likely first, at most five (HubSpot's search takes five
     * filter groups): E.164, digits only (no {@code +}), the international form with spaces, the national form with
     * spaces, and the national digits.
     */
    public static List<String> variants(String e164) {
        Set<String> out = new LinkedHashSet<>();
        out.add(e164);
        out.add(e164.replaceAll("[^0-9]", ""));
        number(e164).ifPresent(n -> {
            out.add(UTIL.format(n, PhoneNumberFormat.INTERNATIONAL));
            String national = UTIL.format(n, PhoneNumberFormat.NATIONAL);
            out.add(national);
            out.add(national.replaceAll("[^0-9]", ""));
        });
        return out.stream().filter(v -> !v.isBlank()).limit(5).toList();
    }

    /** The last digits of a number, for a loose token search of numbers typed with unusual grouping. */
    public static String lastDigits(String e164, int count) {
        String digits = e164.replaceAll("[^0-9]", "");
        return digits.length() <= count ? digits : digits.substring(digits.length() - count);
    }

    private static Optional<String> parse(String international) {
        return number(international).map(n -> UTIL.format(n, PhoneNumberFormat.E164));
    }

    private static Optional<PhoneNumber> number(String international) {
        try {
            PhoneNumber n = UTIL.parse(international, "ZZ");
            return UTIL.isPossibleNumber(n) ? Optional.of(n) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
