package dev.parley.zendesk.helpcenter;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Help Center article HTML as plain text for the bots' knowledge: tags removed (script and style with
 * their content), block elements as line breaks, entities decoded after the tags are gone (so an escaped
 * {@code &lt;b&gt;} stays text), runs of whitespace collapsed.
 */
public final class HtmlText {

    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
            "h6", "tr", "table", "blockquote", "pre", "hr", "section", "article", "header", "footer", "dt", "dd",
            "figcaption");
    private static final Set<String> DROPPED = Set.of("script", "style", "template", "noscript");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"),
            Map.entry("hellip", "\u2026"), Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"), Map.entry("laquo", "\u00AB"),
            Map.entry("raquo", "\u00BB"), Map.entry("copy", "\u00A9"), Map.entry("reg", "\u00AE"),
            Map.entry("trade", "\u2122"), Map.entry("euro", "\u20AC"), Map.entry("pound", "\u00A3"),
            Map.entry("yen", "\u00A5"), Map.entry("cent", "\u00A2"), Map.entry("deg", "\u00B0"),
            Map.entry("times", "\u00D7"), Map.entry("divide", "\u00F7"), Map.entry("middot", "\u00B7"),
            Map.entry("bull", "\u2022"), Map.entry("sect", "\u00A7"), Map.entry("para", "\u00B6"),
            Map.entry("shy", ""), Map.entry("zwj", ""), Map.entry("zwnj", ""),
            Map.entry("auml", "\u00E4"), Map.entry("ouml", "\u00F6"), Map.entry("uuml", "\u00FC"),
            Map.entry("Auml", "\u00C4"), Map.entry("Ouml", "\u00D6"), Map.entry("Uuml", "\u00DC"),
            Map.entry("szlig", "\u00DF"), Map.entry("eacute", "\u00E9"), Map.entry("egrave", "\u00E8"),
            Map.entry("ecirc", "\u00EA"), Map.entry("aacute", "\u00E1"), Map.entry("agrave", "\u00E0"),
            Map.entry("acirc", "\u00E2"), Map.entry("iacute", "\u00ED"), Map.entry("oacute", "\u00F3"),
            Map.entry("uacute", "\u00FA"), Map.entry("ntilde", "\u00F1"), Map.entry("ccedil", "\u00E7"),
            Map.entry("Eacute", "\u00C9"), Map.entry("aring", "\u00E5"), Map.entry("oslash", "\u00F8"),
            Map.entry("aelig", "\u00E6"), Map.entry("iexcl", "\u00A1"), Map.entry("iquest", "\u00BF"));

    private HtmlText() {
    }

    /** Plain text of an HTML fragment; null gives "". Lines are separated by a single {@code \n}. */
    public static String of(String html) {
        if (html == null || html.isEmpty()) return "";
        StringBuilder text = new StringBuilder(html.length());
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c != '<') {
                text.append(c);
                i++;
                continue;
            }
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            if (i + 1 >= n || !(Character.isLetter(html.charAt(i + 1)) || html.charAt(i + 1) == '/'
                    || html.charAt(i + 1) == '!' || html.charAt(i + 1) == '?')) {
                text.append(c); // a bare '<' in text ("a < b")
                i++;
                continue;
            }
            boolean closing = html.charAt(i + 1) == '/';
            int end = tagEnd(html, i + 1);
            String name = tagName(html, i + 1, end);
            boolean selfClosing = end < n && html.charAt(end - 1) == '/';
            i = end < n ? end + 1 : n;
            if (DROPPED.contains(name) && !closing && !selfClosing) {
                int close = html.toLowerCase(Locale.ROOT).indexOf("</" + name, i);
                i = close < 0 ? n : Math.max(i, tagEnd(html, close + 1) + 1);
                continue;
            }
            if (BLOCKS.contains(name)) {
                text.append('\n');
            } else if (name.equals("td") || name.equals("th")) {
                text.append(' ');
            }
        }
        return collapse(decode(text.toString()));
    }

    /** Index of the {@code >} closing the tag that starts at {@code from}, skipping quoted attribute values. */
    private static int tagEnd(String html, int from) {
        char quote = 0;
        for (int j = from; j < html.length(); j++) {
            char c = html.charAt(j);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return j;
            }
        }
        return html.length();
    }

    private static String tagName(String html, int from, int end) {
        int j = from;
        if (j < end && html.charAt(j) == '/') j++;
        int start = j;
        while (j < end && (Character.isLetterOrDigit(html.charAt(j)))) j++;
        return html.substring(start, j).toLowerCase(Locale.ROOT);
    }

    /** Decodes named entities of {@link #ENTITIES} and numeric ones; anything else stays as written. */
    static String decode(String s) {
        if (s.indexOf('&') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i + 1) : -1;
            if (semi < 0 || semi - i > 12) {
                out.append(c);
                i++;
                continue;
            }
            String name = s.substring(i + 1, semi);
            String value = null;
            if (name.startsWith("#")) {
                value = codePoint(name.substring(1));
            } else {
                value = ENTITIES.get(name);
            }
            if (value == null) {
                out.append(c);
                i++;
            } else {
                out.append(value);
                i = semi + 1;
            }
        }
        return out.toString();
    }

    private static String codePoint(String num) {
        try {
            int cp = num.startsWith("x") || num.startsWith("X") ? Integer.parseInt(num.substring(1), 16)
                    : Integer.parseInt(num);
            if (cp == 0xA0) return " ";
            if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) return "\uFFFD";
            return new String(Character.toChars(cp));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One space between words, one line break between blocks, no blank lines, trimmed. */
    private static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        boolean newline = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                newline = true;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else {
                if (out.length() > 0) {
                    if (newline) out.append('\n');
                    else if (space) out.append(' ');
                }
                newline = false;
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
