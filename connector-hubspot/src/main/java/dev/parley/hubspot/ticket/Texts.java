package dev.parley.hubspot.ticket;

import dev.parley.spi.Handoff;
import dev.parley.spi.TranscriptLine;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Parley writes into HubSpot: the ticket's subject and content (plain text) and the notes' bodies (HTML,
 * escaped). Sizes stay within HubSpot's limits: subject 255, content and note body 65,536 characters; a transcript
 * too long loses its oldest lines, with a marker, never the media links or the link to Parley.
 */
public final class Texts {

    static final int MAX_SUBJECT = 255;
    /** {@code hs_note_body}'s documented maximum; the ticket's content is kept to the same. */
    static final int MAX_BODY = 65_536;
    /** Room kept for the media list, so a flood of links cannot crowd out the rest. */
    static final int MAX_MEDIA_CHARS = 16_000;
    /** The visible marker of a note, found again after a crash between creating and remembering it. */
    static final String MARKER = "Parley ref: ";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** Parley's signed media links: {@code <public-url>/media/<id>?expires=...&sig=...}. */
    private static final Pattern MEDIA_LINK = Pattern.compile("https?://[^\\s<>\"]+/media/[^\\s<>\"]+");

    private Texts() {
    }

    /** The summary's first line (or the reason), at most 255 characters. */
    static String subject(Handoff h) {
        String first = firstLine(h.summary());
        if (first == null) first = firstLine(h.reason());
        String s = first == null ? "Handoff from Parley" : first;
        return clip(s, MAX_SUBJECT);
    }

    /** Parley's signed media links in the transcript, in order, without repeats. */
    static List<String> mediaLinks(Handoff h) {
        Set<String> links = new LinkedHashSet<>();
        for (TranscriptLine l : h.transcript()) {
            if (l.text() == null) continue;
            Matcher m = MEDIA_LINK.matcher(l.text());
            while (m.find()) links.add(trimPunctuation(m.group()));
        }
        return List.copyOf(links);
    }

    /** The ticket's {@code content}: summary, details, the transcript (newest kept), media links, link to Parley. */
    static String content(Handoff h) {
        StringBuilder head = new StringBuilder();
        head.append(orNone(h.summary())).append("\n\n");
        head.append("Reason: ").append(orNone(h.reason())).append('\n');
        head.append("Sentiment: ").append(h.sentiment().tag()).append('\n');
        head.append("Language: ").append(orNone(h.language())).append('\n');
        head.append("Channel: ").append(channel(h)).append("\n\n");
        head.append("Transcript (UTC):\n");
        StringBuilder tail = new StringBuilder();
        List<String> media = mediaLinks(h);
        if (!media.isEmpty()) {
            tail.append("\nMedia:\n");
            int used = 0;
            for (String link : media) {
                if (used + link.length() + 3 > MAX_MEDIA_CHARS) {
                    tail.append("(more media: see the session in Parley)\n");
                    break;
                }
                tail.append("- ").append(link).append('\n');
                used += link.length() + 3;
            }
        }
        tail.append("\nView in Parley: ").append(orNone(h.sessionUrl()));
        String headText = clip(head.toString(), MAX_BODY / 4);
        List<String> lines = new ArrayList<>();
        for (TranscriptLine l : h.transcript()) lines.add(line(l));
        int budget = MAX_BODY - headText.length() - tail.length() - 100;
        int used = 0;
        int first = lines.size();
        while (first > 0 && used + lines.get(first - 1).length() + 1 <= budget) {
            used += lines.get(--first).length() + 1;
        }
        StringBuilder sb = new StringBuilder(headText);
        if (first > 0) sb.append("(").append(first).append(" earlier lines left out: see the session in Parley)\n");
        for (int i = first; i < lines.size(); i++) sb.append(lines.get(i)).append('\n');
        if (lines.isEmpty()) sb.append("(no messages)\n");
        sb.append(tail);
        return clip(sb.toString(), MAX_BODY);
    }

    /** The handoff note: reason, sentiment, language, summary, media links, the session link, and the marker. */
    static String handoffNote(Handoff h) {
        StringBuilder sb = new StringBuilder();
        sb.append("<p><strong>Handed over by Parley</strong>: ").append(html(orNone(h.reason()))).append("</p>");
        sb.append("<p>Sentiment: ").append(h.sentiment().tag()).append("<br>Language: ").append(html(orNone(h.language())))
                .append("<br>Channel: ").append(html(channel(h))).append("</p>");
        String end = endOfNote(h.sessionUrl(), h.key());
        StringBuilder media = new StringBuilder();
        List<String> links = mediaLinks(h);
        if (!links.isEmpty()) {
            media.append("<p>Media:</p><ul>");
            for (String link : links) {
                String item = "<li><a href=\"" + html(link) + "\">" + html(link) + "</a></li>";
                if (media.length() + item.length() > MAX_MEDIA_CHARS) {
                    media.append("<li>more: see the session in Parley</li>");
                    break;
                }
                media.append(item);
            }
            media.append("</ul>");
        }
        int room = MAX_BODY - sb.length() - media.length() - end.length() - 20;
        sb.append("<p>").append(lines(orNone(h.summary()), room)).append("</p>");
        return sb.append(media).append(end).toString();
    }

    /** A note with a customer message written during the handoff. */
    static String relayNote(TranscriptLine line, String sessionUrl, String marker) {
        String end = endOfNote(sessionUrl, marker);
        String who = line.author() == null || line.author().equals(TranscriptLine.CUSTOMER) ? "The customer" : line.author();
        String when = line.at() == null ? "" : " at " + line.at().withOffsetSameInstant(ZoneOffset.UTC).format(STAMP) + " UTC";
        String head = "<p><strong>" + html(who) + " wrote" + html(when) + "</strong> (via Parley):</p><p>";
        int room = MAX_BODY - head.length() - end.length() - 10;
        return head + lines(line.text() == null ? "" : line.text(), room) + "</p>" + end;
    }

    /** The note Parley adds when the customer or Parley closed the conversation. */
    static String closeNote(String reason, String marker) {
        String r = reason == null || reason.isBlank() ? "" : ": " + clipEscaped(reason.strip(), 2000);
        return "<p><strong>The customer closed the conversation in Parley</strong>" + r + "</p>" + endOfNote(null, marker);
    }

    private static String endOfNote(String sessionUrl, String marker) {
        String link = sessionUrl == null || sessionUrl.isBlank() ? ""
                : "<p><a href=\"" + html(sessionUrl) + "\">View in Parley</a></p>";
        return link + "<p>" + MARKER + html(marker) + "</p>";
    }

    /** The marker as it appears in a stored note body. */
    static String marker(String key) {
        return MARKER + html(key);
    }

    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Escapes, then clips to {@code max} characters without cutting an entity. */
    private static String clipEscaped(String s, int max) {
        return clipHtml(html(s), max);
    }

    /** Escaped text with its line breaks as {@code <br>}, at most {@code max} characters. */
    static String lines(String s, int max) {
        return clipHtml(html(s).replaceAll("\\R", "<br>"), max);
    }

    /** Clips escaped HTML to {@code max} characters without cutting an entity or a tag. */
    private static String clipHtml(String e, int max) {
        if (e.length() <= max) return e;
        int cut = Math.max(0, max - 3);
        int amp = e.lastIndexOf('&', cut - 1);
        if (amp >= 0 && e.indexOf(';', amp) >= cut) cut = amp;
        int lt = e.lastIndexOf('<', cut - 1);
        if (lt >= 0 && e.indexOf('>', lt) >= cut) cut = lt;
        return e.substring(0, cut) + "...";
    }

    private static String line(TranscriptLine l) {
        String time = l.at() == null ? "--:--" : l.at().withOffsetSameInstant(ZoneOffset.UTC).format(STAMP);
        String who = switch (String.valueOf(l.author())) {
            case TranscriptLine.CUSTOMER -> "Customer";
            case TranscriptLine.BOT -> "Bot";
            case TranscriptLine.AGENT -> "Agent";
            default -> l.author() == null ? "Unknown" : l.author();
        };
        String text = l.text() == null ? "" : l.text();
        return "[" + time + "] " + who + ": " + clip(text, MAX_BODY / 2);
    }

    private static String channel(Handoff h) {
        return orNone(h.channel()) + (h.channelType() == null ? "" : " (" + h.channelType() + ")");
    }

    private static String firstLine(String s) {
        if (s == null) return null;
        for (String l : s.split("\\R")) {
            if (!l.isBlank()) return l.strip();
        }
        return null;
    }

    private static String trimPunctuation(String link) {
        String s = link;
        while (!s.isEmpty() && ".,;:!?)]}'".indexOf(s.charAt(s.length() - 1)) >= 0) s = s.substring(0, s.length() - 1);
        return s;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String orNone(String s) {
        return s == null || s.isBlank() ? "(none)" : s.strip();
    }
}
