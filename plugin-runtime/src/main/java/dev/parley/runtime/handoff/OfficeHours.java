package dev.parley.runtime.handoff;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When human agents are at their desk, so a handoff outside those hours can tell the customer when someone
 * will answer instead of leaving them waiting.
 *
 * <p>Hours are wall-clock times in one time zone: {@code Mon-Fri 09:00-17:00} means 09:00 local time all year,
 * across daylight-saving changes. A range includes its start and excludes its end; {@code 24:00} may end one.
 * Spec format, see {@link #FORMAT}: entries separated by {@code ;}, each a set of days followed by one or more
 * time ranges, e.g. {@code Mon-Fri 09:00-12:00,13:00-17:00; Sat 10:00-14:00}. {@code 24/7}, empty or
 * {@code null} means always open. Instances are immutable.
 */
public final class OfficeHours {

    /** Told in every parse error, so an admin can fix the spec without looking anything up. */
    public static final String FORMAT = "expected entries separated by ';', each days then times, "
            + "e.g. 'Mon-Fri 09:00-17:00; Sat 10:00-14:00'. Days: Mon Tue Wed Thu Fri Sat Sun, a range like "
            + "Mon-Fri or a list like Mon,Wed. Times: HH:MM-HH:MM (end after start, 24:00 allowed as end), "
            + "several per day separated by ',', e.g. 09:00-12:00,13:00-17:00. '24/7' or empty means always open";

    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
    private static final int MINUTES_PER_DAY = 24 * 60;
    private static final int DAYS_PER_WEEK = 7;

    /** Opening ranges per day, in minutes of the day: start inclusive, end exclusive. Empty when always open. */
    private final Map<DayOfWeek, List<int[]>> ranges;
    private final ZoneId zone;
    private final boolean alwaysOpen;

    private OfficeHours(Map<DayOfWeek, List<int[]>> ranges, ZoneId zone, boolean alwaysOpen) {
        this.ranges = ranges;
        this.zone = zone;
        this.alwaysOpen = alwaysOpen;
    }

    /**
     * Parses a spec such as {@code Mon-Fri 09:00-17:00; Sat 10:00-14:00} in the IANA zone {@code zoneId}.
     * Day names are case-insensitive; spaces around separators are ignored; a day named in several entries
     * gets all their ranges.
     *
     * @param spec   the office hours; {@code 24/7}, blank or {@code null} for always open
     * @param zoneId e.g. {@code Europe/Berlin}; may be blank only when always open (UTC is then assumed)
     * @throws IllegalArgumentException naming the faulty part and the expected {@link #FORMAT}
     */
    public static OfficeHours parse(String spec, String zoneId) {
        boolean always = spec == null || spec.isBlank() || spec.strip().equals("24/7");
        ZoneId zone = parseZone(zoneId, always);
        if (always) {
            return new OfficeHours(Map.of(), zone, true);
        }
        Map<DayOfWeek, List<int[]>> ranges = new EnumMap<>(DayOfWeek.class);
        for (String rawEntry : spec.split(";", -1)) {
            String entry = rawEntry.strip();
            if (entry.isEmpty()) {
                continue; // tolerate "Mon 09:00-17:00;" and ";;"
            }
            int firstDigit = indexOfFirstDigit(entry);
            if (firstDigit < 0) {
                throw invalid("'" + entry + "' has no time range after its days");
            }
            if (firstDigit == 0) {
                throw invalid("'" + entry + "' has no days before its times");
            }
            List<DayOfWeek> days = parseDays(entry.substring(0, firstDigit), entry);
            List<int[]> times = parseTimes(entry.substring(firstDigit), entry);
            for (DayOfWeek day : days) {
                ranges.computeIfAbsent(day, d -> new ArrayList<>()).addAll(times);
            }
        }
        if (ranges.isEmpty()) {
            throw invalid("'" + spec + "' names no days");
        }
        Map<DayOfWeek, List<int[]>> frozen = new EnumMap<>(DayOfWeek.class);
        ranges.forEach((day, list) -> {
            list.sort((a, b) -> Integer.compare(a[0], b[0]));
            frozen.put(day, Collections.unmodifiableList(list));
        });
        return new OfficeHours(Collections.unmodifiableMap(frozen), zone, false);
    }

    /** The zone the hours are in. */
    public ZoneId zone() {
        return zone;
    }

    /** True for {@code 24/7} (or an empty spec). */
    public boolean alwaysOpen() {
        return alwaysOpen;
    }

    /** Whether {@code at} falls in an opening range, judged by the wall clock in {@link #zone()}. */
    public boolean isOpen(Instant at) {
        if (alwaysOpen) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        int second = local.toLocalTime().toSecondOfDay();
        for (int[] range : ranges.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (second >= range[0] * 60 && second < range[1] * 60) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first instant after {@code at} at which the office is open, in {@link #zone()}; empty when it is
     * always open or already open at {@code at}.
     *
     * <p>Daylight saving: an opening time that the clock skips (e.g. 02:30 on the spring-forward night)
     * opens when the clock jumps past it, if the range is still running then; one the clock repeats in
     * autumn opens at its first occurrence after {@code at}.
     */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        if (alwaysOpen || isOpen(at)) {
            return Optional.empty();
        }
        ZoneRules rules = zone.getRules();
        LocalDate today = at.atZone(zone).toLocalDate();
        // Every weekday comes round within a week, plus a day for a range earlier today that has passed, plus
        // a week in case the only opening that week falls in a spring-forward gap.
        int searchDays = 2 * DAYS_PER_WEEK + 1;
        Instant horizon = today.plusDays(searchDays).atStartOfDay(zone).toInstant();
        Instant best = null;
        for (int d = 0; d < searchDays; d++) {
            LocalDate date = today.plusDays(d);
            for (int[] range : ranges.getOrDefault(date.getDayOfWeek(), List.of())) {
                LocalDateTime start = date.atStartOfDay().plusMinutes(range[0]);
                // Zero offsets in a spring gap (the clock skips the start: the transition below covers it),
                // two in an autumn overlap (the start happens twice).
                for (ZoneOffset offset : rules.getValidOffsets(start)) {
                    best = earlierOpeningAfter(at, best, start.toInstant(offset));
                }
            }
            if (best != null) {
                break; // later days only open later
            }
        }
        // The clock jumping (spring) or turning back (autumn) into a range opens the office too.
        for (ZoneOffsetTransition t = rules.nextTransition(at);
                t != null && t.getInstant().isBefore(best != null ? best : horizon);
                t = rules.nextTransition(t.getInstant())) {
            best = earlierOpeningAfter(at, best, t.getInstant());
        }
        return Optional.ofNullable(best).map(instant -> instant.atZone(zone));
    }

    private Instant earlierOpeningAfter(Instant at, Instant best, Instant candidate) {
        boolean better = candidate.isAfter(at) && (best == null || candidate.isBefore(best));
        return better && isOpen(candidate) ? candidate : best;
    }

    /**
     * The next opening for a customer: {@code today at 09:00 (Europe/Berlin)}, {@code tomorrow at 09:00
     * (Europe/Berlin)} or {@code Monday 09:00 (Europe/Berlin)}; {@code now} when open. The day name follows
     * {@code locale} (English when {@code null}); the surrounding words are English, like the bot's other fixed texts.
     */
    public String describeNextOpening(Instant at, Locale locale) {
        Optional<ZonedDateTime> next = nextOpening(at);
        if (next.isEmpty()) {
            return "now";
        }
        ZonedDateTime opening = next.get();
        LocalDate today = at.atZone(zone).toLocalDate();
        String time = String.format(Locale.ROOT, "%02d:%02d", opening.getHour(), opening.getMinute());
        String suffix = " (" + zone.getId() + ")";
        if (opening.toLocalDate().equals(today)) {
            return "today at " + time + suffix;
        }
        if (opening.toLocalDate().equals(today.plusDays(1))) {
            return "tomorrow at " + time + suffix;
        }
        Locale dayLocale = locale != null ? locale : Locale.ENGLISH;
        return opening.getDayOfWeek().getDisplayName(TextStyle.FULL, dayLocale) + " " + time + suffix;
    }

    @Override
    public String toString() {
        if (alwaysOpen) {
            return "24/7 (" + zone.getId() + ")";
        }
        StringBuilder text = new StringBuilder();
        ranges.forEach((day, list) -> {
            text.append(text.length() == 0 ? "" : "; ")
                    .append(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append(' ');
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "" : ",").append(hhmm(list.get(i)[0])).append('-').append(hhmm(list.get(i)[1]));
            }
        });
        return text.append(" (").append(zone.getId()).append(')').toString();
    }

    private static String hhmm(int minuteOfDay) {
        return String.format(Locale.ROOT, "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60);
    }

    private static ZoneId parseZone(String zoneId, boolean always) {
        if (zoneId == null || zoneId.isBlank()) {
            if (always) {
                return ZoneOffset.UTC;
            }
            throw new IllegalArgumentException("Office hours need a time zone, an IANA id such as Europe/Berlin");
        }
        try {
            return ZoneId.of(zoneId.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Office hours: unknown time zone '" + zoneId
                    + "'; use an IANA id such as Europe/Berlin or America/New_York", e);
        }
    }

    private static List<DayOfWeek> parseDays(String text, String entry) {
        String compact = text.replaceAll("\\s+", "");
        List<DayOfWeek> days = new ArrayList<>();
        for (String item : compact.split(",", -1)) {
            if (item.isEmpty()) {
                throw invalid("'" + entry + "' has an empty day in its list");
            }
            String[] ends = item.split("-", -1);
            if (ends.length > 2) {
                throw invalid("'" + item + "' in '" + entry + "' is not a day or a day range like Mon-Fri");
            }
            DayOfWeek first = day(ends[0], entry);
            DayOfWeek last = ends.length == 2 ? day(ends[1], entry) : first;
            // A range may wrap past Sunday: Fri-Mon is Fri, Sat, Sun, Mon.
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                if (!days.contains(d)) {
                    days.add(d);
                }
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String entry) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw invalid("unknown day '" + name + "' in '" + entry + "'; days are Mon Tue Wed Thu Fri Sat Sun");
    }

    private static List<int[]> parseTimes(String text, String entry) {
        String compact = text.replaceAll("\\s+", "");
        List<int[]> times = new ArrayList<>();
        for (String item : compact.split(",", -1)) {
            Matcher m = TIME_RANGE.matcher(item);
            if (!m.matches()) {
                throw invalid("'" + item + "' in '" + entry + "' is not a time range like 09:00-17:00");
            }
            int start = minuteOfDay(m.group(1), m.group(2), false, entry);
            int end = minuteOfDay(m.group(3), m.group(4), true, entry);
            if (end <= start) {
                throw invalid("'" + item + "' in '" + entry + "' ends before it starts; for hours past midnight "
                        + "split them, e.g. 'Fri 22:00-24:00; Sat 00:00-02:00'");
            }
            times.add(new int[] {start, end});
        }
        return times;
    }

    private static int minuteOfDay(String hh, String mm, boolean isEnd, String entry) {
        int hour = Integer.parseInt(hh);
        int minute = Integer.parseInt(mm);
        boolean midnightEnd = isEnd && hour == 24 && minute == 0;
        if (!midnightEnd && (hour > 23 || minute > 59)) {
            throw invalid("'" + hh + ":" + mm + "' in '" + entry + "' is not a time of day (00:00 to 23:59"
                    + (isEnd ? ", or 24:00 as an end" : "") + ")");
        }
        return midnightEnd ? MINUTES_PER_DAY : hour * 60 + minute;
    }

    private static int indexOfFirstDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("Office hours: " + problem + "; " + FORMAT);
    }
}
