package dev.parley.spi;

import java.util.Objects;

/**
 * One result of a troubleshooting check, in the operator's words: what they would notice, why, and what to do.
 * Never carries a secret (an API key, a token, a webhook password): name the setting instead.
 *
 * @param severity {@link Severity#OK} when the check passed
 * @param check    a stable id of the check, dotted, e.g. {@code conversations.subscription}; tools and tests key on it
 * @param symptom  what the operator sees, e.g. "customers' messages on WhatsApp reach nobody"
 * @param cause    the likely cause, e.g. "the inbound webhook is not configured at Infobip"
 * @param fix      what to do, where (portal page, setting, admin call); empty when nothing is to be done
 */
public record Finding(Severity severity, String check, String symptom, String cause, String fix) {

    public enum Severity { OK, INFO, WARNING, ERROR }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(check, "check");
        symptom = symptom == null ? "" : symptom;
        cause = cause == null ? "" : cause;
        fix = fix == null ? "" : fix;
    }

    /** A passed check: {@code what} says what was found in order. */
    public static Finding ok(String check, String what) {
        return new Finding(Severity.OK, check, what, "", "");
    }

    public static Finding info(String check, String symptom, String cause, String fix) {
        return new Finding(Severity.INFO, check, symptom, cause, fix);
    }

    public static Finding warning(String check, String symptom, String cause, String fix) {
        return new Finding(Severity.WARNING, check, symptom, cause, fix);
    }

    public static Finding error(String check, String symptom, String cause, String fix) {
        return new Finding(Severity.ERROR, check, symptom, cause, fix);
    }
}
