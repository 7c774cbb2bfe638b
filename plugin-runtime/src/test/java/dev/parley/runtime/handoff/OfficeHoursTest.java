package dev.parley.runtime.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OfficeHoursTest {

    private static final String BERLIN = "Europe/Berlin";
    private final OfficeHours hours = OfficeHours.parse("Mon-Fri 09:00-17:00; Sat 10:00-14:00", BERLIN);

    /** An instant given as Berlin wall-clock time (first occurrence if repeated). */
    private static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(BERLIN)).toInstant();
    }

    @Test
    void startIsInclusiveEndExclusive() {
        // 2025-03-17 is a Monday.
        assertFalse(hours.isOpen(berlin("2025-03-17T08:59:59")));
        assertTrue(hours.isOpen(berlin("2025-03-17T09:00:00")));
        assertTrue(hours.isOpen(berlin("2025-03-17T16:59:59")));
        assertFalse(hours.isOpen(berlin("2025-03-17T17:00:00")));
    }

    @Test
    void weekend() {
        assertTrue(hours.isOpen(berlin("2025-03-22T10:00:00")), "Saturday morning");
        assertFalse(hours.isOpen(berlin("2025-03-22T14:00:00")), "Saturday afternoon");
        assertFalse(hours.isOpen(berlin("2025-03-23T12:00:00")), "Sunday");
    }

    @Test
    void judgesByTheWallClockOfTheZoneNotUtc() {
        // 08:30 UTC is 09:30 in Berlin in winter.
        assertTrue(hours.isOpen(Instant.parse("2025-01-13T08:30:00Z")));
        assertFalse(OfficeHours.parse("Mon-Fri 09:00-17:00", "America/New_York")
                .isOpen(Instant.parse("2025-01-13T08:30:00Z")));
    }

    @Test
    void severalRangesPerDayAndDayLists() {
        OfficeHours split = OfficeHours.parse("Mon,Wed 09:00-12:00, 13:00-17:00; fri-mon 10:00-11:00", BERLIN);
        assertTrue(split.isOpen(berlin("2025-03-19T11:59:00")));
        assertFalse(split.isOpen(berlin("2025-03-19T12:30:00")), "lunch");
        assertTrue(split.isOpen(berlin("2025-03-19T13:00:00")));
        assertFalse(split.isOpen(berlin("2025-03-18T10:30:00")), "Tuesday is not listed");
        assertTrue(split.isOpen(berlin("2025-03-23T10:30:00")), "Fri-Mon wraps over Sunday");
        assertTrue(split.isOpen(berlin("2025-03-17T10:30:00")), "Monday has both entries");
        assertEquals(Optional.of(berlin("2025-03-19T13:00:00")),
                split.nextOpening(berlin("2025-03-19T12:30:00")).map(ZonedDateTime::toInstant));
    }

    @Test
    void midnightEndAndAdjacentRanges() {
        OfficeHours late = OfficeHours.parse("Fri 18:00-24:00; Sat 00:00-02:00", BERLIN);
        assertTrue(late.isOpen(berlin("2025-03-21T23:59:59")));
        assertTrue(late.isOpen(berlin("2025-03-22T00:00:00")));
        assertFalse(late.isOpen(berlin("2025-03-22T02:00:00")));
    }

    @Test
    void fridayEveningOpensMonday() {
        Instant fridayEvening = berlin("2025-03-14T18:00:00");
        ZonedDateTime next = hours.nextOpening(fridayEvening).orElseThrow();
        assertEquals(ZonedDateTime.of(2025, 3, 15, 10, 0, 0, 0, ZoneId.of(BERLIN)), next, "Saturday first");

        OfficeHours weekdays = OfficeHours.parse("Mon-Fri 09:00-17:00", BERLIN);
        assertEquals(ZonedDateTime.of(2025, 3, 17, 9, 0, 0, 0, ZoneId.of(BERLIN)),
                weekdays.nextOpening(fridayEvening).orElseThrow());
        assertEquals("Monday 09:00 (Europe/Berlin)", weekdays.describeNextOpening(fridayEvening, Locale.ENGLISH));
        assertEquals("Montag 09:00 (Europe/Berlin)", weekdays.describeNextOpening(fridayEvening, Locale.GERMAN));
    }

    @Test
    void describesTodayTomorrowAndNow() {
        assertEquals("today at 09:00 (Europe/Berlin)",
                hours.describeNextOpening(berlin("2025-03-17T07:15:00"), Locale.ENGLISH));
        assertEquals("tomorrow at 09:00 (Europe/Berlin)",
                hours.describeNextOpening(berlin("2025-03-17T17:00:00"), Locale.ENGLISH));
        assertEquals("tomorrow at 09:00 (Europe/Berlin)",
                hours.describeNextOpening(berlin("2025-03-23T12:00:00"), Locale.ENGLISH), "Sunday to Monday");
        assertEquals("now", hours.describeNextOpening(berlin("2025-03-17T10:00:00"), Locale.ENGLISH));
        assertEquals(Optional.empty(), hours.nextOpening(berlin("2025-03-17T10:00:00")), "already open");
    }

    @Test
    void nextOpeningInTheWeekTheClocksChange() {
        // Spring: Sun 2025-03-30 02:00 CET -> 03:00 CEST. Friday 09:00 is 08:00Z, the Monday after 07:00Z.
        assertEquals(Instant.parse("2025-03-31T07:00:00Z"),
                hours.nextOpening(Instant.parse("2025-03-29T13:00:00Z")).orElseThrow().toInstant());
        assertTrue(hours.isOpen(Instant.parse("2025-03-28T08:00:00Z")));
        assertFalse(hours.isOpen(Instant.parse("2025-03-31T06:59:59Z")));
        assertTrue(hours.isOpen(Instant.parse("2025-03-31T07:00:00Z")));
        // Autumn: Sun 2025-10-26 03:00 CEST -> 02:00 CET. The Monday after opens at 08:00Z.
        ZonedDateTime monday = hours.nextOpening(berlin("2025-10-25T15:00:00")).orElseThrow();
        assertEquals(Instant.parse("2025-10-27T08:00:00Z"), monday.toInstant());
        assertEquals(9, monday.getHour());
    }

    @Test
    void openingTimeSkippedBySpringForwardOpensWhenTheClockJumps() {
        OfficeHours night = OfficeHours.parse("Sun 02:30-05:00", BERLIN);
        assertEquals(Instant.parse("2025-03-30T01:00:00Z"), // 03:00 CEST
                night.nextOpening(berlin("2025-03-29T12:00:00")).orElseThrow().toInstant());
        OfficeHours skipped = OfficeHours.parse("Sun 02:00-02:45", BERLIN);
        assertEquals(berlin("2025-04-06T02:00:00"),
                skipped.nextOpening(berlin("2025-03-29T12:00:00")).orElseThrow().toInstant(),
                "the hour that does not exist never opens; the next Sunday does");
    }

    @Test
    void openingTimeRepeatedByFallBackOpensAgain() {
        OfficeHours night = OfficeHours.parse("Sun 02:30-02:45", BERLIN);
        // 02:50 CEST (00:50Z): closed; the clock turns back and 02:30 CET (01:30Z) opens again.
        assertEquals(Instant.parse("2025-10-26T01:30:00Z"),
                night.nextOpening(Instant.parse("2025-10-26T00:50:00Z")).orElseThrow().toInstant());
        OfficeHours early = OfficeHours.parse("Sun 01:00-02:30", BERLIN);
        // 02:40 CEST (00:40Z): closed; at 01:00Z the clock reads 02:00 CET, inside the range again.
        assertEquals(Instant.parse("2025-10-26T01:00:00Z"),
                early.nextOpening(Instant.parse("2025-10-26T00:40:00Z")).orElseThrow().toInstant());
    }

    @Test
    void alwaysOpen() {
        for (String spec : new String[] {"24/7", " 24/7 ", "", "  ", null}) {
            OfficeHours always = OfficeHours.parse(spec, BERLIN);
            assertTrue(always.alwaysOpen());
            assertTrue(always.isOpen(berlin("2025-03-23T03:00:00")));
            assertEquals(Optional.empty(), always.nextOpening(Instant.EPOCH));
            assertEquals("now", always.describeNextOpening(Instant.EPOCH, Locale.ENGLISH));
        }
        assertTrue(OfficeHours.parse("24/7", null).isOpen(Instant.EPOCH), "no zone needed");
    }

    @Test
    void badSpecsSayWhatIsWrongAndWhatTheFormatIs() {
        assertBad("Mon-Fri 9:00-17:00; Sun 10:00-14:00x", "'10:00-14:00x' in 'Sun 10:00-14:00x' is not a time range");
        assertBad("Mox-Fri 09:00-17:00", "unknown day 'Mox'");
        assertBad("Monday 09:00-17:00", "unknown day 'Monday'");
        assertBad("Mon-Fri", "'Mon-Fri' has no time range");
        assertBad("09:00-17:00", "has no days");
        assertBad("Mon 25:00-26:00", "'25:00' in 'Mon 25:00-26:00' is not a time of day");
        assertBad("Mon 09:60-17:00", "'09:60'");
        assertBad("Mon 24:00-24:00", "'24:00' in 'Mon 24:00-24:00' is not a time of day");
        assertBad("Mon 17:00-09:00", "ends before it starts");
        assertBad("Mon 09:00-09:00", "ends before it starts");
        assertBad("Mon-Tue-Wed 09:00-17:00", "'Mon-Tue-Wed'");
        assertBad("Mon,,Tue 09:00-17:00", "empty day");
        assertBad("Mon 09:00-12:00,,13:00-17:00", "is not a time range");
        assertBad(";", "names no days");

        IllegalArgumentException zone = assertThrows(IllegalArgumentException.class,
                () -> OfficeHours.parse("Mon 09:00-17:00", "Europe/Berlni"));
        assertTrue(zone.getMessage().contains("unknown time zone 'Europe/Berlni'"), zone.getMessage());
        IllegalArgumentException noZone = assertThrows(IllegalArgumentException.class,
                () -> OfficeHours.parse("Mon 09:00-17:00", " "));
        assertTrue(noZone.getMessage().contains("need a time zone"), noZone.getMessage());
    }

    private static void assertBad(String spec, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OfficeHours.parse(spec, BERLIN), spec);
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. 'Mon-Fri 09:00-17:00; Sat 10:00-14:00'"), e.getMessage());
    }

    @Test
    void toStringShowsTheNormalisedSpec() {
        assertEquals("Mon 09:00-17:00; Tue 09:00-17:00; Sat 10:00-14:00 (Europe/Berlin)",
                OfficeHours.parse("sat 10:00-14:00; Mon-Tue 09:00-17:00", BERLIN).toString());
    }
}
