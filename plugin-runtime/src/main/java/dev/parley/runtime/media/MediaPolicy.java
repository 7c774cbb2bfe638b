package dev.parley.runtime.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What is kept of a provider's declarations, and how a copy is served. The declared content type is kept (cut to
 * the column) but never trusted for serving: a browser must never run a stored file as a page of Parley's origin
 * (stored XSS: a desk agent opening a link), so only types that browsers display without running anything are
 * served as themselves; the rest goes out as {@code application/octet-stream}, as an attachment.
 */
final class MediaPolicy {

    static final String OCTET_STREAM = "application/octet-stream";
    static final int MAX_FILE_NAME = 200;
    static final int MAX_CONTENT_TYPE = 255;

    /**
     * Shown inline, as their own type: pictures, sound, video. Not SVG (it runs scripts), and not PDF: the files are
     * served under {@code CSP sandbox}, in which Chromium's PDF viewer refuses to open, so a PDF is downloaded.
     */
    static final Set<String> INLINE = Set.of(
            "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/heic", "image/heif", "image/avif",
            "audio/aac", "audio/mp4", "audio/mpeg", "audio/amr", "audio/ogg", "audio/opus", "audio/wav", "audio/webm",
            "audio/3gpp", "video/mp4", "video/3gpp", "video/webm", "video/quicktime", "video/ogg");

    /** Downloaded as their own type (the agent's programs open them): PDF, plain text and office documents. */
    static final Set<String> DOWNLOAD = Set.of(
            "application/pdf", "text/plain", "text/csv", "text/vcard", "text/x-vcard", "application/zip",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet");

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

    /** How a copy is served: the Content-Type header and whether it is shown inline. */
    record Serving(String contentType, boolean inline) {
    }

    private MediaPolicy() {
    }

    /** The type to store: what the provider said, without control characters, at most 255 characters; or octet-stream. */
    static String storedType(String declared) {
        if (declared == null) {
            return OCTET_STREAM;
        }
        String t = withoutControls(declared).strip();
        if (t.isEmpty()) {
            return OCTET_STREAM;
        }
        return t.length() > MAX_CONTENT_TYPE ? t.substring(0, MAX_CONTENT_TYPE) : t;
    }

    /** How a stored type is served: its media type without parameters when listed, else octet-stream. */
    static Serving serving(String storedType) {
        String base = storedType == null ? "" : storedType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!TYPE.matcher(base).matches()) {
            return new Serving(OCTET_STREAM, false);
        }
        if (INLINE.contains(base)) {
            return new Serving(base, true);
        }
        if (DOWNLOAD.contains(base)) {
            return new Serving(base, false);
        }
        return new Serving(OCTET_STREAM, false);
    }

    /**
     * A declared file name as it may be stored and served: the last path segment (after {@code /} or {@code \}),
     * without control, line-separator or bidirectional-override characters, trimmed, at most 200 characters (never
     * a split surrogate pair); null when nothing is left or only dots.
     */
    static String fileName(String declared) {
        if (declared == null) {
            return null;
        }
        String name = declared;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        name = withoutControls(name).strip();
        if (name.length() > MAX_FILE_NAME) {
            int end = MAX_FILE_NAME;
            if (Character.isHighSurrogate(name.charAt(end - 1))) {
                end--;
            }
            name = name.substring(0, end).strip();
        }
        return name.isEmpty() || name.chars().allMatch(c -> c == '.') ? null : name;
    }

    /**
     * {@code Content-Disposition}: {@code inline} or {@code attachment}, with the file name as an ASCII fallback
     * ({@code filename="..."}, other characters as {@code _}) and exactly ({@code filename*=UTF-8''...}, RFC 6266 and
     * RFC 5987); no name when there is none.
     */
    static String contentDisposition(boolean inline, String fileName) {
        String type = inline ? "inline" : "attachment";
        if (fileName == null) {
            return type;
        }
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + rfc5987(fileName);
    }

    /** RFC 5987 {@code value-chars}: attr-chars as they are, every other UTF-8 byte percent-encoded. */
    static String rfc5987(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Drops ISO controls, Unicode line/paragraph separators and bidirectional controls (which disguise extensions). */
    private static String withoutControls(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x2028 && c != 0x2029 && !(c >= 0x202a && c <= 0x202e)
                && !(c >= 0x2066 && c <= 0x2069) && c != 0x200e && c != 0x200f && c != 0x061c).forEach(out::appendCodePoint);
        return out.toString();
    }
}
