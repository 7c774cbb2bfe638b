package dev.parley.infobip.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Infobip's timestamp format {@code 2019-11-09T16:00:00.000+0000} (offset without a colon, which
 * ISO-8601 parsers refuse), with ISO-8601 accepted as well.
 */
public final class InfobipTime {

    private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HHMM", "Z")
            .toFormatter();

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private InfobipTime() {
    }

    /** The parsed time, or {@code null} when blank or unparseable (a bad timestamp must not lose the event). */
    public static OffsetDateTime parse(String text) {
        if (text == null || text.isBlank()) return null;
        String s = text.trim();
        try {
            return OffsetDateTime.parse(s, PARSER);
        } catch (DateTimeParseException ignored) {
            // fall through to ISO-8601
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return Instant.parse(s).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Epoch milliseconds as a UTC time. */
    public static OffsetDateTime ofEpochMillis(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
    }

    /** Formats an instant the way Infobip does, in UTC. */
    public static String format(Instant instant) {
        return FORMAT.format(instant.atOffset(ZoneOffset.UTC));
    }
}
