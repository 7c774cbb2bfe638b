package dev.parley.spi.util;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses a {@code Retry-After} header: delay seconds or an HTTP-date (RFC 1123). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait, {@link Duration#ZERO} for a date in the past, or null when absent or unparseable. */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        if (v.matches("[0-9]{1,12}")) return Duration.ofSeconds(Long.parseLong(v));
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
