package dev.parley.runtime.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range} request header (RFC 9110 section 14): what a browser's video and audio players ask
 * for (Safari plays no video without it). Only a single range is served; anything else is answered whole.
 *
 * @param first the first byte, from 0
 * @param last  the last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** A range that does not overlap the content: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);
    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*([0-9]{0,18})\\s*-\\s*([0-9]{0,18})\\s*");

    long length() {
        return last - first + 1;
    }

    /**
     * The range a header asks for in content of {@code size} bytes: null to send it all (no header, a malformed one,
     * several ranges), {@link #UNSATISFIABLE} when it starts past the end (or asks for the last 0 bytes).
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) { // bytes=-N: the last N bytes
            long n = Long.parseLong(m.group(2));
            return n == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - n), size - 1);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return null; // not a valid range: ignored, as RFC 9110 says
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }
}
